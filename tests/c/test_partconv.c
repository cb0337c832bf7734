/*
 * The partitioned convolver against a direct convolution computed here in
 * double precision, for responses shorter than, equal to and longer than
 * each stage's partition size, with zero latency.
 *
 * Tolerance: the error is that of single-precision FFTs of up to 16384
 * points plus float accumulation over the partitions: we allow 1e-5 relative
 * to the RMS of the exact output (-100 dB; measured about 1e-7).
 */
#include "check.h"
#include "dsp/partconv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng_state = 777u;
static float rnd(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (float)((double)(rng_state >> 8) / (double)(1u << 23) - 1.0);
}

static double run_case(uint32_t len, uint32_t frames)
{
    float *ir = malloc(sizeof(float) * len);
    float *x = malloc(sizeof(float) * frames);
    float *y = malloc(sizeof(float) * frames);
    for (uint32_t i = 0; i < len; i++)
        ir[i] = rnd() * expf(-3.0f * (float)i / (float)len);
    for (uint32_t i = 0; i < frames; i++)
        x[i] = (i % 3000) < 2000 ? rnd() : 0.0f;   /* bursts and gaps */
    ls_partconv *c = ls_partconv_create(ir, len, 0.5f);
    CHECK(c != NULL);
    for (uint32_t b = 0; b < frames; b += LS_PARTCONV_BLOCK)
        ls_partconv_process(c, x + b, y + b, 0);
    double num = 0, den = 0;
    for (uint32_t n = 0; n < frames; n++) {
        double acc = 0;
        uint32_t kmax = n < len - 1 ? n : len - 1;
        for (uint32_t k = 0; k <= kmax; k++)
            acc += (double)ir[k] * x[n - k];
        acc *= 0.5;
        num += (y[n] - acc) * (y[n] - acc);
        den += acc * acc;
    }
    ls_partconv_destroy(c);
    free(ir);
    free(x);
    free(y);
    return sqrt(num / den);
}

static void test_lengths(void)
{
    static const uint32_t lens[] = {1, 7, 128, 129, 1000, 1024, 1025, 8191, 8192, 8193, 30000};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint32_t frames = 128 * ((lens[i] + 20000) / 128 + 1);
        double e = run_case(lens[i], frames);
        printf("  len %u: relative error %.3g\n", lens[i], e);
        CHECK(e < 1e-5);
    }
}

static void test_accumulate_and_reset(void)
{
    float ir[3] = {1.0f, 0.5f, 0.25f};
    ls_partconv *c = ls_partconv_create(ir, 3, 1.0f);
    float x[128] = {0}, y[128];
    x[0] = 1.0f;
    for (int i = 0; i < 128; i++)
        y[i] = 1.0f;
    ls_partconv_process(c, x, y, 1);
    CHECK(fabsf(y[0] - 2.0f) < 1e-6f && fabsf(y[1] - 1.5f) < 1e-6f && fabsf(y[2] - 1.25f) < 1e-6f);
    CHECK(fabsf(y[3] - 1.0f) < 1e-6f);
    ls_partconv_reset(c);
    ls_partconv_process(c, NULL, y, 0);
    for (int i = 0; i < 128; i++)
        CHECK(y[i] == 0.0f);
    CHECK(ls_partconv_tail_frames(c) >= 3);
    ls_partconv_destroy(c);
    CHECK(ls_partconv_create(ir, 0, 1.0f) == NULL);
}

TEST_MAIN(TEST(test_lengths), TEST(test_accumulate_and_reset))
