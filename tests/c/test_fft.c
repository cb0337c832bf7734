/*
 * The real FFT against a direct DFT computed here in double precision, the
 * inverse against the direct inverse DFT, and round trips.
 *
 * Tolerances: a single-precision FFT's error grows with the number of
 * passes, log2(n), each adding about one rounding (eps = 6e-8). We allow
 * 3e-8 * (log2(n) + 1) relative to the RMS of the reference spectrum
 * (measured: 1.25e-7 at n = 8192 against 4.2e-7 allowed) and
 * 6e-8 * (log2(n) + 1) absolute on round trips of signals in [-1, 1]
 * (measured: 4.8e-7 at n = 65536 against 1.0e-6 allowed).
 */
#include "check.h"
#include "dsp/fft.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static const double two_pi = 6.283185307179586476925286766559;

static uint32_t rng_state = 12345u;
static double rnd(void) /* uniform in [-1, 1) */
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (double)(rng_state >> 8) / (double)(1u << 23) - 1.0;
}

static unsigned ilog2(uint32_t n)
{
    unsigned l = 0;
    while ((1u << l) < n)
        l++;
    return l;
}

/* Direct DFT of real x (double), bins 0 .. n/2. */
static void direct_dft(const float *x, uint32_t n, double *re, double *im)
{
    double *c = malloc(sizeof(double) * n), *s = malloc(sizeof(double) * n);
    for (uint32_t i = 0; i < n; i++) {
        c[i] = cos(two_pi * i / n);
        s[i] = sin(two_pi * i / n);
    }
    for (uint32_t k = 0; k <= n / 2; k++) {
        double ar = 0, ai = 0;
        uint64_t idx = 0;
        for (uint32_t t = 0; t < n; t++) {
            ar += x[t] * c[idx];
            ai -= x[t] * s[idx];
            idx += k;
            if (idx >= n)
                idx -= n;
        }
        re[k] = ar;
        im[k] = ai;
    }
    free(c);
    free(s);
}

/* Relative RMS difference of a float spectrum against a double one. */
static double spectrum_error(const float *re, const float *im, const double *rr, const double *ri,
                             uint32_t bins)
{
    double num = 0, den = 0;
    for (uint32_t k = 0; k < bins; k++) {
        double dr = re[k] - rr[k], di = im[k] - ri[k];
        num += dr * dr + di * di;
        den += rr[k] * rr[k] + ri[k] * ri[k];
    }
    return den > 0 ? sqrt(num / den) : sqrt(num);
}

static void test_rejects_bad_sizes(void)
{
    CHECK(ls_fft_create(0) == NULL);
    CHECK(ls_fft_create(1) == NULL);
    CHECK(ls_fft_create(3) == NULL);
    CHECK(ls_fft_create(96) == NULL);
    CHECK(ls_fft_create(1000) == NULL);
    ls_fft *f = ls_fft_create(64);
    CHECK(f != NULL);
    CHECK(ls_fft_size(f) == 64);
    ls_fft_destroy(f);
    ls_fft_destroy(NULL);
}

static void test_forward_matches_direct_dft(void)
{
    for (uint32_t n = 2; n <= 8192; n *= 2) {
        ls_fft *f = ls_fft_create(n);
        CHECK(f != NULL);
        if (!f)
            continue;
        float *x = malloc(sizeof(float) * n);
        float *re = malloc(sizeof(float) * (n / 2 + 1)), *im = malloc(sizeof(float) * (n / 2 + 1));
        double *rr = malloc(sizeof(double) * (n / 2 + 1)), *ri = malloc(sizeof(double) * (n / 2 + 1));
        for (uint32_t i = 0; i < n; i++)
            x[i] = (float)rnd();
        ls_fft_forward(f, x, re, im);
        direct_dft(x, n, rr, ri);
        double err = spectrum_error(re, im, rr, ri, n / 2 + 1);
        double tol = 3e-8 * (ilog2(n) + 1);
        if (!(err <= tol))
            fprintf(stderr, "n=%u: relative error %g\n", n, err);
        CHECK(err <= tol);
        CHECK(im[0] == 0.0f && im[n / 2] == 0.0f);
        free(x);
        free(re);
        free(im);
        free(rr);
        free(ri);
        ls_fft_destroy(f);
    }
}

static void test_known_signals(void)
{
    const uint32_t n = 256;
    ls_fft *f = ls_fft_create(n);
    float x[256], re[129], im[129];
    /* impulse at 0: flat spectrum of ones */
    for (uint32_t i = 0; i < n; i++)
        x[i] = i == 0 ? 1.0f : 0.0f;
    ls_fft_forward(f, x, re, im);
    double worst = 0;
    for (uint32_t k = 0; k <= n / 2; k++)
        worst = fmax(worst, fmax(fabs(re[k] - 1.0), fabs(im[k])));
    CHECK_NEAR(worst, 0.0, 1e-6);
    /* cos at bin 5 and sin at bin 17: n/2 and -n/2 * i at those bins only */
    for (uint32_t i = 0; i < n; i++)
        x[i] = (float)(cos(two_pi * 5 * i / n) + 0.5 * sin(two_pi * 17 * i / n));
    ls_fft_forward(f, x, re, im);
    CHECK_NEAR(re[5], n / 2.0, 1e-3);
    CHECK_NEAR(im[5], 0.0, 1e-3);
    CHECK_NEAR(re[17], 0.0, 1e-3);
    CHECK_NEAR(im[17], -0.25 * n, 1e-3);
    worst = 0;
    for (uint32_t k = 0; k <= n / 2; k++)
        if (k != 5 && k != 17)
            worst = fmax(worst, hypot(re[k], im[k]));
    CHECK_NEAR(worst, 0.0, 1e-3);
    /* alternating signal: everything at the Nyquist bin */
    for (uint32_t i = 0; i < n; i++)
        x[i] = (i & 1) ? -1.0f : 1.0f;
    ls_fft_forward(f, x, re, im);
    CHECK_NEAR(re[n / 2], (double)n, 1e-3);
    CHECK_NEAR(re[0], 0.0, 1e-3);
    ls_fft_destroy(f);
}

static void test_inverse_matches_direct_idft(void)
{
    for (uint32_t n = 2; n <= 4096; n *= 4) {
        ls_fft *f = ls_fft_create(n);
        uint32_t h = n / 2;
        float *re = malloc(sizeof(float) * (h + 1)), *im = malloc(sizeof(float) * (h + 1));
        float *re_copy = malloc(sizeof(float) * (h + 1)), *im_copy = malloc(sizeof(float) * (h + 1));
        float *x = malloc(sizeof(float) * n);
        for (uint32_t k = 0; k <= h; k++) {
            re[k] = (float)rnd();
            im[k] = (k == 0 || k == h) ? 0.0f : (float)rnd();
            re_copy[k] = re[k];
            im_copy[k] = im[k];
        }
        ls_fft_inverse(f, re, im, x);
        double worst = 0, peak = 0;
        for (uint32_t t = 0; t < n; t++) {
            /* x[t] = (1/n) (X0 + Xh (-1)^t + 2 sum Re(X_k e^{i 2 pi k t / n})) */
            double acc = re[0] + ((t & 1) ? -re[h] : re[h]);
            if (h == 0)
                acc = re[0];
            for (uint32_t k = 1; k < h; k++) {
                double a = two_pi * (double)((uint64_t)k * t % n) / n;
                acc += 2.0 * (re[k] * cos(a) - im[k] * sin(a));
            }
            acc /= n;
            worst = fmax(worst, fabs(x[t] - acc));
            peak = fmax(peak, fabs(acc));
        }
        CHECK(worst <= 6e-8 * (ilog2(n) + 1) * fmax(peak, 1e-3));
        /* the input is left untouched */
        int same = 1;
        for (uint32_t k = 0; k <= h; k++)
            same &= re[k] == re_copy[k] && im[k] == im_copy[k];
        CHECK(same);
        free(re);
        free(im);
        free(re_copy);
        free(im_copy);
        free(x);
        ls_fft_destroy(f);
    }
}

static void test_round_trip(void)
{
    for (uint32_t n = 2; n <= (1u << 16); n *= 2) {
        ls_fft *f = ls_fft_create(n);
        float *x = malloc(sizeof(float) * n), *y = malloc(sizeof(float) * n);
        float *re = malloc(sizeof(float) * (n / 2 + 1)), *im = malloc(sizeof(float) * (n / 2 + 1));
        for (uint32_t i = 0; i < n; i++)
            x[i] = (float)rnd();
        ls_fft_forward(f, x, re, im);
        ls_fft_inverse(f, re, im, y);
        double worst = 0;
        for (uint32_t i = 0; i < n; i++)
            worst = fmax(worst, fabs(x[i] - y[i]));
        if (!(worst <= 6e-8 * (ilog2(n) + 1)))
            fprintf(stderr, "n=%u: round trip error %g\n", n, worst);
        CHECK(worst <= 6e-8 * (ilog2(n) + 1));
        /* a plan can be executed again with the same result */
        ls_fft_forward(f, y, re, im);
        ls_fft_inverse(f, re, im, y);
        worst = 0;
        for (uint32_t i = 0; i < n; i++)
            worst = fmax(worst, fabs(x[i] - y[i]));
        CHECK(worst <= 1.2e-7 * (ilog2(n) + 1));
        free(x);
        free(y);
        free(re);
        free(im);
        ls_fft_destroy(f);
    }
}

/* Parseval: sum x^2 = (1/n) sum |X|^2 over the full spectrum. */
static void test_parseval(void)
{
    const uint32_t n = 1024;
    ls_fft *f = ls_fft_create(n);
    float x[1024], re[513], im[513];
    double e_time = 0;
    for (uint32_t i = 0; i < n; i++) {
        x[i] = (float)rnd();
        e_time += (double)x[i] * x[i];
    }
    ls_fft_forward(f, x, re, im);
    double e_freq = (double)re[0] * re[0] + (double)re[n / 2] * re[n / 2];
    for (uint32_t k = 1; k < n / 2; k++)
        e_freq += 2.0 * ((double)re[k] * re[k] + (double)im[k] * im[k]);
    e_freq /= n;
    CHECK_NEAR(e_freq / e_time, 1.0, 1e-5);
    ls_fft_destroy(f);
}

TEST_MAIN(TEST(test_rejects_bad_sizes), TEST(test_forward_matches_direct_dft),
          TEST(test_known_signals), TEST(test_inverse_matches_direct_idft), TEST(test_round_trip),
          TEST(test_parseval))
