/* Script nodes: a user function per quantum. Offline (SYNC) output is
 * checked against the same formula computed here; the real-time (WORKER)
 * mode is checked for calls, the ring's bookkeeping and its lookahead. */
#include "check.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

typedef struct {
    ls_script *s;
    int calls;
    int released;
} user_state;

/* out = 2 * in + param "bias" (a-rate) */
static int double_plus_bias(void *user, const ls_script_block *b)
{
    user_state *u = user;
    u->calls++;
    float *in = ls_script_memory(u->s, b->slot, LS_SCRIPT_AREA_INPUT, 0, 0);
    float *out = ls_script_memory(u->s, b->slot, LS_SCRIPT_AREA_OUTPUT, 0, 0);
    float *bias = ls_script_memory(u->s, b->slot, LS_SCRIPT_AREA_PARAM, 0, 0);
    for (int i = 0; i < LS_RENDER_QUANTUM; i++) {
        float x = b->input_channels[0] ? in[i] : 0.0f;
        out[i] = 2.0f * x + (b->param_constant[0] ? bias[0] : bias[i]);
    }
    return 1;
}

static void release_user(void *user)
{
    ((user_state *)user)->released++;
}

static void test_offline_sync(void)
{
    const uint32_t frames = 1000;
    const double rate = 8000;
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, frames, rate, &ctx));
    ls_constant_source_options co = ls_constant_source_options_default();
    co.offset = 0.25f;
    ls_node *src;
    CHECK_OK(ls_constant_source_create(ctx, &co, &src));
    user_state u = {0};
    ls_script_options so = ls_script_options_default();
    so.output_channel_count[0] = 1;
    so.num_params = 1;
    strcpy(so.params[0].name, "bias");
    so.params[0].default_value = 0;
    so.params[0].min_value = -10;
    so.params[0].max_value = 10;
    so.params[0].rate = LS_AUTOMATION_RATE_A_RATE;
    so.process = double_plus_bias;
    so.release = release_user;
    so.user = &u;
    ls_node *node;
    CHECK_OK(ls_script_create(ctx, &so, &node));
    u.s = ls_script_of(node);
    CHECK(u.s != NULL);
    CHECK(ls_script_get_mode(u.s) == LS_SCRIPT_MODE_SYNC);
    CHECK(ls_script_slot_count(u.s) == 1);
    ls_param *bias = ls_node_param_by_name(node, "bias");
    CHECK(bias != NULL);
    CHECK_OK(ls_param_set_value_at_time(bias, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(bias, 1.0f, 0.1));
    CHECK_OK(ls_node_connect(src, node, 0, 0));
    CHECK_OK(ls_node_connect(node, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(src, 0));
    ls_buffer *buf;
    CHECK_OK(ls_offline_context_render(ctx, &buf));
    const float *y = ls_buffer_channel_data(buf, 0);
    double worst = 0;
    for (uint32_t i = 0; i < frames; i++) {
        double t = i / rate;
        double ramp = t < 0.1 ? t / 0.1 : 1.0;     /* the spec's linear ramp */
        double e = fabs(y[i] - (0.5 + ramp));
        if (e > worst)
            worst = e;
    }
    CHECK(worst < 1e-5);
    CHECK(u.calls == (int)((frames + 127) / 128));
    ls_script_stats st;
    ls_script_get_stats(u.s, &st);
    CHECK(st.calls == (uint64_t)u.calls && st.misses == 0 && !st.errored);
    CHECK(u.released == 1); /* the render is over: the user data came back */
    ls_buffer_release(buf);
    ls_node_release(src);
    ls_node_release(node);
    ls_context_release(ctx);
    CHECK(u.released == 1);
    ls_script_release(u.s);
}

static int failing(void *user, const ls_script_block *b)
{
    (void)b;
    user_state *u = user;
    float *out = ls_script_memory(u->s, b->slot, LS_SCRIPT_AREA_OUTPUT, 0, 0);
    for (int i = 0; i < LS_RENDER_QUANTUM; i++)
        out[i] = 1.0f;
    return ++u->calls == 3 ? -1 : 1;
}

static void test_error_goes_silent(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 128 * 6, 8000, &ctx));
    user_state u = {0};
    ls_script_options so = ls_script_options_default();
    so.number_of_inputs = 0;
    so.scheduled_source = 1;
    so.process = failing;
    so.user = &u;
    ls_node *node;
    CHECK_OK(ls_script_create(ctx, &so, &node));
    u.s = ls_script_of(node);
    CHECK_OK(ls_node_connect(node, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(node, 0));
    ls_buffer *buf;
    CHECK_OK(ls_offline_context_render(ctx, &buf));
    const float *y = ls_buffer_channel_data(buf, 0);
    CHECK(y[0] == 1.0f && y[2 * 128 - 1] == 1.0f);   /* two good quanta */
    CHECK(y[2 * 128] == 0.0f && y[6 * 128 - 1] == 0.0f);
    CHECK(u.calls == 3);
    ls_script_stats st;
    ls_script_get_stats(u.s, &st);
    CHECK(st.errored == 1);
    ls_buffer_release(buf);
    ls_node_release(node);
    ls_context_release(ctx);
    ls_script_release(u.s);
}

static void test_bad_options(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 128, 8000, &ctx));
    ls_script_options so = ls_script_options_default();
    ls_node *node;
    CHECK(ls_script_create(ctx, &so, &node) == LS_ERROR_INVALID_ARGUMENT); /* no function */
    so.process = failing;
    so.mode = LS_SCRIPT_MODE_WORKER;
    CHECK(ls_script_create(ctx, &so, &node) == LS_ERROR_NOT_SUPPORTED);
    so.mode = LS_SCRIPT_MODE_AUTO;
    so.num_params = 1;
    strcpy(so.params[0].name, "x");
    so.params[0].min_value = 0;
    so.params[0].max_value = 1;
    so.params[0].default_value = 2;
    CHECK(ls_script_create(ctx, &so, &node) == LS_ERROR_RANGE);
    so.num_params = 0;
    so.number_of_inputs = 0;
    so.number_of_outputs = 0;
    CHECK(ls_script_create(ctx, &so, &node) == LS_ERROR_NOT_SUPPORTED);
    ls_context_release(ctx);
}

/* WORKER: a thread of our own computes the blocks. */
typedef struct {
    ls_script *s;
    int stopped;
} worker_arg;

static int count_only(void *user, const ls_script_block *b)
{
    (void)b;
    ((user_state *)user)->calls++;
    return 1;
}

static void *worker_main(void *arg)
{
    worker_arg *w = arg;
    for (;;) {
        int rc = ls_script_worker_wait(w->s, 0.05);
        if (rc < 0 || (rc > 0 && ls_script_worker_run(w->s) < 0))
            break;
    }
    w->stopped = 1;
    return NULL;
}

static void test_realtime_worker(void)
{
    ls_context *ctx;
    ls_context_options o = ls_context_options_default();
    o.sample_rate = 48000;
    CHECK_OK(ls_context_create(&o, &ctx));
    user_state u = {0};
    ls_script_options so = ls_script_options_default();
    so.process = count_only;
    so.release = release_user;
    so.user = &u;
    so.lookahead = 8;
    ls_node *node;
    CHECK_OK(ls_script_create(ctx, &so, &node));
    ls_script *s = ls_script_of(node);
    CHECK(ls_script_get_mode(s) == LS_SCRIPT_MODE_WORKER);
    CHECK(ls_script_lookahead(s) == 8 && ls_script_slot_count(s) == 10);
    CHECK_OK(ls_node_connect(node, ls_context_destination(ctx), 0, 0));
    worker_arg w = {s, 0};
    pthread_t th;
    pthread_create(&th, NULL, worker_main, &w);
    CHECK_OK(ls_context_resume(ctx));
    struct timespec ts = {0, 300000000L};
    nanosleep(&ts, NULL);
    CHECK_OK(ls_context_close(ctx));    /* stops the worker, gives the user data back */
    pthread_join(th, NULL);
    CHECK(w.stopped == 1);
    CHECK(u.released == 1);
    ls_script_stats st;
    ls_script_get_stats(s, &st);
    CHECK(st.calls > 0 && st.calls == (uint64_t)u.calls);
    /* a free worker on an idle machine keeps up; allow a few late blocks */
    CHECK(st.misses <= st.calls / 4 + 2);
    fprintf(stderr, "worker: %llu calls, %llu misses, %llu dropped\n",
            (unsigned long long)st.calls, (unsigned long long)st.misses,
            (unsigned long long)st.dropped);
    ls_node_release(node);
    ls_context_release(ctx);
    ls_script_release(s);
}

TEST_MAIN(TEST(test_offline_sync), TEST(test_error_goes_silent), TEST(test_bad_options),
          TEST(test_realtime_worker))
