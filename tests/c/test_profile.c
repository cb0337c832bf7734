/*
 * The render profiler (include/labsound/profile.h): counters only while on,
 * one count per processed quantum, a fresh start each time it is turned on,
 * the argument errors.
 */
#include "check.h"

static void test_profile_counts(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 128 * 100, 48000, &ctx));
    ls_node *osc, *gain;
    CHECK_OK(ls_oscillator_create(ctx, NULL, &osc));
    CHECK_OK(ls_gain_create(ctx, NULL, &gain));
    CHECK_OK(ls_node_connect(osc, gain, 0, 0));
    CHECK_OK(ls_node_connect(gain, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(osc, 0));
    ls_profile p;
    CHECK(ls_context_profiling(ctx) == 0);
    CHECK_OK(ls_offline_context_suspend_at(ctx, 128 * 40 / 48000.0));
    ls_buffer *out = NULL;
    CHECK_OK(ls_offline_context_render(ctx, &out));      /* 40 quanta, off */
    CHECK(out == NULL);
    CHECK_OK(ls_node_get_profile(gain, &p));
    CHECK(p.quanta == 0 && p.total_ns == 0 && p.max_ns == 0);
    CHECK_OK(ls_context_set_profiling(ctx, 1));
    CHECK(ls_context_profiling(ctx) == 1);
    CHECK_OK(ls_offline_context_suspend_at(ctx, 128 * 70 / 48000.0));
    CHECK_OK(ls_offline_context_render(ctx, &out));      /* 30 quanta, on */
    CHECK_OK(ls_node_get_profile(gain, &p));
    CHECK(p.quanta == 30 && p.total_ns >= p.max_ns && p.max_ns > 0);
    ls_profile whole;
    CHECK_OK(ls_context_get_profile(ctx, &whole));
    CHECK(whole.quanta == 30 && whole.total_ns >= p.total_ns);
    CHECK_OK(ls_context_set_profiling(ctx, 0));
    CHECK_OK(ls_context_set_profiling(ctx, 1));          /* a fresh start */
    CHECK_OK(ls_node_get_profile(gain, &p));
    CHECK(p.quanta == 0);
    CHECK_OK(ls_offline_context_render(ctx, &out));      /* the last 30 */
    CHECK(out != NULL);
    CHECK_OK(ls_node_get_profile(osc, &p));
    CHECK(p.quanta == 30);
    CHECK(ls_context_set_profiling(NULL, 1) == LS_ERROR_INVALID_ARGUMENT);
    CHECK(ls_node_get_profile(gain, NULL) == LS_ERROR_INVALID_ARGUMENT);
    CHECK(ls_context_get_profile(NULL, &p) == LS_ERROR_INVALID_ARGUMENT);
    CHECK(ls_context_profiling(NULL) == 0);
    ls_buffer_release(out);
    ls_node_release(gain);
    ls_node_release(osc);
    ls_context_release(ctx);
}

TEST_MAIN(TEST(test_profile_counts))
