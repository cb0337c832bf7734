/*
 * The granulation kernel without a context: each window against its formula
 * (computed here in double), a grain from a constant-1 source is the window
 * itself, a grain split over two calls equals one call, a grain read past the
 * source's end is 0 there, a half-rate grain interpolates linearly. The node:
 * rectangle grains of a constant buffer start every sample_rate / grain_rate
 * frames, bad options give their error codes.
 */
#include "check.h"
#include "dsp/granulation.h"
#include "labsound/extended.h"

#include <string.h>

static const double tau = 6.283185307179586;

static double ref(int w, double t)
{
    switch (w) {
    case LS_GRAIN_HANN: return 0.5 * (1 - cos(tau * t));
    case LS_GRAIN_TRIANGLE: return t < 0.5 ? 2 * t : 2 - 2 * t;
    case LS_GRAIN_GAUSSIAN: return exp(-0.5 * pow((2 * t - 1) / 0.4, 2));
    case LS_GRAIN_TUKEY:
        if (t < 0.25) return 0.5 * (1 - cos(tau * t / 0.5));
        if (t > 0.75) return 0.5 * (1 - cos(tau * (1 - t) / 0.5));
        return 1;
    case LS_GRAIN_BLACKMAN: return 0.42 - 0.5 * cos(tau * t) + 0.08 * cos(2 * tau * t);
    case LS_GRAIN_HAMMING: return 0.54 - 0.46 * cos(tau * t);
    default: return 1;
    }
}

static void test_windows(void)
{
    static float one[1000], out[257];
    for (int i = 0; i < 1000; i++)
        one[i] = 1.0f;
    for (int w = 0; w < LS_GRAIN_WINDOWS; w++) {
        memset(out, 0, sizeof out);
        ls_grain_add(out, w, 257, 0, 257, one, 1000, 10.0, 1.0);
        double err = 0;
        for (int j = 0; j < 257; j++)
            err = fmax(err, fabs(out[j] - ref(w, j / 256.0)));
        CHECK_NEAR(err, 0.0, 1e-6);
    }
}

static void test_split_and_edges(void)
{
    static float src[100], a[64], b[64];
    for (int i = 0; i < 100; i++)
        src[i] = (float)i;
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    ls_grain_add(a, LS_GRAIN_RECTANGLE, 64, 0, 64, src, 100, 0.0, 0.5);
    ls_grain_add(b, LS_GRAIN_RECTANGLE, 64, 0, 20, src, 100, 0.0, 0.5);
    ls_grain_add(b + 20, LS_GRAIN_RECTANGLE, 64, 20, 64, src, 100, 0.0, 0.5);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK_NEAR(a[3], 1.5, 1e-6);                  /* half rate: linear between frames 1 and 2 */
    memset(a, 0, sizeof a);
    ls_grain_add(a, LS_GRAIN_RECTANGLE, 64, 0, 64, src, 100, 80.0, 1.0);
    CHECK_NEAR(a[19], 99.0, 1e-6);
    CHECK(a[20] == 0.0f && a[63] == 0.0f);        /* past the source's end */
}

/* fill + add_windowed in pieces against ls_grain_add in one call */
static void test_two_step(void)
{
    static float src[3000], a[1500], b[1500], w[128];
    for (int i = 0; i < 3000; i++)
        src[i] = (float)sin(0.01 * i * i / 300.0);
    for (int win = 0; win < LS_GRAIN_WINDOWS; win++) {
        for (int rate = 0; rate < 2; rate++) {
            double step = rate ? 0.73 : 1.0, pos = rate ? 17.25 : 40.0;
            memset(a, 0, sizeof a);
            memset(b, 0, sizeof b);
            ls_grain_add(a, win, 1400, 0, 1400, src, 3000, pos, step);
            for (uint64_t from = 0; from < 1400;) {
                uint32_t n = (uint32_t)(from % 3 == 0 ? 128 : 77);
                if (from + n > 1400)
                    n = (uint32_t)(1400 - from);
                ls_grain_window_fill(w, win, 1400, from, n);
                ls_grain_add_windowed(b + from, w, n, from, src, 3000, pos, step);
                from += n;
            }
            double err = 0;
            for (int j = 0; j < 1500; j++)
                err = fmax(err, fabs(a[j] - b[j]));
            CHECK_NEAR(err, 0.0, 1e-6);
        }
    }
}

static void test_node(void)
{
    const double sr = 48000;
    ls_context *ctx;
    ls_buffer *b, *out = NULL;
    ls_node *g = NULL;
    CHECK_OK(ls_offline_context_create(1, 9600, sr, &ctx));
    CHECK_OK(ls_buffer_create(1, 48000, sr, &b));
    float *x = ls_buffer_channel_data(b, 0);
    for (int i = 0; i < 48000; i++)
        x[i] = 1.0f;
    ls_granulation_options o = ls_granulation_options_default();
    CHECK(ls_granulation_create(ctx, &o, &g) == LS_ERROR_INVALID_ARGUMENT);   /* no buffer */
    o.buffer = b;
    o.grain_duration = NAN;
    CHECK(ls_granulation_create(ctx, &o, &g) == LS_ERROR_RANGE);
    o.grain_duration = -0.1f;
    CHECK(ls_granulation_create(ctx, &o, &g) == LS_ERROR_RANGE);
    o.grain_duration = 0.01f;
    o.window = LS_GRAIN_WINDOW_COUNT;
    CHECK(ls_granulation_create(ctx, &o, &g) == LS_ERROR_INVALID_ARGUMENT);
    o.window = LS_GRAIN_WINDOW_RECTANGLE;
    o.max_voices = 0;
    CHECK(ls_granulation_create(ctx, &o, &g) == LS_ERROR_NOT_SUPPORTED);
    o.max_voices = 8;
    o.grain_rate = 20;
    CHECK_OK(ls_granulation_create(ctx, &o, &g));
    CHECK_OK(ls_node_connect(g, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(g, 0));
    CHECK_OK(ls_offline_context_render(ctx, &out));
    const float *y = out ? ls_buffer_channel_data(out, 0) : NULL;
    int bad = 0;
    for (int n = 0; y && n < 9600; n++)
        bad += y[n] != (n % 2400 < 480 ? 1.0f : 0.0f);
    CHECK(y && bad == 0);
    CHECK(ls_granulation_grains_started(g) == 4 && ls_granulation_grains_dropped(g) == 0);
    CHECK(ls_granulation_max_voices(g) == 8 && ls_granulation_buffer(g) == b);
    ls_buffer_release(out);
    ls_node_release(g);
    ls_buffer_release(b);
    ls_context_release(ctx);
}

TEST_MAIN(TEST(test_windows), TEST(test_split_and_edges), TEST(test_two_step),
          TEST(test_node))
