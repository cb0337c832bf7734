/*
 * The spatial nodes through the public API: the listener is rendered before
 * the panners (a node feeding a listener param is heard in the same
 * quantum), a convolver with a unit impulse is the identity, the
 * compressor reports a reduction, and the errors the spec names.
 */
#include "check.h"

#include <math.h>
#include <string.h>

#define RATE 48000.0
#define FRAMES 1024

/* A ConstantSource of `level` into a panner at (0, 0, -1); the listener's
 * x position is 3, set directly or fed by another constant source. */
static void render_panner(int fed, float *out)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(2, FRAMES, RATE, &ctx));
    ls_node *src, *pan, *feed = NULL;
    ls_constant_source_options so = ls_constant_source_options_default();
    so.offset = 0.5f;
    CHECK_OK(ls_constant_source_create(ctx, &so, &src));
    ls_panner_options po = ls_panner_options_default();
    po.position_z = -1.0f;
    CHECK_OK(ls_panner_create(ctx, &po, &pan));
    ls_node *listener = ls_context_listener(ctx);
    CHECK(listener != NULL && ls_context_listener(ctx) == listener);
    ls_param *lx = ls_node_param_by_name(listener, "position_x");
    CHECK(lx != NULL && ls_param_value(ls_node_param_by_name(listener, "forward_z")) == -1.0f);
    if (fed) {
        so.offset = 3.0f;
        CHECK_OK(ls_constant_source_create(ctx, &so, &feed));
        CHECK_OK(ls_node_connect_param(feed, lx, 0));
        CHECK_OK(ls_source_start(feed, 0));
    } else {
        CHECK_OK(ls_param_set_value(lx, 3.0f));
    }
    CHECK_OK(ls_node_connect(src, pan, 0, 0));
    CHECK_OK(ls_node_connect(pan, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(src, 0));
    ls_buffer *buf;
    CHECK_OK(ls_offline_context_render(ctx, &buf));
    memcpy(out, ls_buffer_channel_data(buf, 0), sizeof(float) * 2 * FRAMES);
    ls_buffer_release(buf);
    ls_node_release(src);
    ls_node_release(pan);
    if (feed)
        ls_node_release(feed);
    ls_context_release(ctx);
}

static void test_listener_is_rendered_before_panners(void)
{
    static float a[2 * FRAMES], b[2 * FRAMES];
    render_panner(1, a);
    render_panner(0, b);
    for (int i = 0; i < 2 * FRAMES; i++)
        CHECK_NEAR(a[i], b[i], 1e-7);
    /* listener at x = 3, source at x = 0: on the left */
    CHECK(a[10] > 2.0f * a[FRAMES + 10]);
}

static void test_convolver_identity(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 512, RATE, &ctx));
    ls_buffer *ir;
    CHECK_OK(ls_buffer_create(1, 100, RATE, &ir));
    ls_buffer_channel_data(ir, 0)[3] = 1.0f;       /* a delay of 3 frames */
    ls_convolver_options co = ls_convolver_options_default();
    co.buffer = ir;
    co.disable_normalization = 1;
    ls_node *conv, *src;
    CHECK_OK(ls_convolver_create(ctx, &co, &conv));
    CHECK(ls_convolver_get_buffer(conv) == ir && ls_convolver_get_normalize(conv) == 0);
    ls_buffer_release(ir);                          /* the node keeps its own reference */
    CHECK_OK(ls_constant_source_create(ctx, NULL, &src));
    CHECK_OK(ls_node_connect(src, conv, 0, 0));
    CHECK_OK(ls_node_connect(conv, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(src, 0));
    ls_buffer *out;
    CHECK_OK(ls_offline_context_render(ctx, &out));
    const float *y = ls_buffer_channel_data(out, 0);
    CHECK(fabsf(y[2]) < 1e-6f && fabsf(y[3] - 1.0f) < 1e-6f && fabsf(y[500] - 1.0f) < 1e-6f);
    ls_buffer_release(out);
    ls_node_release(src);
    ls_node_release(conv);
    ls_context_release(ctx);
}

static void test_errors(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(2, 128, RATE, &ctx));
    ls_node *n;
    ls_panner_options po = ls_panner_options_default();
    po.node.channel_count = 3;
    CHECK(ls_panner_create(ctx, &po, &n) == LS_ERROR_NOT_SUPPORTED);
    po = ls_panner_options_default();
    po.ref_distance = -1;
    CHECK(ls_panner_create(ctx, &po, &n) == LS_ERROR_RANGE);
    po = ls_panner_options_default();
    po.cone_outer_gain = 2;
    CHECK(ls_panner_create(ctx, &po, &n) == LS_ERROR_INVALID_STATE);
    CHECK_OK(ls_panner_create(ctx, NULL, &n));
    CHECK(ls_panner_set_property(n, LS_PANNER_MAX_DISTANCE, 0) == LS_ERROR_RANGE);
    CHECK(ls_node_set_channel_count_mode(n, LS_CHANNEL_COUNT_MODE_MAX) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_node_set_channel_count(n, 3) == LS_ERROR_NOT_SUPPORTED);
    CHECK_OK(ls_node_set_channel_count(n, 1));
    CHECK(ls_panner_get_property(n, LS_PANNER_ROLLOFF_FACTOR) == 1.0);
    ls_node_release(n);
    ls_buffer *b3;
    CHECK_OK(ls_buffer_create(3, 10, RATE, &b3));
    CHECK_OK(ls_convolver_create(ctx, NULL, &n));
    CHECK(ls_convolver_set_buffer(n, b3) == LS_ERROR_NOT_SUPPORTED);
    ls_buffer_release(b3);
    CHECK_OK(ls_buffer_create(1, 10, 44100.0, &b3));
    CHECK(ls_convolver_set_buffer(n, b3) == LS_ERROR_NOT_SUPPORTED);
    ls_buffer_release(b3);
    ls_node_release(n);
    CHECK_OK(ls_dynamics_compressor_create(ctx, NULL, &n));
    CHECK(ls_dynamics_compressor_reduction(n) == 0.0f);
    CHECK(ls_param_set_automation_rate(ls_node_param_by_name(n, "ratio"),
                                       LS_AUTOMATION_RATE_A_RATE) == LS_ERROR_INVALID_STATE);
    ls_node_release(n);
    ls_context_close(ctx);
    CHECK(ls_panner_create(ctx, NULL, &n) == LS_ERROR_INVALID_STATE);
    ls_context_release(ctx);
}

TEST_MAIN(TEST(test_listener_is_rendered_before_panners), TEST(test_convolver_identity),
          TEST(test_errors))
