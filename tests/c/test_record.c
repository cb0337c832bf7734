/* Records of the control side (labsound/record.h): the node list in creation
 * order (released nodes included offline), connections in connection order,
 * param calls as made, scheduling calls, the values only a constructor
 * takes, and that a listed released node keeps rendering as before. */
#include "check.h"
#include "labsound/buffers.h"
#include "labsound/extended.h"
#include "labsound/filters.h"
#include "labsound/record.h"
#include "labsound/script.h"
#include "labsound/spatial.h"

#include <string.h>

#define SR 48000.0

static ls_node *gain(ls_context *ctx, float g)
{
    ls_gain_options o = ls_gain_options_default();
    o.gain = g;
    ls_node *n = NULL;
    CHECK_OK(ls_gain_create(ctx, &o, &n));
    return n;
}

static ls_node *constant(ls_context *ctx, float offset)
{
    ls_constant_source_options o = ls_constant_source_options_default();
    o.offset = offset;
    ls_node *n = NULL;
    CHECK_OK(ls_constant_source_create(ctx, &o, &n));
    return n;
}

static void release_all(ls_node **nodes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ls_node_release(nodes[i]);
}

static void test_nodes_in_creation_order(void)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_offline_context_create(1, 256, SR, &ctx));
    ls_node *a = gain(ctx, 0.5f);
    ls_node *b = constant(ctx, 2.0f);
    ls_node *c = gain(ctx, 1.0f);
    ls_node_release(c);                 /* released: still listed offline */
    size_t count = 0;
    CHECK_OK(ls_context_nodes(ctx, NULL, 0, &count));
    CHECK(count == 3);
    ls_node *out[3] = {0};
    CHECK_OK(ls_context_nodes(ctx, out, 3, &count));
    CHECK(count == 3 && out[0] == a && out[1] == b);
    CHECK(ls_node_get_type(out[2]) == LS_NODE_TYPE_GAIN);
    CHECK(ls_node_serial(out[0]) < ls_node_serial(out[1]));
    CHECK(ls_node_serial(out[1]) < ls_node_serial(out[2]));
    CHECK(ls_node_serial(ls_context_destination(ctx)) == 0);
    CHECK(ls_context_nodes(NULL, NULL, 0, &count) == LS_ERROR_INVALID_ARGUMENT);
    release_all(out, 3);
    ls_node_release(a);
    ls_node_release(b);
    ls_context_release(ctx);
}

static void test_connections_in_order(void)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_offline_context_create(1, 256, SR, &ctx));
    ls_node *src = constant(ctx, 1.0f);
    ls_node *g1 = gain(ctx, 1.0f), *g2 = gain(ctx, 1.0f);
    ls_node *dest = ls_context_destination(ctx);
    CHECK_OK(ls_node_connect(src, g2, 0, 0));
    CHECK_OK(ls_node_connect(src, g1, 0, 0));
    CHECK_OK(ls_node_connect_param(src, ls_gain_gain(g2), 0));
    CHECK_OK(ls_node_connect(src, dest, 0, 0));
    ls_node *listener = ls_context_listener(ctx);
    CHECK(listener != NULL && ls_context_listener_node(ctx) == listener);
    ls_param *px = ls_node_param_by_name(listener, "positionX");
    if (!px)
        px = ls_node_param(listener, 0);
    CHECK_OK(ls_node_connect_param(src, px, 0));
    CHECK_OK(ls_node_disconnect_node(src, g1));
    ls_connection_info info[8];
    size_t n = 0;
    CHECK_OK(ls_node_connections(src, info, 8, &n));
    CHECK(n == 4);
    CHECK(info[0].dst == g2 && info[0].param == NULL && info[0].input == 0);
    CHECK(info[1].dst == g2 && info[1].param == ls_gain_gain(g2));
    CHECK(info[2].dst == dest && info[2].param == NULL);
    CHECK(info[3].dst == listener && info[3].param == px);
    CHECK(info[0].serial < info[1].serial && info[1].serial < info[2].serial &&
          info[2].serial < info[3].serial);
    size_t again = 0;
    CHECK_OK(ls_node_connections(src, info, 1, &again));   /* too small: only the count */
    CHECK(again == 4);
    ls_node_release(src);
    ls_node_release(g1);
    ls_node_release(g2);
    ls_context_release(ctx);
}

static void test_param_records(void)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_offline_context_create(1, 256, SR, &ctx));
    ls_node *g = gain(ctx, 0.25f);
    ls_param *p = ls_gain_gain(g);
    CHECK(ls_param_initial_value(p) == 0.25f);
    const float curve[3] = {0.0f, 0.5f, 1.0f};
    CHECK_OK(ls_param_set_value(p, 0.75f));
    CHECK_OK(ls_param_set_value_at_time(p, 0.5f, 0.01));
    CHECK(ls_param_linear_ramp_to_value_at_time(p, NAN, 0.02) == LS_ERROR_RANGE); /* not kept */
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(p, 1.0f, 0.02));
    CHECK_OK(ls_param_exponential_ramp_to_value_at_time(p, 0.5f, 0.03));
    CHECK_OK(ls_param_set_target_at_time(p, 0.1f, 0.03, 0.005));
    CHECK_OK(ls_param_cancel_scheduled_values(p, 0.035));
    CHECK_OK(ls_param_set_value_curve_at_time(p, curve, 3, 0.04, 0.01));
    CHECK_OK(ls_param_cancel_and_hold_at_time(p, 0.045));
    CHECK_OK(ls_param_set_automation_rate(p, LS_AUTOMATION_RATE_K_RATE));
    CHECK(ls_param_initial_value(p) == 0.25f);        /* the constructor's value stays */
    ls_param_record r[16];
    size_t n = 0;
    CHECK_OK(ls_param_records(p, r, 16, &n));
    CHECK(n == 9);
    CHECK(r[0].type == LS_PARAM_RECORD_VALUE && r[0].value == 0.75f);
    CHECK(r[1].type == LS_PARAM_RECORD_SET_VALUE_AT_TIME && r[1].value == 0.5f &&
          r[1].time == 0.01);
    CHECK(r[2].type == LS_PARAM_RECORD_LINEAR_RAMP && r[2].value == 1.0f && r[2].time == 0.02);
    CHECK(r[3].type == LS_PARAM_RECORD_EXPONENTIAL_RAMP && r[3].time == 0.03);
    CHECK(r[4].type == LS_PARAM_RECORD_SET_TARGET && r[4].value == 0.1f &&
          r[4].time_constant == 0.005);
    CHECK(r[5].type == LS_PARAM_RECORD_CANCEL_SCHEDULED_VALUES && r[5].time == 0.035);
    CHECK(r[6].type == LS_PARAM_RECORD_SET_VALUE_CURVE && r[6].curve_length == 3 &&
          r[6].duration == 0.01 && r[6].curve != curve &&
          memcmp(r[6].curve, curve, sizeof curve) == 0);
    CHECK(r[7].type == LS_PARAM_RECORD_CANCEL_AND_HOLD && r[7].time == 0.045);
    CHECK(r[8].type == LS_PARAM_RECORD_AUTOMATION_RATE && r[8].rate == LS_AUTOMATION_RATE_K_RATE);
    ls_node_release(g);
    ls_context_release(ctx);
}

static void test_call_records(void)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_offline_context_create(1, 256, SR, &ctx));
    ls_node *c = constant(ctx, 1.0f);
    CHECK(ls_source_stop(c, 0.1) == LS_ERROR_INVALID_STATE);   /* failed: not kept */
    CHECK_OK(ls_source_start(c, 0.001));
    CHECK_OK(ls_source_stop(c, 0.002));
    ls_buffer *buf = NULL;
    CHECK_OK(ls_buffer_create(1, 64, SR, &buf));
    ls_buffer_source_options bo = ls_buffer_source_options_default();
    bo.buffer = buf;
    ls_node *b = NULL;
    CHECK_OK(ls_buffer_source_create(ctx, &bo, &b));
    CHECK_OK(ls_buffer_source_start(b, 0.5, 0.25, -1.0));
    ls_call_record r[4];
    size_t n = 0;
    CHECK_OK(ls_node_call_records(c, r, 4, &n));
    CHECK(n == 2 && r[0].type == LS_CALL_RECORD_START && r[0].when == 0.001);
    CHECK(r[1].type == LS_CALL_RECORD_STOP && r[1].when == 0.002);
    CHECK_OK(ls_node_call_records(b, r, 4, &n));
    CHECK(n == 1 && r[0].type == LS_CALL_RECORD_START && r[0].when == 0.5 &&
          r[0].offset == 0.25 && r[0].duration < 0);
    ls_buffer_release(buf);
    ls_node_release(b);
    ls_node_release(c);
    ls_context_release(ctx);
}

static void test_constructor_values(void)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_offline_context_create(1, 256, SR, &ctx));
    const float re[3] = {0.0f, 0.25f, 0.0f}, im[3] = {0.0f, 1.0f, 0.5f};
    ls_periodic_wave *w = NULL;
    CHECK_OK(ls_periodic_wave_create(ctx, re, im, 3, 1, &w));
    const float *r = NULL, *i = NULL;
    size_t n = 0;
    int dn = 0;
    CHECK_OK(ls_periodic_wave_coefficients(w, &r, &i, &n, &dn));
    CHECK(n == 3 && dn == 1 && memcmp(r, re, sizeof re) == 0 && memcmp(i, im, sizeof im) == 0);
    ls_periodic_wave *sine = NULL;
    CHECK_OK(ls_periodic_wave_create(ctx, NULL, NULL, 8, 0, &sine));
    CHECK_OK(ls_periodic_wave_coefficients(sine, &r, &i, &n, &dn));
    CHECK(n == 2 && r[0] == 0.0f && r[1] == 0.0f && i[0] == 0.0f && i[1] == 1.0f && dn == 0);

    ls_oscillator_options oo = ls_oscillator_options_default();
    oo.type = LS_OSCILLATOR_TYPE_CUSTOM;
    oo.periodic_wave = w;
    ls_node *osc = NULL;
    CHECK_OK(ls_oscillator_create(ctx, &oo, &osc));
    ls_periodic_wave *got = ls_oscillator_periodic_wave(osc);
    CHECK(got == w);
    ls_periodic_wave_release(got);
    CHECK_OK(ls_oscillator_set_type(osc, LS_OSCILLATOR_TYPE_SAWTOOTH));
    CHECK(ls_oscillator_periodic_wave(osc) == NULL);   /* a built-in type now */

    const double ff[2] = {0.5, 0.5}, fb[2] = {1.0, -0.25};
    ls_iir_filter_options io = ls_iir_filter_options_default();
    io.feedforward = ff;
    io.feedforward_count = 2;
    io.feedback = fb;
    io.feedback_count = 2;
    ls_node *iir = NULL;
    CHECK_OK(ls_iir_filter_create(ctx, &io, &iir));
    const double *gff = NULL, *gfb = NULL;
    size_t nff = 0, nfb = 0;
    CHECK_OK(ls_iir_filter_coefficients(iir, &gff, &nff, &gfb, &nfb));
    CHECK(nff == 2 && nfb == 2 && gff[0] == 0.5 && gfb[1] == -0.25);
    CHECK(ls_iir_filter_coefficients(osc, &gff, &nff, &gfb, &nfb) == LS_ERROR_INVALID_ARGUMENT);

    ls_node *rec = NULL;
    CHECK_OK(ls_recorder_create(ctx, 3, &rec));
    CHECK(ls_recorder_channels(rec) == 3 && ls_recorder_channels(osc) == 0);

    ls_node_release(rec);
    ls_node_release(iir);
    ls_node_release(osc);
    ls_periodic_wave_release(sine);
    ls_periodic_wave_release(w);
    ls_context_release(ctx);
}

/* A released node listed (and so referenced again) renders as it would
 * have; released again, the engine reclaims it once silent. */
static void test_listed_released_node_renders(void)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_offline_context_create(1, 512, SR, &ctx));
    ls_node *c = constant(ctx, 0.5f);
    CHECK_OK(ls_node_connect(c, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(c, 0.0));
    CHECK_OK(ls_source_stop(c, 256.0 / SR));
    ls_node_release(c);
    ls_node *out[2] = {0};
    size_t n = 0;
    CHECK_OK(ls_context_nodes(ctx, out, 2, &n));
    CHECK(n == 1 && out[0] == c);
    ls_buffer *b = NULL;
    CHECK_OK(ls_offline_context_render(ctx, &b));
    const float *x = ls_buffer_channel_data(b, 0);
    CHECK(x[0] == 0.5f && x[255] == 0.5f && x[256] == 0.0f && x[511] == 0.0f);
    CHECK(ls_node_serial(out[0]) == 1);
    ls_node_release(out[0]);
    ls_context_collect(ctx);
    CHECK_OK(ls_context_nodes(ctx, NULL, 0, &n));
    CHECK(n <= 1);
    ls_buffer_release(b);
    ls_context_release(ctx);
}

static void test_realtime_keeps_the_newest(void)
{
    ls_context *ctx = NULL;
    ls_context_options o = ls_context_options_default();
    CHECK_OK(ls_context_create(&o, &ctx));
    ls_node *g = gain(ctx, 1.0f);
    ls_param *p = ls_gain_gain(g);
    for (int i = 0; i < LS_RECORD_REALTIME_MAX + 10; i++)
        CHECK_OK(ls_param_set_value(p, (float)i));
    size_t n = 0;
    CHECK_OK(ls_param_records(p, NULL, 0, &n));
    CHECK(n > 0 && n <= LS_RECORD_REALTIME_MAX);
    ls_param_record *r = malloc(sizeof *r * n);
    CHECK_OK(ls_param_records(p, r, n, &n));
    CHECK(r[n - 1].value == (float)(LS_RECORD_REALTIME_MAX + 9));
    free(r);
    ls_node_release(g);
    CHECK_OK(ls_context_close(ctx));
    ls_context_release(ctx);
}

/* Every node type has its own number: a reader of the node list tells a
 * script node from a noise node by it (they once shared 100). */
static void test_script_and_noise_types_differ(void)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_offline_context_create(1, 256, SR, &ctx));
    ls_noise_options no = ls_noise_options_default();
    ls_node *noise = NULL;
    CHECK_OK(ls_noise_create(ctx, &no, &noise));
    CHECK(LS_NODE_TYPE_SCRIPT != LS_NODE_TYPE_NOISE);
    CHECK(ls_node_get_type(noise) == LS_NODE_TYPE_NOISE);
    CHECK(ls_script_of(noise) == NULL);
    ls_node_release(noise);
    ls_context_release(ctx);
}

TEST_MAIN(TEST(test_script_and_noise_types_differ), TEST(test_nodes_in_creation_order), TEST(test_connections_in_order),
          TEST(test_param_records), TEST(test_call_records), TEST(test_constructor_values),
          TEST(test_listed_released_node_renders), TEST(test_realtime_keeps_the_newest))
