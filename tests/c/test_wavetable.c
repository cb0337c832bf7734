/*
 * Band-limited wavetables: the spectrum of every band, the bands chosen for
 * each fundamental, aliasing of rendered output, normalization, sine
 * accuracy, negative and out-of-range frequencies, continuity across bands.
 *
 * References are computed here from the spec's formulas in double precision
 * (Fourier sums, sin). Spectra of rendered output use the project FFT, which
 * test_fft checks against a direct DFT.
 */
#include "check.h"
#include "dsp/fft.h"
#include "dsp/wavetable.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double pi = 3.14159265358979323846;

enum { SINE, SQUARE, SAWTOOTH, TRIANGLE };

/* The spec's built-in coefficients (imaginary part; the real part is 0). */
static float *basic_imag(int shape, size_t n)
{
    float *b = calloc(n, sizeof(float));
    for (size_t k = 1; k < n; k++) {
        double kk = (double)k;
        switch (shape) {
        case SINE: b[k] = k == 1 ? 1.0f : 0.0f; break;
        case SQUARE: b[k] = (float)(2.0 / (kk * pi) * (1.0 - ((k & 1) ? -1.0 : 1.0))); break;
        case SAWTOOTH: b[k] = (float)(((k & 1) ? 2.0 : -2.0) / (kk * pi)); break;
        case TRIANGLE: b[k] = (float)(8.0 * sin(kk * pi / 2.0) / (pi * pi * kk * kk)); break;
        }
    }
    return b;
}

static ls_wavetable *make_basic(int shape, double sr)
{
    float *b = basic_imag(shape, 8192);
    ls_wavetable *wt = ls_wavetable_create(NULL, b, 8192, sr, true);
    free(b);
    return wt;
}

/* Every band's table holds exactly partials 1 .. partials with the expected
 * amplitudes, and the band is never used where its top partial would reach
 * the Nyquist frequency. */
static void test_band_spectra(void)
{
    const double sr = 48000;
    float *b = basic_imag(SAWTOOTH, 8192);
    ls_wavetable *wt = ls_wavetable_create(NULL, b, 8192, sr, true);
    CHECK(wt != NULL);
    CHECK(wt->count >= 30);   /* ~3 bands per octave over 11 octaves */
    double worst_extra = 0, worst_partial = 0;
    for (uint32_t j = 0; j < wt->count; j++) {
        const ls_wavetable_band *band = &wt->band[j];
        CHECK(band->partials >= 1);
        CHECK(band->partials * band->max_frequency <= wt->nyquist * (1 + 1e-12));
        CHECK(band->data[band->size] == band->data[0]);
        if (j > 0) {
            CHECK(band->partials <= wt->band[j - 1].partials);
            CHECK(band->max_frequency > wt->band[j - 1].max_frequency);
        }
        uint32_t s = band->size;
        ls_fft *fft = ls_fft_create(s);
        float *re = malloc(sizeof(float) * (s / 2 + 1)), *im = malloc(sizeof(float) * (s / 2 + 1));
        ls_fft_forward(fft, band->data, re, im);
        for (uint32_t k = 1; k <= s / 2; k++) {
            double amp_sin = -im[k] / (s / 2.0), amp_cos = re[k] / (s / 2.0);
            if (k <= band->partials) {
                worst_partial = fmax(worst_partial, fabs(amp_sin - wt->scale * b[k]));
                worst_partial = fmax(worst_partial, fabs(amp_cos));
            } else {
                worst_extra = fmax(worst_extra, hypot(amp_sin, amp_cos));
            }
        }
        free(re);
        free(im);
        ls_fft_destroy(fft);
    }
    /* float tables: rounding noise of ~1e-7 per sample, spread over bins */
    CHECK_NEAR(worst_partial, 0.0, 1e-6);
    CHECK_NEAR(worst_extra, 0.0, 1e-6);
    /* the lowest band holds every partial up to half the base size */
    CHECK(wt->band[0].partials == ls_wavetable_base_size(sr) / 2);
    CHECK(wt->band[wt->count - 1].partials == 1);
    ls_wavetable_destroy(wt);
    free(b);
}

/* For fundamentals across the whole range, every band read (with a nonzero
 * weight) has all its partials below the Nyquist frequency, and the weights
 * are continuous: the blend reaches each band boundary from both sides. */
static void test_band_selection(void)
{
    const double rates[] = {3000, 22050, 44100, 48000, 96000, 192000, 768000};
    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
        ls_wavetable *wt = make_basic(SAWTOOTH, rates[r]);
        int bad = 0;
        for (double f = 0.01; f < wt->nyquist; f *= 1.0007) {
            for (int sign = -1; sign <= 1; sign += 2) {
                uint32_t lo;
                float mix;
                if (!ls_wavetable_bands_for(wt, sign * f, &lo, &mix)) {
                    bad++;
                    continue;
                }
                if (mix < 1.0f && wt->band[lo].partials * f >= wt->nyquist)
                    bad++;
                if (mix > 0.0f && wt->band[lo + 1].partials * f >= wt->nyquist)
                    bad++;
            }
        }
        CHECK(bad == 0);
        uint32_t lo;
        float mix;
        CHECK(!ls_wavetable_bands_for(wt, wt->nyquist, &lo, &mix));
        CHECK(!ls_wavetable_bands_for(wt, -wt->nyquist, &lo, &mix));
        CHECK(!ls_wavetable_bands_for(wt, 1e30, &lo, &mix));
        CHECK(!ls_wavetable_bands_for(wt, NAN, &lo, &mix));
        CHECK(ls_wavetable_bands_for(wt, 0.0, &lo, &mix) && lo == 0 && mix == 0.0f);
        ls_wavetable_destroy(wt);
    }
}

/* No click when the fundamental crosses a band boundary: the output just
 * below and just above it is the same. */
static void test_continuity_across_bands(void)
{
    ls_wavetable *wt = make_basic(SQUARE, 44100);
    double worst = 0;
    for (uint32_t j = 0; j + 1 < wt->count; j++) {
        double fb = wt->band[j].max_frequency;   /* where band j fades out */
        for (int i = 0; i < 97; i++) {
            double ph = i / 97.0;
            float a = ls_wavetable_lookup(wt, fb * (1 - 1e-9), ph);
            float b = ls_wavetable_lookup(wt, fb * (1 + 1e-9), ph);
            worst = fmax(worst, fabs(a - b));
        }
    }
    CHECK_NEAR(worst, 0.0, 1e-5);
    ls_wavetable_destroy(wt);
}

/* Level (dB re the fundamental) of the largest spectral line that is not a
 * harmonic of the fundamental, for a render of L samples at f = sr m / L
 * (m odd: any harmonic above Nyquist would fold onto a non-harmonic bin). */
static double worst_alias_db(const ls_wavetable *wt, double sr, uint32_t m, double *total_db)
{
    const uint32_t L = 65536;
    float *y = malloc(sizeof(float) * L);
    float *re = malloc(sizeof(float) * (L / 2 + 1)), *im = malloc(sizeof(float) * (L / 2 + 1));
    double ph = 0;
    ls_wavetable_render_constant(wt, y, L, sr * m / L, &ph);
    ls_fft *fft = ls_fft_create(L);
    ls_fft_forward(fft, y, re, im);
    double fund = hypot(re[m], im[m]), worst = 0, total = 0;
    for (uint32_t k = 1; k <= L / 2; k++) {
        if (k % m == 0)
            continue;
        double a = hypot(re[k], im[k]);
        worst = fmax(worst, a);
        total += a * a;
    }
    ls_fft_destroy(fft);
    free(y);
    free(re);
    free(im);
    if (total_db)
        *total_db = 10 * log10(total / (fund * fund) + 1e-40);
    return 20 * log10(worst / fund + 1e-20);
}

/* Band-limiting of rendered output: every line that is not a harmonic
 * below Nyquist stays 100 dB under the fundamental (measured worst over
 * 20 Hz .. 20 kHz: -105.5 dB for sawtooth and square). */
static void test_render_alias(void)
{
    const double sr = 48000;
    int shapes[] = {SAWTOOTH, SQUARE, TRIANGLE};
    /* m odd; f = 48000 m / 65536: 20.5, 99.4, 440.6, 2999.3, 10000.2, 17578.8 Hz */
    uint32_t ms[] = {28 | 1, 135 | 1, 601, 4095, 13653, 24001};
    for (int s = 0; s < 3; s++) {
        ls_wavetable *wt = make_basic(shapes[s], sr);
        for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
            double total;
            double worst = worst_alias_db(wt, sr, ms[i], &total);
            if (!(worst < -100))
                fprintf(stderr, "shape %d m %u: worst alias %.1f dB (total %.1f dB)\n", shapes[s],
                        ms[i], worst, total);
            CHECK(worst < -100);
        }
        ls_wavetable_destroy(wt);
    }
    /* 3 kHz sawtooth at 48 kHz: the example of the band-limiting requirement */
    ls_wavetable *saw = make_basic(SAWTOOTH, sr);
    double total;
    double worst = worst_alias_db(saw, sr, 4095, &total);
    CHECK(worst < -120);
    CHECK(total < -110);
    ls_wavetable_destroy(saw);
}

/* PeriodicWave normalization: peak of the full waveform is 1; with
 * normalization disabled, the table is the raw Fourier sum. */
static void test_normalization(void)
{
    /* x(t) = -cos(2 pi t) + cos(4 pi t): peak |x| = 2 at t = 1/2 */
    const float real[3] = {0, -1, 1}, imag[3] = {0, 0, 0};
    ls_wavetable *norm = ls_wavetable_create(real, imag, 3, 48000, true);
    ls_wavetable *raw = ls_wavetable_create(real, imag, 3, 48000, false);
    CHECK_NEAR(norm->scale, 0.5, 1e-6);
    CHECK(raw->scale == 1.0f);
    CHECK_NEAR(ls_wavetable_lookup(norm, 100, 0.5), 1.0, 1e-6);
    CHECK_NEAR(ls_wavetable_lookup(raw, 100, 0.5), 2.0, 1e-6);
    double worst = 0;
    for (int i = 0; i < 1000; i++) {
        double t = i / 1000.0 + 0.000123;
        double x = -cos(2 * pi * t) + cos(4 * pi * t);
        worst = fmax(worst, fabs(ls_wavetable_lookup(raw, 100, t) - x));
        worst = fmax(worst, fabs(ls_wavetable_lookup(norm, 100, t) - x / 2));
    }
    CHECK_NEAR(worst, 0.0, 2e-6);
    ls_wavetable_destroy(norm);
    ls_wavetable_destroy(raw);

    /* sine and cosine terms together, normalization disabled */
    const float re2[4] = {5, 0.25f, 0, -0.5f}, im2[4] = {7, 0.75f, 0.3f, 0};
    raw = ls_wavetable_create(re2, im2, 4, 44100, false);
    worst = 0;
    for (int i = 0; i < 1000; i++) {
        double t = i / 1000.0;
        double x = 0.25 * cos(2 * pi * t) + 0.75 * sin(2 * pi * t) + 0.3 * sin(4 * pi * t) -
                   0.5 * cos(6 * pi * t);   /* index 0 ignored */
        worst = fmax(worst, fabs(ls_wavetable_lookup(raw, 220, t) - x));
    }
    CHECK_NEAR(worst, 0.0, 2e-6);
    ls_wavetable_destroy(raw);

    /* built-in shapes: the band-0 table peaks at exactly 1 */
    for (int shape = SINE; shape <= TRIANGLE; shape++) {
        ls_wavetable *wt = make_basic(shape, 48000);
        float peak = 0;
        for (uint32_t i = 0; i < wt->band[0].size; i++)
            peak = fmaxf(peak, fabsf(wt->band[0].data[i]));
        CHECK_NEAR(peak, 1.0, 1e-6);
        ls_wavetable_destroy(wt);
    }

    /* huge coefficients build the same normalized wave as small ones */
    const float big_re[3] = {0, -1e30f, 1e30f};
    ls_wavetable *big = ls_wavetable_create(big_re, imag, 3, 48000, true);
    CHECK_NEAR(ls_wavetable_lookup(big, 100, 0.5), 1.0, 1e-6);
    CHECK_NEAR(ls_wavetable_lookup(big, 100, 0.125), (-cos(pi / 4) + cos(pi / 2)) / 2, 2e-6);
    CHECK_NEAR(big->scale * 1e30, 0.5, 1e-6);
    ls_wavetable_destroy(big);

    /* all-zero coefficients: silence, whatever the normalization */
    const float zeros[4] = {0, 0, 0, 0};
    ls_wavetable *z = ls_wavetable_create(zeros, NULL, 4, 48000, true);
    CHECK(z && ls_wavetable_lookup(z, 440, 0.3) == 0.0f);
    ls_wavetable_destroy(z);
}

/* Sine against sin() of the exact phase. Table of 4096 read with linear
 * interpolation: error at most (2 pi / 4096)^2 / 8 = 2.9e-7, plus the
 * float FFT's rounding in the table (~1.2e-7) and the output's rounding
 * (3e-8). Allowed 6e-7; measured 4.2e-7. */
static void test_sine_accuracy(void)
{
    const double sr = 48000;
    ls_wavetable *wt = make_basic(SINE, sr);
    const double freqs[] = {1.0, 440.0, 1234.5, 9876.5, 23000.0};
    const uint32_t n = 48000;
    float *y = malloc(sizeof(float) * n);
    for (size_t i = 0; i < sizeof freqs / sizeof freqs[0]; i++) {
        double ph = 0.0;
        ls_wavetable_render_constant(wt, y, n, freqs[i], &ph);
        double worst = 0;
        for (uint32_t t = 0; t < n; t++)
            worst = fmax(worst, fabs(y[t] - sin(2 * pi * freqs[i] * t / sr)));
        if (!(worst < 6e-7))
            fprintf(stderr, "sine %g Hz: max error %g\n", freqs[i], worst);
        CHECK(worst < 6e-7);
        /* the phase after the block, compared on the circle */
        double d = ph - fmod(freqs[i] * n / sr, 1.0);
        CHECK_NEAR(d - nearbyint(d), 0.0, 1e-9);
    }
    free(y);
    ls_wavetable_destroy(wt);
}

/* A negative frequency plays the waveform backwards. */
static void test_negative_frequency(void)
{
    const double sr = 48000;
    const uint32_t L = 4800;
    ls_wavetable *wt = make_basic(SAWTOOTH, sr);
    float *fwd = malloc(sizeof(float) * L), *bwd = malloc(sizeof(float) * L);
    double f = 1000;   /* exactly 100 periods in L */
    double p1 = 0, p2 = 0;
    ls_wavetable_render_constant(wt, fwd, L, f, &p1);
    ls_wavetable_render_constant(wt, bwd, L, -f, &p2);
    double worst = 0;
    for (uint32_t t = 1; t < L; t++)
        worst = fmax(worst, fabs(bwd[t] - fwd[L - t]));
    CHECK_NEAR(worst, 0.0, 1e-5);
    CHECK_NEAR(bwd[0], fwd[0], 1e-6);
    /* the sawtooth rises forwards and falls backwards */
    CHECK(fwd[5] > fwd[1]);
    CHECK(bwd[5] < bwd[1]);
    free(fwd);
    free(bwd);
    ls_wavetable_destroy(wt);
}

/* At and beyond the Nyquist frequency no partial fits: silence, while the
 * phase keeps running so the wave resumes in place when the frequency drops. */
static void test_beyond_nyquist(void)
{
    const double sr = 44100;
    ls_wavetable *wt = make_basic(SQUARE, sr);
    float y[256];
    double ph = 0.25;
    ls_wavetable_render_constant(wt, y, 256, 30000, &ph);
    int silent = 1;
    for (int i = 0; i < 256; i++)
        silent &= y[i] == 0.0f;
    CHECK(silent);
    CHECK_NEAR(ph, fmod(0.25 + 256 * 30000 / sr, 1.0), 1e-9);
    CHECK(ph >= 0 && ph < 1);
    ls_wavetable_render_constant(wt, y, 16, -sr / 2, &ph);
    CHECK(y[0] == 0.0f && y[15] == 0.0f);
    ls_wavetable_render_constant(wt, y, 16, INFINITY, &ph);
    CHECK(y[3] == 0.0f && ph >= 0 && ph < 1);
    /* per-sample frequencies: above Nyquist, NaN and inf are silent */
    float f[8] = {1000, 30000, NAN, INFINITY, -INFINITY, -1000, 22049, 22050};
    ph = 0;
    ls_wavetable_render(wt, y, 8, f, &ph);
    CHECK(y[1] == 0.0f && y[2] == 0.0f && y[3] == 0.0f && y[4] == 0.0f && y[7] == 0.0f);
    CHECK(isfinite(ph) && ph >= 0 && ph < 1);
    ls_wavetable_destroy(wt);
}

/* Per-sample rendering with a constant frequency equals the constant path,
 * and a sweep is continuous (no step larger than the wave's own slope). */
static void test_varying_render(void)
{
    const double sr = 48000;
    ls_wavetable *wt = make_basic(TRIANGLE, sr);
    enum { N = 1024 };
    float a[N], b[N], f[N];
    for (int i = 0; i < N; i++)
        f[i] = 3333.0f;
    double p1 = 0.1, p2 = 0.1;
    ls_wavetable_render_constant(wt, a, N, 3333.0, &p1);
    ls_wavetable_render(wt, b, N, f, &p2);
    double worst = 0;
    for (int i = 0; i < N; i++)
        worst = fmax(worst, fabs(a[i] - b[i]));
    CHECK(worst == 0.0);
    CHECK(p1 == p2);

    /* sine sweep 20 Hz .. 20 kHz in one second: sample-to-sample steps stay
     * within 2 pi f / sr of the instantaneous frequency */
    ls_wavetable *sine = make_basic(SINE, sr);
    const uint32_t n = 48000;
    float *fs = malloc(sizeof(float) * n), *y = malloc(sizeof(float) * n);
    for (uint32_t i = 0; i < n; i++)
        fs[i] = (float)(20.0 * pow(1000.0, (double)i / n));
    double ph = 0;
    ls_wavetable_render(sine, y, n, fs, &ph);
    int jumps = 0;
    for (uint32_t i = 1; i < n; i++)
        if (fabs(y[i] - y[i - 1]) > 2 * pi * fs[i] / sr * 1.001 + 1e-6)
            jumps++;
    CHECK(jumps == 0);
    free(fs);
    free(y);
    ls_wavetable_destroy(sine);
    ls_wavetable_destroy(wt);
}

/* Coefficients past the largest partial count are ignored, NULL arrays are
 * zeros, and bands holding the same partials share their table. */
static void test_sharing_and_limits(void)
{
    float imag[3] = {0, 1, 0};
    ls_wavetable *wt = ls_wavetable_create(NULL, imag, 3, 48000, true);
    CHECK(wt != NULL);
    for (uint32_t j = 1; j < wt->count; j++)
        CHECK(wt->band[j].data == wt->band[0].data);
    CHECK(wt->band[0].size == 4096);
    ls_wavetable_destroy(wt);
    CHECK(ls_wavetable_base_size(44100) == 4096);
    CHECK(ls_wavetable_base_size(96000) == 4096);
    CHECK(ls_wavetable_base_size(96001) == 8192);
    CHECK(ls_wavetable_base_size(192000) == 8192);
    CHECK(ls_wavetable_base_size(384000) == 16384);
    CHECK(ls_wavetable_base_size(768000) == 32768);
}

TEST_MAIN(TEST(test_band_spectra), TEST(test_band_selection), TEST(test_continuity_across_bands),
          TEST(test_render_alias), TEST(test_normalization), TEST(test_sine_accuracy),
          TEST(test_negative_frequency), TEST(test_beyond_nyquist), TEST(test_varying_render),
          TEST(test_sharing_and_limits))
