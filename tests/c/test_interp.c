/*
 * The interpolation kernel (src/dsp/interp.c) without a context: each mode
 * against what it must reproduce exactly (linear: a line; cubic: a
 * quadratic, its continuation past the edges included; sinc: a sine well
 * inside its passband), and the vectorised runs against the one-frame
 * reference at every position of a run, with wraps, edges, negative steps
 * and several channels.
 */
#include "check.h"
#include "dsp/interp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_linear_and_cubic_reproduce_polynomials(void)
{
    enum { N = 64 };
    float line[N], quad[N];
    for (int k = 0; k < N; k++) {
        line[k] = 0.01f * (float)k - 0.2f;
        quad[k] = (float)(0.3 + 0.02 * k - 0.0005 * k * k);
    }
    ls_interp_view lin = {LS_INTERP_LINEAR, LS_INTERP_EDGE_CONTINUE, 0, N, 0, 0};
    ls_interp_view cub = {LS_INTERP_CUBIC, LS_INTERP_EDGE_CONTINUE, 0, N, 0, 0};
    for (double pos = 0.0; pos < N; pos += 0.0625) {
        CHECK_NEAR(ls_interp_value(&lin, line, pos, 1.0), 0.01 * pos - 0.2, 2e-6);
        CHECK_NEAR(ls_interp_value(&cub, quad, pos, 1.0), 0.3 + 0.02 * pos - 0.0005 * pos * pos,
                   2e-6);
    }
    /* outside the buffer: nothing */
    CHECK(ls_interp_value(&lin, line, -0.5, 1.0) == 0.0f);
    CHECK(ls_interp_value(&cub, quad, N + 0.5, 1.0) == 0.0f);
    /* a whole position is the frame itself */
    CHECK(ls_interp_value(&cub, quad, 17.0, 1.0) == quad[17]);
}

static void test_sinc_reads_a_band_limited_sine(void)
{
    enum { N = 2000 };
    static float x[N];
    const double w = 2 * M_PI * 0.31;            /* 0.62 of the Nyquist frequency */
    for (int k = 0; k < N; k++)
        x[k] = (float)sin(w * k);
    CHECK(ls_interp_init());
    ls_interp_view v = {LS_INTERP_SINC, LS_INTERP_EDGE_CONTINUE, 0, N, 0, 0};
    double worst = 0;
    for (double pos = 200.0; pos < 1800.0; pos += 0.37) {
        double e = fabs(ls_interp_value(&v, x, pos, 0.9) - sin(w * pos));
        if (e > worst)
            worst = e;
    }
    CHECK(worst < 3e-5);          /* float samples and taps: about -95 dB */
    /* the cubic at the same frequency is far off: the test can tell */
    ls_interp_view c = {LS_INTERP_CUBIC, LS_INTERP_EDGE_CONTINUE, 0, N, 0, 0};
    CHECK(fabs(ls_interp_value(&c, x, 1000.37, 0.9) - sin(w * 1000.37)) > 1e-3 ||
          fabs(ls_interp_value(&c, x, 1000.61, 0.9) - sin(w * 1000.61)) > 1e-3);
}

/* ls_interp_read against ls_interp_value frame by frame. */
static void compare_runs(const ls_interp_view *v, const float *const *x, uint32_t channels,
                         double p0, double step, uint32_t m)
{
    static float out[2][512], add[2][512];
    float *y[2] = {out[0], out[1]}, *ya[2] = {add[0], add[1]};
    for (uint32_t c = 0; c < channels; c++)
        for (uint32_t i = 0; i < m; i++)
            add[c][i] = 0.25f;
    ls_interp_read(v, x, channels, y, m, p0, step, false);
    ls_interp_read(v, x, channels, ya, m, p0, step, true);
    for (uint32_t c = 0; c < channels; c++)
        for (uint32_t i = 0; i < m; i++) {
            float want = ls_interp_value(v, x[c], p0 + (double)i * step, step);
            CHECK_NEAR(out[c][i], want, 2e-6);
            CHECK_NEAR(add[c][i], want + 0.25f, 2e-6);
        }
}

static void test_runs_match_the_reference(void)
{
    enum { N = 700 };
    static float a[N], b[N];
    unsigned s = 12345;
    for (int k = 0; k < N; k++) {
        s = s * 1103515245u + 12345u;
        a[k] = (float)((s >> 8) & 0xffff) / 32768.0f - 1.0f;
        b[k] = 0.5f * a[(k * 7) % N];
    }
    const float *x[2] = {a, b};
    CHECK(ls_interp_init());
    const int modes[] = {LS_INTERP_LINEAR, LS_INTERP_CUBIC, LS_INTERP_SINC};
    const double steps[] = {0.79166, 1.0, 0.3, 1.7, 3.1, -0.6, 0.0, -2.3};
    const double starts[] = {0.0, 0.5, 3.25, 57.9, 640.2, 698.6};
    for (int mi = 0; mi < 3; mi++)
        for (int edge = 0; edge < 2; edge++)
            for (int wrap = 0; wrap < 2; wrap++) {
                ls_interp_view v = {modes[mi], edge, wrap, N, 100, 420};
                for (int si = 0; si < 8; si++)
                    for (int pi = 0; pi < 6; pi++) {
                        double p0 = starts[pi];
                        uint32_t m = 300;
                        /* keep the positions inside the buffer (the loop when wrapping) */
                        double lo = wrap ? 100.0 : 0.0, hi = wrap ? 420.0 : (double)N;
                        if (wrap)
                            p0 = lo + fmod(p0, hi - lo);
                        while (m > 1 && (p0 + (m - 1) * steps[si] >= hi ||
                                         p0 + (m - 1) * steps[si] < lo))
                            m--;
                        compare_runs(&v, x, 2, p0, steps[si], m);
                        compare_runs(&v, x, 1, p0, steps[si], m);
                    }
            }
}

static void test_a_loop_is_periodic_to_the_sinc(void)
{
    /* ten periods of a sine in the loop [100, 400): wrapped taps continue it */
    enum { N = 500 };
    static float x[N];
    const double w = 2 * M_PI / 30.0;
    for (int k = 0; k < N; k++)
        x[k] = (float)sin(w * k);
    CHECK(ls_interp_init());
    ls_interp_view v = {LS_INTERP_SINC, LS_INTERP_EDGE_CONTINUE, 1, N, 100, 400};
    for (double pos = 100.0; pos < 400.0; pos += 0.77)
        CHECK_NEAR(ls_interp_value(&v, x, pos, 0.8), sin(w * pos), 3e-5);
}

TEST_MAIN(TEST(test_linear_and_cubic_reproduce_polynomials),
          TEST(test_sinc_reads_a_band_limited_sine), TEST(test_runs_match_the_reference),
          TEST(test_a_loop_is_periodic_to_the_sinc))
