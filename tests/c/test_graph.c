/* Render graph: summing, gain, scheduling accuracy, ended events, cycles,
 * disconnect forms and node lifetime, through the public API. Expected values
 * are exact (sums and products of small binary fractions). */
#include "check.h"

#include <string.h>

#define SR 48000.0

static ls_context *offline(uint32_t channels, uint64_t frames)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_offline_context_create(channels, frames, SR, &ctx));
    return ctx;
}

static ls_node *constant(ls_context *ctx, float offset)
{
    ls_constant_source_options o = ls_constant_source_options_default();
    o.offset = offset;
    ls_node *n = NULL;
    CHECK_OK(ls_constant_source_create(ctx, &o, &n));
    return n;
}

static ls_node *gain(ls_context *ctx, float g)
{
    ls_gain_options o = ls_gain_options_default();
    o.gain = g;
    ls_node *n = NULL;
    CHECK_OK(ls_gain_create(ctx, &o, &n));
    return n;
}

static ls_buffer *render(ls_context *ctx)
{
    ls_buffer *b = NULL;
    CHECK_OK(ls_offline_context_render(ctx, &b));
    return b;
}

static void test_gain_and_fan_in(void)
{
    ls_context *ctx = offline(2, 1024);
    ls_node *a = constant(ctx, 0.5f), *b = constant(ctx, 0.25f), *g = gain(ctx, 2.0f);
    CHECK_OK(ls_node_connect(a, g, 0, 0));
    CHECK_OK(ls_node_connect(b, g, 0, 0));
    CHECK_OK(ls_node_connect(g, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(a, 0));
    CHECK_OK(ls_source_start(b, 0));
    ls_buffer *out = render(ctx);
    const float *l = ls_buffer_channel_data(out, 0), *r = ls_buffer_channel_data(out, 1);
    int bad = 0;
    for (int i = 0; i < 1024; i++)
        bad += l[i] != 1.5f || r[i] != 1.5f; /* mono up-mixed to both speakers */
    CHECK(bad == 0);
    ls_buffer_release(out);
    ls_node_release(a);
    ls_node_release(b);
    ls_node_release(g);
    ls_context_release(ctx);
}

static void test_start_stop_sample_accurate(void)
{
    ls_context *ctx = offline(1, 4096);
    ls_node *a = constant(ctx, 1.0f);
    CHECK_OK(ls_node_connect(a, ls_context_destination(ctx), 0, 0));
    /* start between frames 1000 and 1001, stop between 2000 and 2001:
     * frames [ceil(start*sr), ceil(stop*sr)) play */
    CHECK_OK(ls_source_start(a, 1000.3 / SR));
    CHECK_OK(ls_source_stop(a, 2000.5 / SR));
    ls_buffer *out = render(ctx);
    const float *d = ls_buffer_channel_data(out, 0);
    int bad = 0;
    for (int i = 0; i < 4096; i++)
        bad += d[i] != ((i >= 1001 && i < 2001) ? 1.0f : 0.0f);
    CHECK(bad == 0);
    CHECK(d[1000] == 0.0f && d[1001] == 1.0f && d[2000] == 1.0f && d[2001] == 0.0f);
    ls_buffer_release(out);
    ls_node_release(a);
    ls_context_release(ctx);
}

static void test_start_on_exact_frame(void)
{
    ls_context *ctx = offline(1, 512);
    ls_node *a = constant(ctx, 1.0f);
    CHECK_OK(ls_node_connect(a, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(a, 128.0 / SR));
    CHECK_OK(ls_source_stop(a, 300.0 / SR));
    ls_buffer *out = render(ctx);
    const float *d = ls_buffer_channel_data(out, 0);
    CHECK(d[127] == 0.0f && d[128] == 1.0f && d[299] == 1.0f && d[300] == 0.0f);
    ls_buffer_release(out);
    ls_node_release(a);
    ls_context_release(ctx);
}

static void test_ended_event(void)
{
    ls_context *ctx = offline(1, 4096);
    ls_node *a = constant(ctx, 1.0f), *b = constant(ctx, 1.0f);
    CHECK_OK(ls_node_connect(a, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(a, 0));
    CHECK_OK(ls_source_stop(a, 0.01));
    CHECK_OK(ls_source_start(b, 0)); /* never stopped: no event */
    ls_node_set_user_data(a, (void *)0x1234);
    CHECK(ls_source_is_playing(a));
    ls_buffer *out = render(ctx);
    ls_event ev;
    int n = 0;
    while (ls_context_poll_event(ctx, &ev)) {
        if (ev.type == LS_EVENT_STATECHANGE)
            continue;
        n++;
        CHECK(ev.type == LS_EVENT_ENDED);
        CHECK(ev.node == a);
        CHECK(ev.user_data == (void *)0x1234);
        CHECK_NEAR(ev.time, 0.01, 1e-9);
        ls_node_release(ev.node);
    }
    CHECK(n == 1);
    CHECK(!ls_source_is_playing(a));
    CHECK(ls_source_is_playing(b));
    ls_buffer_release(out);
    ls_node_release(a);
    ls_node_release(b);
    ls_context_release(ctx);
}

static void test_stop_before_start(void)
{
    ls_context *ctx = offline(1, 1024);
    ls_node *a = constant(ctx, 1.0f);
    CHECK_OK(ls_node_connect(a, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(a, 256 / SR));
    CHECK_OK(ls_source_stop(a, 100 / SR));
    ls_buffer *out = render(ctx);
    const float *d = ls_buffer_channel_data(out, 0);
    int bad = 0;
    for (int i = 0; i < 1024; i++)
        bad += d[i] != 0.0f;
    CHECK(bad == 0);
    ls_event ev;
    int n = 0;
    while (ls_context_poll_event(ctx, &ev)) {
        n += ev.type == LS_EVENT_ENDED;
        ls_node_release(ev.node);
    }
    CHECK(n == 1);
    ls_buffer_release(out);
    ls_node_release(a);
    ls_context_release(ctx);
}

/* The states an offline context went through, from its statechange events. */
static int drain_states(ls_context *ctx, ls_context_state *states, int max)
{
    ls_event ev;
    int n = 0;
    while (ls_context_poll_event(ctx, &ev)) {
        if (ev.type == LS_EVENT_STATECHANGE) {
            CHECK(ev.node == NULL);
            if (n < max)
                states[n] = ls_context_get_state(ctx);
            n++;
        }
        ls_node_release(ev.node);
    }
    return n;
}

/* suspend_at: rendering stops at each quantized frame, graph edits made
 * there take effect from that frame, and the result is the same buffer. */
static void test_offline_suspend(void)
{
    ls_context *ctx = offline(1, 1000);
    ls_node *a = constant(ctx, 1.0f);
    CHECK_OK(ls_node_connect(a, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(a, 0));
    /* 300 frames round down to 256; 600 to 512 */
    CHECK_OK(ls_offline_context_suspend_at(ctx, 600 / SR));
    CHECK_OK(ls_offline_context_suspend_at(ctx, 300 / SR));
    CHECK(ls_offline_context_suspend_at(ctx, 310 / SR) == LS_ERROR_INVALID_STATE); /* same frame */
    CHECK(ls_offline_context_suspend_at(ctx, -1.0) == LS_ERROR_INVALID_STATE);
    CHECK(ls_offline_context_suspend_at(ctx, 1024 / SR) == LS_ERROR_INVALID_STATE); /* past the end */
    CHECK(ls_offline_context_suspend_at(ctx, NAN) == LS_ERROR_RANGE);
    ls_buffer *b = (ls_buffer *)1;
    CHECK_OK(ls_offline_context_render(ctx, &b));
    CHECK(b == NULL);
    CHECK(ls_context_current_frame(ctx) == 256);
    CHECK(ls_context_get_state(ctx) == LS_CONTEXT_STATE_SUSPENDED);
    CHECK(ls_offline_context_suspend_at(ctx, 256 / SR) == LS_ERROR_INVALID_STATE); /* rendered */
    /* at the suspension: the source's level changes from here */
    ls_param_set_value(ls_constant_source_offset(a), 0.5f);
    CHECK_OK(ls_offline_context_render(ctx, &b));
    CHECK(b == NULL);
    CHECK(ls_context_current_frame(ctx) == 512);
    ls_param_set_value(ls_constant_source_offset(a), 0.25f);
    CHECK_OK(ls_offline_context_render(ctx, &b));
    CHECK(b != NULL);
    CHECK(ls_context_get_state(ctx) == LS_CONTEXT_STATE_CLOSED);
    const float *d = ls_buffer_channel_data(b, 0);
    int bad = 0;
    for (int i = 0; i < 1000; i++)
        bad += d[i] != (i < 256 ? 1.0f : i < 512 ? 0.5f : 0.25f);
    CHECK(bad == 0);
    ls_buffer *again = NULL;
    CHECK(ls_offline_context_render(ctx, &again) == LS_ERROR_INVALID_STATE);
    CHECK(ls_offline_context_suspend_at(ctx, 0.0) == LS_ERROR_INVALID_STATE);
    ls_buffer_release(b);
    ls_node_release(a);
    ls_context_release(ctx);
}

/* statechange events: suspended -> running -> suspended (at a suspension)
 * -> running -> closed; a suspension at frame 0 runs and suspends at once. */
static void test_offline_state_events(void)
{
    ls_context *ctx = offline(1, 512);
    CHECK_OK(ls_offline_context_suspend_at(ctx, 0.0));
    CHECK_OK(ls_offline_context_suspend_at(ctx, 200 / SR));
    ls_buffer *b = NULL;
    ls_context_state st[8];
    CHECK_OK(ls_offline_context_render(ctx, &b));
    CHECK(b == NULL && ls_context_current_frame(ctx) == 0);
    CHECK(drain_states(ctx, st, 8) == 2);
    CHECK_OK(ls_offline_context_render(ctx, &b));
    CHECK(b == NULL && ls_context_current_frame(ctx) == 128);
    CHECK(drain_states(ctx, st, 8) == 2);
    CHECK_OK(ls_offline_context_render(ctx, &b));
    CHECK(b != NULL);
    CHECK(drain_states(ctx, st, 8) == 2);
    CHECK(st[1] == LS_CONTEXT_STATE_CLOSED);
    ls_buffer_release(b);
    ls_context_release(ctx);
}

static void test_errors(void)
{
    ls_context *ctx = offline(1, 256);
    ls_node *a = constant(ctx, 1.0f), *g = gain(ctx, 1.0f);
    CHECK(ls_source_stop(a, 0) == LS_ERROR_INVALID_STATE);
    CHECK(ls_source_start(a, -1) == LS_ERROR_RANGE);
    CHECK(ls_source_start(a, NAN) == LS_ERROR_RANGE);
    CHECK(ls_source_start(a, INFINITY) == LS_ERROR_RANGE);
    CHECK_OK(ls_source_start(a, 0));
    CHECK(ls_source_start(a, 0) == LS_ERROR_INVALID_STATE);
    CHECK(ls_source_start(g, 0) == LS_ERROR_INVALID_ARGUMENT);
    CHECK(ls_node_connect(a, g, 1, 0) == LS_ERROR_INDEX_SIZE);
    CHECK(ls_node_connect(a, g, 0, 1) == LS_ERROR_INDEX_SIZE);
    CHECK(ls_node_disconnect_node(a, g) == LS_ERROR_INVALID_ACCESS);
    CHECK(ls_node_disconnect_output(a, 3) == LS_ERROR_INDEX_SIZE);
    CHECK(ls_node_set_channel_count(g, 0) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_node_set_channel_count(g, 33) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_node_set_channel_count_mode(g, (ls_channel_count_mode)7) == LS_ERROR_INVALID_ARGUMENT);
    ls_context *other = offline(1, 256);
    ls_node *x = constant(other, 1.0f);
    CHECK(ls_node_connect(a, x, 0, 0) == LS_ERROR_INVALID_ACCESS);
    ls_node_release(x);
    ls_context_release(other);
    /* the context still works */
    CHECK_OK(ls_node_connect(a, ls_context_destination(ctx), 0, 0));
    ls_buffer *out = render(ctx);
    CHECK(ls_buffer_channel_data(out, 0)[100] == 1.0f);
    CHECK(ls_offline_context_render(ctx, &out) == LS_ERROR_INVALID_STATE);
    ls_buffer_release(out);
    ls_node_release(a);
    ls_node_release(g);
    ls_context_release(ctx);
}

static void test_cycle_is_silent(void)
{
    ls_context *ctx = offline(1, 512);
    ls_node *src = constant(ctx, 1.0f), *a = gain(ctx, 0.5f), *b = gain(ctx, 0.5f);
    ls_node *side = constant(ctx, 0.25f);
    CHECK_OK(ls_node_connect(src, a, 0, 0));
    CHECK_OK(ls_node_connect(a, b, 0, 0));
    CHECK_OK(ls_node_connect(b, a, 0, 0));
    CHECK_OK(ls_node_connect(b, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_node_connect(side, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(src, 0));
    CHECK_OK(ls_source_start(side, 0));
    ls_buffer *out = render(ctx);
    const float *d = ls_buffer_channel_data(out, 0);
    int bad = 0;
    for (int i = 0; i < 512; i++)
        bad += d[i] != 0.25f; /* only the source outside the cycle is heard */
    CHECK(bad == 0);
    ls_buffer_release(out);
    ls_node_release(src);
    ls_node_release(a);
    ls_node_release(b);
    ls_node_release(side);
    ls_context_release(ctx);
}

/* Each disconnect form removes exactly the connections it names. Two
 * constants (1 and 2) feed a gain; the output tells which are connected. */
static float render_after(int form)
{
    ls_context *ctx = offline(1, 256);
    ls_node *a = constant(ctx, 1.0f), *b = constant(ctx, 2.0f), *g = gain(ctx, 1.0f);
    ls_node *m = constant(ctx, 0.0f); /* modulates g's gain: +4 */
    ls_node *four = constant(ctx, 4.0f);
    ls_node *dest = ls_context_destination(ctx);
    CHECK_OK(ls_node_connect(a, g, 0, 0));
    CHECK_OK(ls_node_connect(a, dest, 0, 0));
    CHECK_OK(ls_node_connect(b, g, 0, 0));
    CHECK_OK(ls_node_connect(g, dest, 0, 0));
    CHECK_OK(ls_node_connect_param(four, ls_gain_gain(g), 0));
    ls_node *srcs[] = {a, b, m, four};
    for (int i = 0; i < 4; i++)
        CHECK_OK(ls_source_start(srcs[i], 0));
    switch (form) {
    case 0: break;
    case 1: CHECK_OK(ls_node_disconnect_all(a)); break;                         /* a gone */
    case 2: CHECK_OK(ls_node_disconnect_output(a, 0)); break;                   /* a gone */
    case 3: CHECK_OK(ls_node_disconnect_node(a, g)); break;                     /* a only direct */
    case 4: CHECK_OK(ls_node_disconnect_node_output(a, dest, 0)); break;        /* a only via g */
    case 5: CHECK_OK(ls_node_disconnect_node_output_input(b, g, 0, 0)); break;  /* b gone */
    case 6: CHECK_OK(ls_node_disconnect_param(four, ls_gain_gain(g))); break;   /* gain back to 1 */
    case 7: CHECK_OK(ls_node_disconnect_param_output(four, ls_gain_gain(g), 0)); break;
    }
    ls_buffer *out = render(ctx);
    float v = ls_buffer_channel_data(out, 0)[200];
    ls_buffer_release(out);
    for (int i = 0; i < 4; i++)
        ls_node_release(srcs[i]);
    ls_node_release(g);
    ls_context_release(ctx);
    return v;
}

static void test_disconnect_forms(void)
{
    /* full graph: a + (a + b) * (1 + 4) = 1 + 15 = 16 */
    CHECK(render_after(0) == 16.0f);
    CHECK(render_after(1) == 10.0f);
    CHECK(render_after(2) == 10.0f);
    CHECK(render_after(3) == 11.0f);
    CHECK(render_after(4) == 15.0f);
    CHECK(render_after(5) == 6.0f);
    CHECK(render_after(6) == 4.0f);
    CHECK(render_after(7) == 4.0f);
}

static void test_many_notes_are_reclaimed(void)
{
    /* 20,000 notes of 1 ms each, spread over 2 s, references dropped. */
    const int notes = 20000;
    ls_context *ctx = offline(1, (uint64_t)(2.1 * SR));
    ls_node *dest = ls_context_destination(ctx);
    for (int i = 0; i < notes; i++) {
        ls_node *c = constant(ctx, 0.001f), *g = gain(ctx, 0.5f);
        ls_node_connect(c, g, 0, 0);
        ls_node_connect(g, dest, 0, 0);
        double t = 2.0 * i / notes;
        ls_source_start(c, t);
        ls_source_stop(c, t + 0.001);
        ls_node_release(c);
        ls_node_release(g);
    }
    ls_context_stats st;
    ls_context_get_stats(ctx, &st);
    CHECK(st.live_nodes == 2u * notes + 1);
    ls_buffer *out = render(ctx);
    /* 0.0005 per note, ~10 notes overlap at any time */
    CHECK_NEAR(ls_buffer_channel_data(out, 0)[48000], 0.0005 * 10, 0.0005 * 2);
    ls_context_get_stats(ctx, &st);
    CHECK(st.live_nodes == 1); /* only the destination is left */
    ls_buffer_release(out);
    ls_context_release(ctx);
}

static void test_dropped_reference_keeps_playing(void)
{
    ls_context *ctx = offline(1, 48000);
    ls_node *a = constant(ctx, 1.0f), *g = gain(ctx, 0.5f);
    CHECK_OK(ls_node_connect(a, g, 0, 0));
    CHECK_OK(ls_node_connect(g, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(a, 0));
    CHECK_OK(ls_source_stop(a, 0.75));
    ls_node_release(a);
    ls_node_release(g);
    ls_buffer *out = render(ctx);
    const float *d = ls_buffer_channel_data(out, 0);
    CHECK(d[0] == 0.5f && d[35999] == 0.5f && d[36000] == 0.0f);
    ls_buffer_release(out);
    ls_context_release(ctx);
}

static void test_close_with_live_nodes(void)
{
    ls_context *ctx = NULL;
    ls_context_options o = ls_context_options_default();
    CHECK_OK(ls_context_create(&o, &ctx));
    ls_node *a = constant(ctx, 1.0f);
    CHECK_OK(ls_node_connect(a, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(a, 0));
    CHECK_OK(ls_context_resume(ctx));
    CHECK(ls_context_get_state(ctx) == LS_CONTEXT_STATE_RUNNING);
    CHECK_OK(ls_context_close(ctx));
    CHECK(ls_context_get_state(ctx) == LS_CONTEXT_STATE_CLOSED);
    CHECK(ls_context_resume(ctx) == LS_ERROR_INVALID_STATE);
    ls_node *g = NULL;
    CHECK(ls_gain_create(ctx, NULL, &g) == LS_ERROR_INVALID_STATE);
    CHECK(ls_node_connect(a, ls_context_destination(ctx), 0, 0) == LS_ERROR_INVALID_STATE);
    ls_context_release(ctx);  /* the node still holds the context */
    ls_node_release(a);       /* now both go */
}

static void test_node_names(void)
{
    ls_context *ctx = offline(1, 256);
    ls_node *g = gain(ctx, 1.0f);
    char buf[8];
    CHECK(ls_node_get_name(g, NULL, 0) == 0);
    CHECK(ls_node_get_name(g, buf, sizeof buf) == 0 && buf[0] == '\0');
    CHECK_OK(ls_node_set_name(g, "lead"));
    CHECK(ls_node_get_name(g, buf, sizeof buf) == 4 && strcmp(buf, "lead") == 0);
    /* a name longer than the buffer is cut, and its whole length returned */
    CHECK_OK(ls_node_set_name(g, "lead voice"));
    CHECK(ls_node_get_name(g, buf, sizeof buf) == 10 && strcmp(buf, "lead vo") == 0);
    CHECK(ls_node_get_name(g, buf, 1) == 10 && buf[0] == '\0');
    /* too long: refused, the old name kept */
    char big[LS_NODE_NAME_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK(ls_node_set_name(g, big) == LS_ERROR_RANGE);
    CHECK(ls_node_get_name(g, NULL, 0) == 10);
    big[LS_NODE_NAME_MAX] = '\0';
    CHECK_OK(ls_node_set_name(g, big));
    CHECK(ls_node_get_name(g, NULL, 0) == LS_NODE_NAME_MAX);
    CHECK(ls_node_set_name(NULL, "x") == LS_ERROR_INVALID_ARGUMENT);
    /* NULL and "" clear it */
    CHECK_OK(ls_node_set_name(g, NULL));
    CHECK(ls_node_get_name(g, NULL, 0) == 0);
    CHECK_OK(ls_node_set_name(g, "pad"));
    CHECK_OK(ls_node_set_name(g, ""));
    CHECK(ls_node_get_name(g, buf, sizeof buf) == 0 && buf[0] == '\0');
    /* a named node freed with its context leaks nothing (ASan run) */
    CHECK_OK(ls_node_set_name(g, "kept to the end"));
    ls_node_release(g);
    ls_context_release(ctx);
}

TEST_MAIN(TEST(test_gain_and_fan_in), TEST(test_start_stop_sample_accurate),
          TEST(test_start_on_exact_frame), TEST(test_ended_event), TEST(test_stop_before_start),
          TEST(test_offline_suspend), TEST(test_offline_state_events),
          TEST(test_errors), TEST(test_cycle_is_silent), TEST(test_disconnect_forms),
          TEST(test_many_notes_are_reclaimed), TEST(test_dropped_reference_keeps_playing),
          TEST(test_close_with_live_nodes), TEST(test_node_names))
