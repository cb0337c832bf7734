/* Real-time contexts on the null backend: the clock advances, suspend stops
 * it, and control threads editing the graph while it renders neither crash
 * nor race (this test is also run under ThreadSanitizer). */
#include "check.h"

#include <pthread.h>
#include <time.h>

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void test_clock_and_states(void)
{
    ls_context *ctx = NULL;
    ls_context_options o = ls_context_options_default();
    o.sample_rate = 48000;
    CHECK_OK(ls_context_create(&o, &ctx));
    CHECK(ls_context_get_state(ctx) == LS_CONTEXT_STATE_SUSPENDED);
    sleep_ms(50);
    CHECK(ls_context_current_frame(ctx) == 0);
    CHECK_OK(ls_context_resume(ctx));
    sleep_ms(300);
    double t = ls_context_current_time(ctx);
    CHECK(t > 0.15 && t < 0.6); /* paced by the clock, generous for loaded machines */
    CHECK_OK(ls_context_suspend(ctx));
    sleep_ms(20);
    uint64_t f = ls_context_current_frame(ctx);
    sleep_ms(100);
    CHECK(ls_context_current_frame(ctx) == f);
    CHECK_OK(ls_context_close(ctx));
    CHECK_OK(ls_context_close(ctx));
    ls_context_release(ctx);
}

typedef struct {
    ls_context *ctx;
    int seed;
    int iterations;
} editor_arg;

static void *editor(void *arg)
{
    editor_arg *a = arg;
    ls_node *dest = ls_context_destination(a->ctx);
    unsigned s = (unsigned)a->seed;
    ls_node *keep[8] = {0};
    for (int i = 0; i < a->iterations; i++) {
        s = s * 1103515245u + 12345u;
        ls_node *c = NULL, *g = NULL;
        ls_constant_source_create(a->ctx, NULL, &c);
        ls_gain_create(a->ctx, NULL, &g);
        ls_node_connect(c, g, 0, 0);
        ls_node_connect(g, dest, 0, 0);
        double now = ls_context_current_time(a->ctx);
        ls_source_start(c, now);
        ls_source_stop(c, now + 0.002 * (s % 8));
        ls_param_set_value(ls_gain_gain(g), (float)(s % 100) / 100.0f);
        ls_param_linear_ramp_to_value_at_time(ls_gain_gain(g), 0.0f, now + 0.01);
        int k = (int)(s % 8);
        if (keep[k]) {
            if (s & 1)
                ls_node_disconnect_all(keep[k]);
            ls_node_connect_param(c, ls_gain_gain(keep[k]), 0);
            ls_node_release(keep[k]);
        }
        keep[k] = g;
        ls_node_release(c);
        ls_event ev;
        while (ls_context_poll_event(a->ctx, &ev))
            ls_node_release(ev.node);
    }
    for (int k = 0; k < 8; k++)
        if (keep[k])
            ls_node_release(keep[k]);
    return NULL;
}

static void test_threads_edit_while_rendering(void)
{
    ls_context *ctx = NULL;
    ls_context_options o = ls_context_options_default();
    o.buffer_size = 128;
    CHECK_OK(ls_context_create(&o, &ctx));
    CHECK_OK(ls_context_resume(ctx));
    pthread_t th[2];
    editor_arg args[2] = {{ctx, 1, 3000}, {ctx, 2, 3000}};
    for (int i = 0; i < 2; i++)
        CHECK(pthread_create(&th[i], NULL, editor, &args[i]) == 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    /* everything was released: the graph drains back to the destination */
    ls_context_stats st;
    for (int tries = 0; tries < 200; tries++) {
        sleep_ms(10);
        ls_context_collect(ctx);
        ls_context_get_stats(ctx, &st);
        if (st.live_nodes == 1)
            break;
    }
    CHECK(st.live_nodes == 1);
    CHECK(st.quanta_rendered > 0);
    CHECK_OK(ls_context_close(ctx));
    ls_context_release(ctx);
}

static void test_release_context_while_running(void)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_context_create(NULL, &ctx));
    CHECK_OK(ls_context_resume(ctx));
    ls_node *c = NULL;
    CHECK_OK(ls_constant_source_create(ctx, NULL, &c));
    CHECK_OK(ls_node_connect(c, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(c, 0));
    sleep_ms(20);
    ls_node_release(c);
    ls_context_release(ctx); /* closes, joins the thread, frees everything */
}

TEST_MAIN(TEST(test_clock_and_states), TEST(test_threads_edit_while_rendering),
          TEST(test_release_context_while_running))
