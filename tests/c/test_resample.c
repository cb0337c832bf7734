/*
 * The resampler against ideal signals computed here in double precision:
 * a sine resampled between common rates must equal the same sine sampled at
 * the new rate (away from the edges, where the input's zero padding shows),
 * a sine above the new Nyquist frequency must vanish, and DC must pass
 * exactly.
 *
 * Tolerances come from the design (resample.h): 125 dB stopband and a float
 * accumulator. We require -100 dB error in the passband (measured -135 to -140 dB),
 * below -110 dB for a tone in the stopband, and 1e-5 on DC.
 */
#include "check.h"
#include "dsp/resample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double tone_error_db(double in_rate, double out_rate, double freq, double amp_expected)
{
    const uint64_t n_in = (uint64_t)(in_rate * 0.5);
    ls_resampler *rs = ls_resampler_create(in_rate, out_rate);
    CHECK(rs != NULL);
    if (!rs)
        return 0;
    uint32_t pad = ls_resampler_padding(rs);
    float *x = calloc(n_in + 2 * pad, sizeof(float));
    for (uint64_t i = 0; i < n_in; i++)
        x[pad + i] = (float)(0.5 * sin(2 * M_PI * freq * (double)i / in_rate));
    uint64_t n_out = ls_resampler_output_length(rs, n_in);
    CHECK(n_out == (uint64_t)ceil((double)n_in * out_rate / in_rate));
    float *y = malloc(sizeof(float) * n_out);
    ls_resampler_process(rs, x + pad, n_in, y, n_out);
    double err = 0, ref = 0;
    uint64_t edge = (uint64_t)(out_rate * 0.01);
    for (uint64_t j = edge; j + edge < n_out; j++) {
        double want = amp_expected * sin(2 * M_PI * freq * (double)j / out_rate);
        err += (y[j] - want) * (y[j] - want);
        ref += 0.25 * 0.5;
    }
    free(x);
    free(y);
    ls_resampler_destroy(rs);
    return 10 * log10(err / ref + 1e-30);
}

static void test_passband(void)
{
    double e1 = tone_error_db(44100, 48000, 1000, 0.5);
    double e2 = tone_error_db(48000, 44100, 15000, 0.5);
    double e3 = tone_error_db(22050, 44100, 9000, 0.5);
    double e4 = tone_error_db(44100, 44101.5, 3000, 0.5);   /* interpolated phases */
    double e5 = tone_error_db(96000, 8000, 3500, 0.5);
    printf("passband error: %.1f %.1f %.1f %.1f %.1f dB\n", e1, e2, e3, e4, e5);
    CHECK(e1 < -100);
    CHECK(e2 < -100);
    CHECK(e3 < -100);
    CHECK(e4 < -95);
    CHECK(e5 < -100);
}

static void test_stopband(void)
{
    /* 23 kHz is above the 22.05 kHz Nyquist frequency of the output: it must go */
    double e = tone_error_db(48000, 44100, 23000, 0.0);
    /* error relative to a 0.5 amplitude tone = the leftover's level */
    printf("stopband leftover: %.1f dB\n", e);
    CHECK(e < -110);
}

static void test_dc(void)
{
    ls_resampler *rs = ls_resampler_create(44100, 48000);
    uint32_t pad = ls_resampler_padding(rs);
    uint64_t n = 20000;
    float *x = calloc(n + 2 * pad, sizeof(float));
    for (uint64_t i = 0; i < n; i++)
        x[pad + i] = 0.25f;
    uint64_t m = ls_resampler_output_length(rs, n);
    float *y = malloc(sizeof(float) * m);
    ls_resampler_process(rs, x + pad, n, y, m);
    double worst = 0;
    for (uint64_t j = 1000; j + 1000 < m; j++)
        worst = fmax(worst, fabs(y[j] - 0.25));
    CHECK(worst < 1e-5);
    free(x);
    free(y);
    ls_resampler_destroy(rs);
}

static void test_buffer_resample(void)
{
    ls_buffer *b, *b2, *o = NULL;
    CHECK_OK(ls_buffer_create(2, 4410, 44100, &b));
    CHECK(ls_buffer_resample(b, 1000, &o) == LS_ERROR_NOT_SUPPORTED);
    CHECK_OK(ls_buffer_resample(b, 48000, &o));
    CHECK(ls_buffer_length(o) == 4800);
    CHECK(ls_buffer_number_of_channels(o) == 2);
    CHECK(ls_buffer_sample_rate(o) == 48000);
    ls_buffer_release(o);
    /* an extreme ratio with a prime rate: long filter, table kept bounded */
    CHECK_OK(ls_buffer_create(1, 7680, 768000, &b2));
    CHECK_OK(ls_buffer_resample(b2, 4093, &o));
    CHECK(ls_buffer_length(o) == 41);
    ls_buffer_release(o);
    ls_buffer_release(b2);
    CHECK(ls_resampler_create(0, 48000) == NULL);
    CHECK(ls_resampler_create(NAN, 48000) == NULL);
    ls_buffer_release(b);
}

TEST_MAIN(TEST(test_passband), TEST(test_stopband), TEST(test_dc), TEST(test_buffer_resample))
