/*
 * The sampler voice kernel (src/dsp/sampler.c) without a context. The cubic
 * interpolator and its quadratic continuation past the edges reproduce a
 * quadratic exactly, so a buffer holding one is checked against the
 * polynomial itself, in double precision, anywhere in and past the buffer;
 * regions, loop counts and steps against frames counted out here.
 */
#include "check.h"
#include "dsp/sampler.h"
#include "dsp/interp.h"

#include <math.h>
#include <string.h>

static double quad(double k) { return 0.3 + 0.02 * k - 0.0005 * k * k; }

static void test_value_reproduces_a_quadratic(void)
{
    enum { N = 40 };
    float x[N];
    for (int k = 0; k < N; k++)
        x[k] = (float)quad(k);
    for (double pos = 0.0; pos < N; pos += 0.125) {
        double want = quad(pos);
        CHECK_NEAR(ls_sampler_value(x, N, pos), want, 2e-6);
    }
    /* whole frames are the samples themselves */
    for (int k = 0; k < N; k++)
        CHECK(ls_sampler_value(x, N, (double)k) == x[k]);
    CHECK(ls_sampler_value(x, N, -0.5) == 0.0f);     /* outside: silence */
    CHECK(ls_sampler_value(x, N, N + 0.5) == 0.0f);
    /* a buffer of one or two frames holds its edge frame */
    float one[1] = {0.75f};
    CHECK(ls_sampler_value(one, 1, 0.5) == 0.75f);
}

static void test_loops_and_regions(void)
{
    enum { N = 64, OUT = 128 };
    float x[N], y[OUT];
    for (int k = 0; k < N; k++)
        x[k] = (float)(k + 1);
    const float *xs[1] = {x};
    float *ys[1] = {y};
    /* region [10, 20) played three times from frame 5 of the block */
    ls_sampler_voice v = {10.0, 10.0, 20.0, 2};
    memset(y, 0, sizeof y);
    uint32_t end = ls_sampler_voice_add(&v, xs, 1, N, 1.0, LS_INTERP_CUBIC, ys, 5, OUT);
    CHECK(end == 35);
    for (int i = 0; i < OUT; i++) {
        float want = i >= 5 && i < 35 ? (float)(10 + (i - 5) % 10 + 1) : 0.0f;
        CHECK(y[i] == want);
    }
    /* it adds: a second voice on top, looping for ever, never ends */
    ls_sampler_voice w = {0.0, 0.0, 4.0, -1};
    end = ls_sampler_voice_add(&w, xs, 1, N, 1.0, LS_INTERP_CUBIC, ys, 0, OUT);
    CHECK(end == OUT);
    CHECK(y[0] == 1.0f && y[5] == 11.0f + 2.0f && y[127] == 4.0f);
    /* half speed: each region frame lasts two output frames (whole and halfway) */
    ls_sampler_voice h = {0.0, 0.0, 8.0, 0};
    memset(y, 0, sizeof y);
    end = ls_sampler_voice_add(&h, xs, 1, N, 0.5, LS_INTERP_CUBIC, ys, 0, OUT);
    CHECK(end == 16);
    for (int i = 0; i < 16; i++)
        CHECK_NEAR(y[i], 1.0 + 0.5 * i, 1e-5);     /* x is linear: exact in between */
    /* an empty region ends at once */
    ls_sampler_voice e = {3.0, 3.0, 3.0, 5};
    CHECK(ls_sampler_voice_add(&e, xs, 1, N, 1.0, LS_INTERP_CUBIC, ys, 7, OUT) == 7);
}

static void test_state_carries_across_blocks(void)
{
    enum { N = 300 };
    float x[N], a[N], b[N];
    for (int k = 0; k < N; k++)
        x[k] = (float)quad(k * 0.1);
    const float *xs[1] = {x};
    /* one call of 256 frames against two of 128: the same samples */
    ls_sampler_voice v1 = {0.25, 0.0, N, 1}, v2 = v1;
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    float *ya[1] = {a}, *yb0[1] = {b}, *yb1[1] = {b + 128};
    ls_sampler_voice_add(&v1, xs, 1, N, 1.37, LS_INTERP_CUBIC, ya, 0, 256);
    ls_sampler_voice_add(&v2, xs, 1, N, 1.37, LS_INTERP_CUBIC, yb0, 0, 128);
    ls_sampler_voice_add(&v2, xs, 1, N, 1.37, LS_INTERP_CUBIC, yb1, 0, 128);
    for (int i = 0; i < 256; i++)
        CHECK(a[i] == b[i]);
    CHECK(v1.pos == v2.pos && v1.loops_left == v2.loops_left);
    CHECK(v1.loops_left == 0);                      /* 256 * 1.37 > 300: it looped once */
}

/* A huge step wraps in constant time: each frame lands back in the region
 * (the wrap used to step back one region length per iteration, forever once
 * the playhead was far enough past it), and counted loops run out at once. */
static void test_huge_steps_wrap_at_once(void)
{
    enum { N = 50, OUT = 128 };
    float x[N], y[OUT];
    for (int k = 0; k < N; k++)
        x[k] = 1.0f;
    const float *xs[1] = {x};
    float *ys[1] = {y};
    const double steps[] = {1e9, 1e30, 3.4e38 * 2.0, 1e300};
    for (int s = 0; s < 4; s++) {
        ls_sampler_voice v = {10.0, 10.0, 40.0, -1};
        memset(y, 0, sizeof y);
        CHECK(ls_sampler_voice_add(&v, xs, 1, N, steps[s], LS_INTERP_CUBIC, ys, 0, OUT) == OUT);
        CHECK(ls_sampler_wrap(&v) && v.pos >= 10.0 && v.pos < 40.0);
        for (int i = 0; i < OUT; i++)
            CHECK(y[i] == 1.0f);
        ls_sampler_voice c = {10.0, 10.0, 40.0, 5};
        CHECK(ls_sampler_voice_add(&c, xs, 1, N, steps[s], LS_INTERP_CUBIC, ys, 0, OUT) == 1);
    }
    /* the wrap alone: 3.5 region lengths past the start is three laps */
    ls_sampler_voice w = {10.0 + 3.5 * 30.0, 10.0, 40.0, 4};
    CHECK(ls_sampler_wrap(&w) && w.loops_left == 1 && fabs(w.pos - 25.0) < 1e-12);
    ls_sampler_voice e = {10.0 + 3.5 * 30.0, 10.0, 40.0, 2};
    CHECK(!ls_sampler_wrap(&e));
}

TEST_MAIN(TEST(test_value_reproduces_a_quadratic), TEST(test_loops_and_regions),
          TEST(test_state_carries_across_blocks), TEST(test_huge_steps_wrap_at_once))
