/*
 * AudioParam automation, rendered through an offline context: a constant
 * source (output = its offset param) straight into a mono destination.
 *
 * Expected values are computed here, in double precision, from the formulas
 * of the Web Audio spec's AudioParam section (setValueAtTime ...
 * setValueCurveAtTime, cancelAndHoldAtTime, "Computation of Value"), with
 * frame n at time n / 48000. The engine keeps values in float32, so the
 * tolerance is 2e-6 relative (2e-6 absolute below 1): float32 rounding is
 * 6e-8 relative; linear ramps follow the reference implementation's
 * single-precision arithmetic, whose sums drift by a few ulps within a
 * quantum (measured: 1.6e-6 on a ramp from 5 to -3); the per-frame
 * recurrences for exponential curves add less than 1e-12 per quantum.
 *
 * A few tests look inside (param.h) to check that a timeline does not grow,
 * and render quantum by quantum (ls__render_quanta) to schedule events while
 * time runs; a small probe node reports a param with a narrow nominal range.
 */
#include "check.h"

#include "engine.h"
#include "param.h"

#include <float.h>
#include <string.h>

#define SR 48000.0
#define TOL 2e-6

/* ------------------------------------------------------------------ */
/* Formulas from the spec                                              */
/* ------------------------------------------------------------------ */

static double f_lin(double t, double t0, double v0, double t1, double v1)
{
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0);
}

static double f_exp(double t, double t0, double v0, double t1, double v1)
{
    return v0 * pow(v1 / v0, (t - t0) / (t1 - t0));
}

static double f_target(double t, double t0, double v0, double v1, double tau)
{
    return v1 + (v0 - v1) * exp(-(t - t0) / tau);
}

static double f_curve(double t, const float *c, int n, double t0, double d)
{
    if (t >= t0 + d)
        return c[n - 1];
    double pos = (n - 1) * (t - t0) / d;
    int k = (int)floor(pos);
    if (k >= n - 1)
        return c[n - 1];
    return c[k] + ((double)c[k + 1] - c[k]) * (pos - k);
}

static double ft(uint64_t n) { return (double)n / SR; }

/* ------------------------------------------------------------------ */
/* Rig                                                                 */
/* ------------------------------------------------------------------ */

typedef struct rig {
    ls_context *ctx;
    ls_node *src;
    ls_param *p;
    ls_buffer *buf;
    const float *y;
    uint64_t n;
    double *ref;
} rig;

static void rig_open(rig *g, uint64_t frames)
{
    memset(g, 0, sizeof *g);
    g->n = frames;
    g->ref = calloc(frames, sizeof(double));
    CHECK_OK(ls_offline_context_create(1, frames, SR, &g->ctx));
    CHECK_OK(ls_constant_source_create(g->ctx, NULL, &g->src));
    g->p = ls_constant_source_offset(g->src);
    CHECK(g->p != NULL);
    CHECK_OK(ls_node_connect(g->src, ls_context_destination(g->ctx), 0, 0));
    CHECK_OK(ls_source_start(g->src, 0));
}

static const float *rig_render(rig *g)
{
    CHECK_OK(ls_offline_context_render(g->ctx, &g->buf));
    g->y = g->buf ? ls_buffer_channel_data(g->buf, 0) : NULL;
    return g->y;
}

static void rig_close(rig *g)
{
    if (g->buf)
        ls_buffer_release(g->buf);
    ls_node_release(g->src);
    ls_context_release(g->ctx);
    free(g->ref);
}

/* Compare n samples with the reference; one check, first mismatch reported. */
static void expect_series(const float *y, const double *ref, uint64_t n, const char *what, int line)
{
    ls_test_checks++;
    if (!y) {
        ls_test_failures++;
        fprintf(stderr, "%s:%d: %s: nothing rendered\n", __FILE__, line, what);
        return;
    }
    uint64_t bad = 0, first = 0;
    for (uint64_t i = 0; i < n; i++) {
        double tol = TOL * fmax(1.0, fabs(ref[i]));
        if (!(fabs((double)y[i] - ref[i]) <= tol)) {
            if (!bad)
                first = i;
            bad++;
        }
    }
    if (bad) {
        ls_test_failures++;
        fprintf(stderr, "%s:%d: %s: %llu of %llu samples off; first at frame %llu: got %.9g, expected %.9g\n",
                __FILE__, line, what, (unsigned long long)bad, (unsigned long long)n,
                (unsigned long long)first, y[first], ref[first]);
    }
}
#define EXPECT_SERIES(y, ref, n, what) expect_series((y), (ref), (n), (what), __LINE__)

static void rig_check(rig *g, const char *what)
{
    rig_render(g);
    EXPECT_SERIES(g->y, g->ref, g->n, what);
}

/* Events on a param's render timeline (white box). */
static uint32_t timeline_length(const ls_param *p)
{
    uint32_t n = 0;
    for (const ls_param_event *e = p->r.head; e; e = e->next)
        n++;
    return n;
}

/* Render nq quanta of a mono offline context by hand, into out. */
static void render_quanta(ls_context *ctx, float *out, uint32_t nq)
{
    ls__render_quanta(ctx, out, nq, (size_t)nq * LS_Q);
    ls_context_collect(ctx);
}

/* ------------------------------------------------------------------ */
/* Attributes                                                          */
/* ------------------------------------------------------------------ */

static void test_attributes_and_value(void)
{
    rig g;
    rig_open(&g, 1024);
    CHECK(strcmp(ls_param_name(g.p), "offset") == 0);
    CHECK(ls_param_node(g.p) == g.src);
    CHECK(ls_param_default_value(g.p) == 1.0f);
    CHECK(ls_param_min_value(g.p) == -FLT_MAX);
    CHECK(ls_param_max_value(g.p) == FLT_MAX);
    CHECK(ls_param_automation_rate(g.p) == LS_AUTOMATION_RATE_A_RATE);
    CHECK(ls_param_value(g.p) == 1.0f);
    CHECK_OK(ls_param_set_value(g.p, 0.25f));
    CHECK(ls_param_value(g.p) == 0.25f);   /* at once, before any rendering */
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = 0.25f;
    rig_check(&g, "value = 0.25");
    CHECK(ls_param_value(g.p) == 0.25f);
    rig_close(&g);
}

/* value reads [[current value]]: the intrinsic value at the start of the
 * last rendered quantum. */
static void test_value_after_render(void)
{
    rig g;
    rig_open(&g, 2048);
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 1.0f, ft(2048)));
    rig_render(&g);
    CHECK_NEAR(ls_param_value(g.p), 1920.0 / 2048.0, 1e-6);
    rig_close(&g);
}

/* ------------------------------------------------------------------ */
/* One method at a time                                                */
/* ------------------------------------------------------------------ */

static void test_set_value_at_time(void)
{
    rig g;
    rig_open(&g, 1024);
    const double t1 = 100.5 / SR, t2 = 300.0 / SR, t3 = 1000.999 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.25f, 0.0));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.5f, t1));
    CHECK_OK(ls_param_set_value_at_time(g.p, -2.0f, t2));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.75f, t3));
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t1 ? 0.25 : t < t2 ? 0.5 : t < t3 ? -2.0 : 0.75;
    }
    rig_check(&g, "setValueAtTime steps inside quanta");
    rig_close(&g);
}

static void test_linear_ramp(void)
{
    rig g;
    rig_open(&g, 2048);
    const double t0 = 37.25 / SR, t1 = 1000.6 / SR, t2 = 1500.1 / SR;
    const float v0 = 0.2f, v1 = 1.5f, v2 = -0.5f;
    CHECK_OK(ls_param_set_value_at_time(g.p, v0, t0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, v1, t1));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, v2, t2));
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t0 ? 1.0 : t < t1 ? f_lin(t, t0, v0, t1, v1) : t < t2 ? f_lin(t, t1, v1, t2, v2) : v2;
    }
    rig_check(&g, "linear ramps");
    rig_close(&g);
}

/* No event before the ramp: it starts at currentTime (0) from the current value (1). */
static void test_ramps_without_previous_event(void)
{
    rig g;
    rig_open(&g, 1024);
    const double t1 = 500.5 / SR;
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 0.0f, t1));
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = ft(i) < t1 ? f_lin(ft(i), 0.0, 1.0, t1, 0.0) : 0.0;
    rig_check(&g, "linear ramp with no previous event");
    rig_close(&g);

    rig_open(&g, 1024);
    const double t2 = 600.3 / SR;
    CHECK_OK(ls_param_exponential_ramp_to_value_at_time(g.p, 4.0f, t2));
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = ft(i) < t2 ? f_exp(ft(i), 0.0, 1.0, t2, 4.0) : 4.0;
    rig_check(&g, "exponential ramp with no previous event");
    rig_close(&g);
}

static void test_exponential_ramp(void)
{
    rig g;
    rig_open(&g, 2048);
    const double t0 = 10.5 / SR, t1 = 900.25 / SR, t2 = 1700.75 / SR;
    const float v0 = 0.1f, v1 = 1.0f, v2 = 0.02f;
    CHECK_OK(ls_param_set_value_at_time(g.p, v0, t0));
    CHECK_OK(ls_param_exponential_ramp_to_value_at_time(g.p, v1, t1));
    CHECK_OK(ls_param_exponential_ramp_to_value_at_time(g.p, v2, t2));
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t0 ? 1.0 : t < t1 ? f_exp(t, t0, v0, t1, v1) : t < t2 ? f_exp(t, t1, v1, t2, v2) : v2;
    }
    rig_check(&g, "exponential ramps");
    rig_close(&g);
}

/* V0 and V1 of opposite signs, or V0 = 0: v(t) = V0 until T1. */
static void test_exponential_ramp_degenerate(void)
{
    rig g;
    rig_open(&g, 1024);
    const double t1 = 300.5 / SR, t2 = 500.0 / SR, t3 = 700.5 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, -1.0f, 0.0));
    CHECK_OK(ls_param_exponential_ramp_to_value_at_time(g.p, 1.0f, t1));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.0f, t2));
    CHECK_OK(ls_param_exponential_ramp_to_value_at_time(g.p, 2.0f, t3));
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t1 ? -1.0 : t < t2 ? 1.0 : t < t3 ? 0.0 : 2.0;
    }
    rig_check(&g, "exponential ramp from the other sign or from 0");
    rig_close(&g);

    /* the same, k-rate */
    rig_open(&g, 1024);
    CHECK_OK(ls_param_set_automation_rate(g.p, LS_AUTOMATION_RATE_K_RATE));
    CHECK_OK(ls_param_set_value_at_time(g.p, -1.0f, 0.0));
    CHECK_OK(ls_param_exponential_ramp_to_value_at_time(g.p, 1.0f, t1));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.0f, t2));
    CHECK_OK(ls_param_exponential_ramp_to_value_at_time(g.p, 2.0f, t3));
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i / LS_Q * LS_Q);
        g.ref[i] = t < t1 ? -1.0 : t < t2 ? 1.0 : t < t3 ? 0.0 : 2.0;
    }
    rig_check(&g, "k-rate exponential ramp from the other sign or from 0");
    rig_close(&g);
}

static void test_set_target(void)
{
    rig g;
    rig_open(&g, 2048);
    const double t0 = 50.7 / SR, tau = 0.003, t1 = 1500.5 / SR, t2 = 1600.0 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 1.0f, 0.0));
    CHECK_OK(ls_param_set_target_at_time(g.p, 0.2f, t0, tau));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.5f, t1));          /* ends the approach */
    CHECK_OK(ls_param_set_target_at_time(g.p, 0.9f, t2, 0.0));    /* tau 0: jump */
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t0 ? 1.0 : t < t1 ? f_target(t, t0, 1.0, 0.2f, tau) : t < t2 ? 0.5 : 0.9f;
    }
    rig_check(&g, "setTargetAtTime");
    rig_close(&g);
}

/* A set-target after a set-target starts from where the first one got to. */
static void test_set_target_chain(void)
{
    rig g;
    rig_open(&g, 2048);
    const double t0 = 100.5 / SR, t1 = 900.5 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 1.0f, 0.0));
    CHECK_OK(ls_param_set_target_at_time(g.p, 0.0f, t0, 0.002));
    CHECK_OK(ls_param_set_target_at_time(g.p, 2.0f, t1, 0.001));
    const double v1 = f_target(t1, t0, 1.0, 0.0, 0.002);
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t0 ? 1.0 : t < t1 ? f_target(t, t0, 1.0, 0.0, 0.002) : f_target(t, t1, v1, 2.0, 0.001);
    }
    rig_check(&g, "setTarget after setTarget");
    rig_close(&g);
}

static void test_value_curve(void)
{
    rig g;
    rig_open(&g, 2048);
    static const float c[] = {0.0f, 1.0f, 0.25f, 0.5f, -1.0f};
    const double t0 = 33.3 / SR, d = 0.02, t2 = 1800.5 / SR;
    CHECK_OK(ls_param_set_value_curve_at_time(g.p, c, 5, t0, d));
    /* a ramp after the curve starts from its end: (t0 + d, last point) */
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 2.0f, t2));
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t0 ? 1.0 : t < t0 + d ? f_curve(t, c, 5, t0, d) : t < t2 ? f_lin(t, t0 + d, -1.0, t2, 2.0) : 2.0;
    }
    rig_check(&g, "setValueCurveAtTime then a ramp");
    rig_close(&g);
}

/* The curve is copied when scheduled. */
static void test_value_curve_is_copied(void)
{
    rig g;
    rig_open(&g, 512);
    float c[] = {0.0f, 1.0f};
    CHECK_OK(ls_param_set_value_curve_at_time(g.p, c, 2, 0.0, ft(256)));
    c[0] = 5.0f;
    c[1] = 7.0f;
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = f_curve(ft(i), (const float[]){0.0f, 1.0f}, 2, 0.0, ft(256));
    rig_check(&g, "curve copied");
    rig_close(&g);
}

/* ------------------------------------------------------------------ */
/* Ordering and interactions                                           */
/* ------------------------------------------------------------------ */

/* Events at the same time apply in the order they were scheduled. */
static void test_same_time_order(void)
{
    rig g;
    rig_open(&g, 1024);
    const double t1 = 200.5 / SR, t2 = 500.5 / SR, t3 = 700.25 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.3f, t1));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.7f, t1));          /* wins at t1 */
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 1.0f, t2));
    CHECK_OK(ls_param_set_value_at_time(g.p, 5.0f, t2));          /* after the ramp's end */
    CHECK_OK(ls_param_set_value_at_time(g.p, -1.0f, t3));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 2.0f, t3)); /* zero-length ramp after it */
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t1 ? 1.0 : t < t2 ? f_lin(t, t1, 0.7f, t2, 1.0) : t < t3 ? 5.0 : 2.0;
    }
    rig_check(&g, "same-time events in insertion order");
    rig_close(&g);
}

/* Events scheduled out of order land sorted. */
static void test_out_of_order_scheduling(void)
{
    rig g;
    rig_open(&g, 1024);
    const double t1 = 100.0 / SR, t2 = 600.5 / SR, t3 = 800.5 / SR;
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 3.0f, t3));
    CHECK_OK(ls_param_set_value_at_time(g.p, 2.0f, t2));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.5f, t1));
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t1 ? 1.0 : t < t2 ? 0.5 : t < t3 ? f_lin(t, t2, 2.0, t3, 3.0) : 3.0;
    }
    rig_check(&g, "events scheduled out of order");
    rig_close(&g);
}

/* A ramp after a set-target that has not started when the ramp is
 * scheduled replaces it: T0 = the target's time, V0 = the value before it. */
static void test_ramp_after_pending_set_target(void)
{
    rig g;
    rig_open(&g, 1024);
    const double t0 = 100.5 / SR, t1 = 400.5 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 1.0f, 0.0));
    CHECK_OK(ls_param_set_target_at_time(g.p, 0.0f, t0, 0.002));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 0.5f, t1));
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t0 ? 1.0 : t < t1 ? f_lin(t, t0, 1.0, t1, 0.5) : 0.5;
    }
    rig_check(&g, "ramp replacing a pending setTarget");
    rig_close(&g);
}

/* A ramp after a running set-target: T0 = currentTime when it is
 * scheduled, V0 = the target's value then. Rendered quantum by quantum. */
static void test_ramp_after_running_set_target(void)
{
    ls_context *ctx;
    ls_node *src;
    CHECK_OK(ls_offline_context_create(1, 1 << 20, SR, &ctx));
    CHECK_OK(ls_constant_source_create(ctx, NULL, &src));
    ls_param *p = ls_constant_source_offset(src);
    CHECK_OK(ls_node_connect(src, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(src, 0));
    CHECK_OK(ls_param_set_value_at_time(p, 1.0f, 0.0));
    CHECK_OK(ls_param_set_target_at_time(p, 0.0f, 0.0, 0.01));
    float out[20 * LS_Q];
    render_quanta(ctx, out, 10);
    const double now = ft(10 * LS_Q), t1 = now + 0.01, v0 = f_target(now, 0.0, 1.0, 0.0, 0.01);
    CHECK_NEAR(ls_context_current_time(ctx), now, 0);
    CHECK_OK(ls_param_exponential_ramp_to_value_at_time(p, 0.9f, t1));
    render_quanta(ctx, out + 10 * LS_Q, 10);
    double ref[20 * LS_Q];
    for (uint32_t i = 0; i < 20 * LS_Q; i++) {
        double t = ft(i);
        ref[i] = t < now ? f_target(t, 0.0, 1.0, 0.0, 0.01) : t < t1 ? f_exp(t, now, v0, t1, 0.9f) : 0.9f;
    }
    EXPECT_SERIES(out, ref, 20 * LS_Q, "ramp after a running setTarget");
    ls_node_release(src);
    ls_context_release(ctx);
}

/* A ramp scheduled after every event has passed starts at the last event. */
static void test_ramp_after_passed_events(void)
{
    ls_context *ctx;
    ls_node *src;
    CHECK_OK(ls_offline_context_create(1, 1 << 20, SR, &ctx));
    CHECK_OK(ls_constant_source_create(ctx, NULL, &src));
    ls_param *p = ls_constant_source_offset(src);
    CHECK_OK(ls_node_connect(src, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(src, 0));
    const double t0 = 100.5 / SR;
    CHECK_OK(ls_param_set_value_at_time(p, 0.5f, t0));
    float out[8 * LS_Q];
    render_quanta(ctx, out, 4);
    const double t1 = ft(8 * LS_Q) - 0.25 / SR;
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(p, 1.5f, t1));
    render_quanta(ctx, out + 4 * LS_Q, 4);
    double ref[8 * LS_Q];
    for (uint32_t i = 0; i < 8 * LS_Q; i++) {
        double t = ft(i);
        ref[i] = t < t0 ? 1.0 : i < 4 * LS_Q ? 0.5 : f_lin(t, t0, 0.5, t1, 1.5);
    }
    EXPECT_SERIES(out, ref, 8 * LS_Q, "ramp from a passed setValue");
    ls_node_release(src);
    ls_context_release(ctx);
}

/* ------------------------------------------------------------------ */
/* k-rate                                                              */
/* ------------------------------------------------------------------ */

static double krate_fn(double t)
{
    const double t1 = 1000.5 / SR, t2 = 1100.7 / SR, t3 = 1300.3 / SR;
    if (t < t1)
        return f_lin(t, 0.0, 0.0, t1, 1.0);
    if (t < t2)
        return 1.0;
    if (t < t3)
        return 2.0;
    return f_target(t, t3, 2.0, 0.0, 0.001);
}

static void test_k_rate(void)
{
    rig g;
    rig_open(&g, 2048);
    CHECK_OK(ls_param_set_automation_rate(g.p, LS_AUTOMATION_RATE_K_RATE));
    CHECK(ls_param_automation_rate(g.p) == LS_AUTOMATION_RATE_K_RATE);
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 1.0f, 1000.5 / SR));
    CHECK_OK(ls_param_set_value_at_time(g.p, 2.0f, 1100.7 / SR));
    CHECK_OK(ls_param_set_target_at_time(g.p, 0.0f, 1300.3 / SR, 0.001));
    /* one value per quantum, sampled at its first frame */
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = krate_fn(ft(i / LS_Q * LS_Q));
    rig_check(&g, "k-rate");
    rig_close(&g);

    /* and back to a-rate */
    rig_open(&g, 2048);
    CHECK_OK(ls_param_set_automation_rate(g.p, LS_AUTOMATION_RATE_K_RATE));
    CHECK_OK(ls_param_set_automation_rate(g.p, LS_AUTOMATION_RATE_A_RATE));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 1.0f, 1000.5 / SR));
    CHECK_OK(ls_param_set_value_at_time(g.p, 2.0f, 1100.7 / SR));
    CHECK_OK(ls_param_set_target_at_time(g.p, 0.0f, 1300.3 / SR, 0.001));
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = krate_fn(ft(i));
    rig_check(&g, "a-rate again");
    rig_close(&g);
}

/* ------------------------------------------------------------------ */
/* cancelScheduledValues                                               */
/* ------------------------------------------------------------------ */

static void test_cancel_scheduled_values(void)
{
    rig g;
    rig_open(&g, 2048);
    const double t1 = 300.5 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.5f, 0.0));
    CHECK_OK(ls_param_set_value_at_time(g.p, 1.0f, t1));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 2.0f, 900.5 / SR));
    CHECK_OK(ls_param_set_value_at_time(g.p, 3.0f, 1200.0 / SR));
    CHECK_OK(ls_param_cancel_scheduled_values(g.p, 600.25 / SR));  /* the ramp ends after: gone */
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = ft(i) < t1 ? 0.5 : 1.0;
    rig_check(&g, "cancelScheduledValues");
    rig_close(&g);

    /* a curve whose [T0, T0 + TD] holds the cancel time goes too */
    rig_open(&g, 1024);
    static const float c[] = {0.0f, 1.0f};
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.25f, 0.0));
    CHECK_OK(ls_param_set_value_curve_at_time(g.p, c, 2, 100.0 / SR, 0.01));
    CHECK_OK(ls_param_cancel_scheduled_values(g.p, 100.0 / SR + 0.005));
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = 0.25;
    rig_check(&g, "cancel inside a curve");
    rig_close(&g);

    /* after a cancel the times are free again */
    rig_open(&g, 1024);
    CHECK_OK(ls_param_set_value_curve_at_time(g.p, c, 2, 0.0, 0.01));
    CHECK_OK(ls_param_cancel_scheduled_values(g.p, 0.0));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.75f, 0.005));
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = ft(i) < 0.005 ? 1.0 : 0.75;
    rig_check(&g, "schedule where a cancelled curve was");
    rig_close(&g);
}

/* Cancelling a running ramp restores the value from before it. */
static void test_cancel_running_ramp(void)
{
    ls_context *ctx;
    ls_node *src;
    CHECK_OK(ls_offline_context_create(1, 1 << 20, SR, &ctx));
    CHECK_OK(ls_constant_source_create(ctx, NULL, &src));
    ls_param *p = ls_constant_source_offset(src);
    CHECK_OK(ls_node_connect(src, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(src, 0));
    CHECK_OK(ls_param_set_value_at_time(p, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(p, 1.0f, 1000.0 / SR));
    float out[8 * LS_Q];
    render_quanta(ctx, out, 4);
    CHECK_OK(ls_param_cancel_scheduled_values(p, ls_context_current_time(ctx)));
    render_quanta(ctx, out + 4 * LS_Q, 4);
    double ref[8 * LS_Q];
    for (uint32_t i = 0; i < 8 * LS_Q; i++)
        ref[i] = i < 4 * LS_Q ? f_lin(ft(i), 0.0, 0.0, 1000.0 / SR, 1.0) : 0.0;
    EXPECT_SERIES(out, ref, 8 * LS_Q, "cancel a running ramp");
    CHECK(timeline_length(p) == 0);
    ls_node_release(src);
    ls_context_release(ctx);
}

/* ------------------------------------------------------------------ */
/* cancelAndHoldAtTime after each kind of event                        */
/* ------------------------------------------------------------------ */

static void test_hold_linear_ramp(void)
{
    rig g;
    rig_open(&g, 2048);
    const double t1 = 0.02, tc = 500.25 / SR, t2 = 1500.5 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 1.0f, t1));
    CHECK_OK(ls_param_cancel_and_hold_at_time(g.p, tc));
    /* the ramp now ends at tc with its value there; a new ramp starts from it */
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, -1.0f, t2));
    const double vc = f_lin(tc, 0.0, 0.0, t1, 1.0);
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < tc ? f_lin(t, 0.0, 0.0, t1, 1.0) : t < t2 ? f_lin(t, tc, vc, t2, -1.0) : -1.0;
    }
    rig_check(&g, "cancelAndHold in a linear ramp");
    rig_close(&g);
}

static void test_hold_exponential_ramp(void)
{
    rig g;
    rig_open(&g, 2048);
    const double t1 = 0.02, tc = 700.6 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.1f, 0.0));
    CHECK_OK(ls_param_exponential_ramp_to_value_at_time(g.p, 1.0f, t1));
    CHECK_OK(ls_param_set_value_at_time(g.p, 3.0f, 0.03));
    CHECK_OK(ls_param_cancel_and_hold_at_time(g.p, tc));
    const double vc = f_exp(tc, 0.0, 0.1f, t1, 1.0);
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < tc ? f_exp(t, 0.0, 0.1f, t1, 1.0) : vc;
    }
    rig_check(&g, "cancelAndHold in an exponential ramp");
    rig_close(&g);
}

static void test_hold_set_target(void)
{
    rig g;
    rig_open(&g, 2048);
    const double t0 = 100.5 / SR, tau = 0.004, tc = 800.3 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 1.0f, 0.0));
    CHECK_OK(ls_param_set_target_at_time(g.p, 0.0f, t0, tau));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.9f, 1500.0 / SR));
    CHECK_OK(ls_param_cancel_and_hold_at_time(g.p, tc));
    const double vc = f_target(tc, t0, 1.0, 0.0, tau);
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t0 ? 1.0 : t < tc ? f_target(t, t0, 1.0, 0.0, tau) : vc;
    }
    rig_check(&g, "cancelAndHold in a setTarget");
    rig_close(&g);
}

static void test_hold_value_curve(void)
{
    rig g;
    rig_open(&g, 2048);
    static const float c[] = {0.0f, 1.0f, 0.0f, 1.0f};
    const double t0 = 10.5 / SR, d = 0.02, tc = 400.7 / SR;
    CHECK_OK(ls_param_set_value_curve_at_time(g.p, c, 4, t0, d));
    CHECK_OK(ls_param_cancel_and_hold_at_time(g.p, tc));
    /* the curve now lasts until tc: a cancel after tc (inside the old
     * interval) leaves it alone, and events after tc are allowed */
    CHECK_OK(ls_param_cancel_scheduled_values(g.p, 600.0 / SR));
    CHECK_OK(ls_param_set_value_at_time(g.p, 2.0f, 800.5 / SR));
    const double vc = f_curve(tc, c, 4, t0, d);   /* sampled with the full duration */
    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < t0 ? 1.0 : t < tc ? f_curve(t, c, 4, t0, d) : t < 800.5 / SR ? vc : 2.0;
    }
    rig_check(&g, "cancelAndHold in a value curve");
    rig_close(&g);
}

static void test_hold_set_value(void)
{
    rig g;
    rig_open(&g, 1024);
    const double t1 = 200.5 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.3f, 0.0));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.6f, t1));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.9f, 800.0 / SR));
    CHECK_OK(ls_param_cancel_and_hold_at_time(g.p, 500.0 / SR));
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = ft(i) < t1 ? 0.3 : 0.6;
    rig_check(&g, "cancelAndHold after setValue");
    rig_close(&g);

    /* with no events at all: the current value holds */
    rig_open(&g, 512);
    CHECK_OK(ls_param_cancel_and_hold_at_time(g.p, 100.0 / SR));
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = 1.0;
    rig_check(&g, "cancelAndHold with no events");
    rig_close(&g);
}

/* cancelAndHold while the ramp runs, rendered quantum by quantum. */
static void test_hold_running_ramp(void)
{
    ls_context *ctx;
    ls_node *src;
    CHECK_OK(ls_offline_context_create(1, 1 << 20, SR, &ctx));
    CHECK_OK(ls_constant_source_create(ctx, NULL, &src));
    ls_param *p = ls_constant_source_offset(src);
    CHECK_OK(ls_node_connect(src, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(src, 0));
    CHECK_OK(ls_param_set_value_at_time(p, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(p, 1.0f, 2000.0 / SR));
    float out[10 * LS_Q];
    render_quanta(ctx, out, 4);
    const double tc = 700.5 / SR;
    CHECK_OK(ls_param_cancel_and_hold_at_time(p, tc));
    render_quanta(ctx, out + 4 * LS_Q, 6);
    double ref[10 * LS_Q];
    for (uint32_t i = 0; i < 10 * LS_Q; i++) {
        double t = ft(i) < tc ? ft(i) : tc;
        ref[i] = f_lin(t, 0.0, 0.0, 2000.0 / SR, 1.0);
    }
    EXPECT_SERIES(out, ref, 10 * LS_Q, "cancelAndHold in a running ramp");
    CHECK(timeline_length(p) == 0);
    ls_node_release(src);
    ls_context_release(ctx);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static void test_errors(void)
{
    rig g;
    rig_open(&g, 2400);
    ls_param *p = g.p;
    static const float ca[] = {0.5f, 1.0f}, cb[] = {2.0f, 3.0f}, cc[] = {-1.0f, -2.0f};
    const float bad_curve[] = {0.0f, NAN, 1.0f};

    CHECK_OK(ls_param_set_value_at_time(p, 0.5f, 0.0));
    CHECK_OK(ls_param_set_value_curve_at_time(p, ca, 2, 0.01, 0.01));   /* [0.01, 0.02) */
    CHECK_OK(ls_param_set_value_at_time(p, 0.25f, 0.04));

    /* RangeError */
    CHECK(ls_param_set_value_at_time(p, NAN, 0.0) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value_at_time(p, INFINITY, 0.0) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value_at_time(p, 1.0f, -1e-9) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value_at_time(p, 1.0f, NAN) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value_at_time(p, 1.0f, INFINITY) == LS_ERROR_RANGE);
    CHECK(ls_param_linear_ramp_to_value_at_time(p, NAN, 0.1) == LS_ERROR_RANGE);
    CHECK(ls_param_linear_ramp_to_value_at_time(p, 1.0f, -1.0) == LS_ERROR_RANGE);
    CHECK(ls_param_exponential_ramp_to_value_at_time(p, 0.0f, 0.1) == LS_ERROR_RANGE);
    CHECK(ls_param_exponential_ramp_to_value_at_time(p, -0.0f, 0.1) == LS_ERROR_RANGE);
    CHECK(ls_param_exponential_ramp_to_value_at_time(p, -INFINITY, 0.1) == LS_ERROR_RANGE);
    CHECK(ls_param_exponential_ramp_to_value_at_time(p, 1.0f, -0.5) == LS_ERROR_RANGE);
    CHECK(ls_param_set_target_at_time(p, NAN, 0.0, 0.1) == LS_ERROR_RANGE);
    CHECK(ls_param_set_target_at_time(p, 1.0f, -1.0, 0.1) == LS_ERROR_RANGE);
    CHECK(ls_param_set_target_at_time(p, 1.0f, 0.0, -0.001) == LS_ERROR_RANGE);
    CHECK(ls_param_set_target_at_time(p, 1.0f, 0.0, NAN) == LS_ERROR_RANGE);
    CHECK(ls_param_set_target_at_time(p, 1.0f, 0.0, INFINITY) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value_curve_at_time(p, ca, 2, 0.05, 0.0) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value_curve_at_time(p, ca, 2, 0.05, -1.0) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value_curve_at_time(p, ca, 2, 0.05, NAN) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value_curve_at_time(p, ca, 2, 0.05, INFINITY) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value_curve_at_time(p, ca, 2, -0.05, 0.01) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value_curve_at_time(p, bad_curve, 3, 0.05, 0.01) == LS_ERROR_RANGE);
    CHECK(ls_param_cancel_scheduled_values(p, -1.0) == LS_ERROR_RANGE);
    CHECK(ls_param_cancel_scheduled_values(p, NAN) == LS_ERROR_RANGE);
    CHECK(ls_param_cancel_and_hold_at_time(p, -1.0) == LS_ERROR_RANGE);
    CHECK(ls_param_cancel_and_hold_at_time(p, INFINITY) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value(p, NAN) == LS_ERROR_RANGE);
    CHECK(ls_param_set_value(p, -INFINITY) == LS_ERROR_RANGE);

    /* InvalidStateError: fewer than two points */
    CHECK(ls_param_set_value_curve_at_time(p, ca, 1, 0.05, 0.01) == LS_ERROR_INVALID_STATE);
    CHECK(ls_param_set_value_curve_at_time(p, ca, 0, 0.05, 0.01) == LS_ERROR_INVALID_STATE);

    /* NotSupportedError: a time inside [T, T + D) of the curve ... */
    CHECK(ls_param_set_value_at_time(p, 1.0f, 0.015) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_param_set_value_at_time(p, 1.0f, 0.01) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_param_linear_ramp_to_value_at_time(p, 1.0f, 0.0199) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_param_exponential_ramp_to_value_at_time(p, 1.0f, 0.012) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_param_set_target_at_time(p, 1.0f, 0.011, 0.1) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_param_set_value_curve_at_time(p, cb, 2, 0.015, 0.001) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_param_set_value_curve_at_time(p, cb, 2, 0.01, 0.001) == LS_ERROR_NOT_SUPPORTED);
    /* ... or a new curve with an event strictly inside (T, T + D) */
    CHECK(ls_param_set_value_curve_at_time(p, cb, 2, 0.005, 0.01) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_param_set_value_curve_at_time(p, cb, 2, 0.0, 0.0101) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_param_set_value_curve_at_time(p, cb, 2, 0.03, 0.02) == LS_ERROR_NOT_SUPPORTED);

    /* INVALID_ARGUMENT */
    CHECK(ls_param_set_value_at_time(NULL, 1.0f, 0.0) == LS_ERROR_INVALID_ARGUMENT);
    CHECK(ls_param_set_automation_rate(p, (ls_automation_rate)7) == LS_ERROR_INVALID_ARGUMENT);
    CHECK(ls_param_automation_rate(p) == LS_AUTOMATION_RATE_A_RATE);
    CHECK(ls_param_value(p) == 1.0f);

    /* allowed: a curve exactly at another event's time, one ending exactly
     * where an event is, and one starting where another curve ends */
    CHECK_OK(ls_param_set_value_curve_at_time(p, cc, 2, 0.04, 0.005));  /* after set(0.25) at 0.04 */
    CHECK_OK(ls_param_set_value_curve_at_time(p, cb, 2, 0.02, 0.02));   /* [0.02, 0.04) */

    for (uint64_t i = 0; i < g.n; i++) {
        double t = ft(i);
        g.ref[i] = t < 0.01 ? 0.5 : t < 0.02 ? f_curve(t, ca, 2, 0.01, 0.01)
                 : t < 0.04 ? f_curve(t, cb, 2, 0.02, 0.02) : f_curve(t, cc, 2, 0.04, 0.005);
    }
    rig_check(&g, "only the valid calls took effect");
    rig_close(&g);

    /* value = v inside a curve running at currentTime */
    rig_open(&g, 512);
    CHECK_OK(ls_param_set_value_curve_at_time(g.p, ca, 2, 0.0, 0.01));
    CHECK(ls_param_set_value(g.p, 0.3f) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_param_value(g.p) == 1.0f);
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = f_curve(ft(i), ca, 2, 0.0, 0.01);
    rig_check(&g, "value setter refused inside a curve");
    rig_close(&g);
}

/* ------------------------------------------------------------------ */
/* The timeline does not grow                                          */
/* ------------------------------------------------------------------ */

static void test_many_value_sets(void)
{
    /* before rendering: every set lands at time 0 */
    rig g;
    rig_open(&g, 256);
    for (int i = 0; i < 100000; i++)
        CHECK(ls_param_set_value(g.p, (float)(i % 1000) / 1000.0f) == LS_OK);
    CHECK(timeline_length(g.p) <= 1);
    CHECK(g.p->time_count <= 2);
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = 0.999f;
    rig_check(&g, "100k value sets, then render");
    rig_close(&g);

    /* while time runs: set, set, ..., render a quantum */
    ls_context *ctx;
    ls_node *src;
    CHECK_OK(ls_offline_context_create(1, 1 << 24, SR, &ctx));
    CHECK_OK(ls_constant_source_create(ctx, NULL, &src));
    ls_param *p = ls_constant_source_offset(src);
    CHECK_OK(ls_node_connect(src, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(src, 0));
    float out[LS_Q];
    uint32_t longest = 0, wrong = 0, mirror = 0;
    for (int i = 0; i < 100000; i++) {
        float v = (float)(i % 777) * 0.125f;
        ls_param_set_value(p, v);
        if (i % 8 == 7) {
            render_quanta(ctx, out, 1);
            for (int k = 0; k < LS_Q; k++)
                wrong += out[k] != v;
            uint32_t len = timeline_length(p);
            longest = len > longest ? len : longest;
            mirror = p->time_count > mirror ? p->time_count : mirror;
        }
    }
    CHECK(wrong == 0);
    CHECK(longest == 0);
    CHECK(mirror <= 2);

    /* many distinct future times: all consumed once passed */
    CHECK_OK(ls_param_cancel_scheduled_values(p, 0.0));
    uint64_t f0 = ls_context_current_frame(ctx);
    for (int i = 0; i < 20000; i++)
        CHECK(ls_param_set_value_at_time(p, (float)i, ft(f0 + (uint64_t)i)) == LS_OK);
    float *big = malloc(sizeof(float) * 20096);
    render_quanta(ctx, big, 20096 / LS_Q);
    uint32_t off = 0;
    for (int i = 0; i < 20000; i++)
        off += big[i] != (float)i;
    CHECK(off == 0);
    CHECK(timeline_length(p) == 0);
    free(big);
    ls_node_release(src);
    ls_context_release(ctx);
}

/* ------------------------------------------------------------------ */
/* Audio-rate inputs                                                   */
/* ------------------------------------------------------------------ */

static void test_audio_rate_input(void)
{
    rig g;
    rig_open(&g, 1024);
    ls_constant_source_options o = ls_constant_source_options_default();
    o.offset = 0.25f;
    ls_node *mod;
    CHECK_OK(ls_constant_source_create(g.ctx, &o, &mod));
    CHECK_OK(ls_node_connect_param(mod, g.p, 0));
    CHECK_OK(ls_source_start(mod, 0));
    const double t1 = 1000.5 / SR;
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 1.0f, t1));
    for (uint64_t i = 0; i < g.n; i++)
        g.ref[i] = (ft(i) < t1 ? f_lin(ft(i), 0.0, 0.0, t1, 1.0) : 1.0) + 0.25;
    rig_check(&g, "intrinsic + input");
    /* the value getter reports the intrinsic value only */
    CHECK_NEAR(ls_param_value(g.p), f_lin(ft(896), 0.0, 0.0, t1, 1.0), 1e-6);
    ls_node_release(mod);
    rig_close(&g);

    /* k-rate: the input's first frame is added to the quantum's value */
    rig_open(&g, 1024);
    CHECK_OK(ls_constant_source_create(g.ctx, NULL, &mod));
    ls_param *mp = ls_constant_source_offset(mod);
    CHECK_OK(ls_param_set_value_at_time(mp, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(mp, 1.0f, ft(1024)));
    CHECK_OK(ls_node_connect_param(mod, g.p, 0));
    CHECK_OK(ls_source_start(mod, 0));
    CHECK_OK(ls_param_set_automation_rate(g.p, LS_AUTOMATION_RATE_K_RATE));
    CHECK_OK(ls_param_set_value_at_time(g.p, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(g.p, 2.0f, t1));
    for (uint64_t i = 0; i < g.n; i++) {
        double tq = ft(i / LS_Q * LS_Q);
        g.ref[i] = f_lin(tq, 0.0, 0.0, t1, 2.0) + f_lin(tq, 0.0, 0.0, ft(1024), 1.0);
    }
    rig_check(&g, "k-rate intrinsic + input");
    ls_node_release(mod);
    rig_close(&g);
}

/* ------------------------------------------------------------------ */
/* A probe node: a param with a chosen range, rate and rate constraint */
/* ------------------------------------------------------------------ */

static uint32_t probe_constant_quanta, probe_quanta;

static bool probe_process(ls_proc *p, ls_render *r)
{
    bool constant;
    const float *v = ls__param_process(p->params[0], r, &constant);
    probe_quanta++;
    probe_constant_quanta += constant;
    if (!ls__bus_alloc(r, &p->outputs[0], 1))
        return true;
    float *y = p->outputs[0].ch[0];
    for (int i = 0; i < LS_Q; i++)
        y[i] = constant ? v[0] : v[i];
    return true;
}

static const ls_proc_vtable probe_vtable = {probe_process, NULL, NULL};

static ls_node *probe_create(ls_context *ctx, float def, float lo, float hi, ls_automation_rate rate,
                             bool fixed)
{
    static const ls_node_options defaults = {1, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node = NULL;
    CHECK_OK(ls__node_create(ctx, LS_NODE_TYPE_GAIN, &probe_vtable, sizeof(ls_proc), 0, 1, &defaults,
                             NULL, &node));
    if (!node)
        return NULL;
    ls_param *p = ls__param_create(node, "probe", def, lo, hi, rate, fixed);
    CHECK(p != NULL);
    ls__node_publish(node);
    CHECK_OK(ls_node_connect(node, ls_context_destination(ctx), 0, 0));
    return node;
}

static ls_node *source(ls_context *ctx, float offset)
{
    ls_constant_source_options o = ls_constant_source_options_default();
    o.offset = offset;
    ls_node *n = NULL;
    CHECK_OK(ls_constant_source_create(ctx, &o, &n));
    CHECK_OK(ls_source_start(n, 0));
    return n;
}

/* computedValue = clamp(intrinsic + input) to [min, max]; the automation
 * itself runs unclamped. */
static void test_nominal_range(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 1024, SR, &ctx));
    ls_node *probe = probe_create(ctx, 0.5f, -1.0f, 2.0f, LS_AUTOMATION_RATE_A_RATE, false);
    ls_param *p = ls_node_param(probe, 0);
    ls_node *in = source(ctx, 0.5f);
    CHECK_OK(ls_node_connect_param(in, p, 0));
    const double t1 = 1000.0 / SR;
    CHECK_OK(ls_param_set_value_at_time(p, 5.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(p, -3.0f, t1));
    ls_buffer *b = NULL;
    CHECK_OK(ls_offline_context_render(ctx, &b));
    double ref[1024];
    for (int i = 0; i < 1024; i++) {
        double v = (ft(i) < t1 ? f_lin(ft(i), 0.0, 5.0, t1, -3.0) : -3.0) + 0.5;
        ref[i] = v < -1.0 ? -1.0 : v > 2.0 ? 2.0 : v;
    }
    EXPECT_SERIES(b ? ls_buffer_channel_data(b, 0) : NULL, ref, 1024, "clamped to the nominal range");
    /* the intrinsic value at the last quantum's start, not clamped */
    CHECK_NEAR(ls_param_value(p), f_lin(ft(896), 0.0, 5.0, t1, -3.0), 1e-6);
    ls_buffer_release(b);
    ls_node_release(in);
    ls_node_release(probe);
    ls_context_release(ctx);

    /* without inputs, a-rate and k-rate */
    for (int k = 0; k < 2; k++) {
        CHECK_OK(ls_offline_context_create(1, 1024, SR, &ctx));
        probe = probe_create(ctx, 0.5f, -1.0f, 2.0f, k ? LS_AUTOMATION_RATE_K_RATE : LS_AUTOMATION_RATE_A_RATE,
                             false);
        p = ls_node_param(probe, 0);
        CHECK_OK(ls_param_set_value(p, 5.0f));
        CHECK_OK(ls_param_set_value_at_time(p, -4.0f, 600.5 / SR));
        b = NULL;
        CHECK_OK(ls_offline_context_render(ctx, &b));
        for (int i = 0; i < 1024; i++)
            ref[i] = (k ? i / LS_Q * LS_Q : i) < 600.5 ? 2.0 : -1.0;
        EXPECT_SERIES(b ? ls_buffer_channel_data(b, 0) : NULL, ref, 1024,
                      k ? "k-rate clamped" : "a-rate clamped, no inputs");
        CHECK(ls_param_value(p) == -4.0f);
        ls_buffer_release(b);
        ls_node_release(probe);
        ls_context_release(ctx);
    }
}

/* A NaN sum is replaced by the default value. */
static void test_nan_becomes_default(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 256, SR, &ctx));
    ls_node *probe = probe_create(ctx, 0.75f, -FLT_MAX, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, false);
    ls_param *p = ls_node_param(probe, 0);
    ls_node *big = source(ctx, FLT_MAX);
    ls_gain_options go = ls_gain_options_default();
    ls_node *up, *down;
    go.gain = 2.0f;
    CHECK_OK(ls_gain_create(ctx, &go, &up));
    go.gain = -2.0f;
    CHECK_OK(ls_gain_create(ctx, &go, &down));
    CHECK_OK(ls_node_connect(big, up, 0, 0));
    CHECK_OK(ls_node_connect(big, down, 0, 0));
    CHECK_OK(ls_node_connect_param(up, p, 0));     /* +inf */
    CHECK_OK(ls_node_connect_param(down, p, 0));   /* -inf */
    /* automation running for the first quanta, then none */
    CHECK_OK(ls_param_set_value_at_time(p, 0.0f, 0.0));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(p, 1.0f, 100.5 / SR));
    ls_buffer *b = NULL;
    CHECK_OK(ls_offline_context_render(ctx, &b));
    double ref[256];
    for (int i = 0; i < 256; i++)
        ref[i] = 0.75;
    EXPECT_SERIES(b ? ls_buffer_channel_data(b, 0) : NULL, ref, 256, "NaN replaced by the default");
    ls_buffer_release(b);
    ls_node_release(big);
    ls_node_release(up);
    ls_node_release(down);
    ls_node_release(probe);
    ls_context_release(ctx);
}

static void test_fixed_rate(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 256, SR, &ctx));
    ls_node *probe = probe_create(ctx, 0.0f, -FLT_MAX, FLT_MAX, LS_AUTOMATION_RATE_K_RATE, true);
    ls_param *p = ls_node_param(probe, 0);
    CHECK(ls_param_automation_rate(p) == LS_AUTOMATION_RATE_K_RATE);
    CHECK(ls_param_set_automation_rate(p, LS_AUTOMATION_RATE_A_RATE) == LS_ERROR_INVALID_STATE);
    CHECK(ls_param_automation_rate(p) == LS_AUTOMATION_RATE_K_RATE);
    CHECK_OK(ls_param_set_automation_rate(p, LS_AUTOMATION_RATE_K_RATE));
    ls_node_release(probe);
    ls_context_release(ctx);
}

/* Quanta without a running event are flagged constant. */
static void test_constant_flag(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 16 * LS_Q, SR, &ctx));
    ls_node *probe = probe_create(ctx, 0.0f, -FLT_MAX, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, false);
    ls_param *p = ls_node_param(probe, 0);
    CHECK_OK(ls_param_set_value_at_time(p, 1.0f, ft(2 * LS_Q)));
    CHECK_OK(ls_param_linear_ramp_to_value_at_time(p, 2.0f, ft(6 * LS_Q)));
    CHECK_OK(ls_param_set_target_at_time(p, 3.0f, ft(8 * LS_Q), 1e-4));
    probe_quanta = probe_constant_quanta = 0;
    ls_buffer *b = NULL;
    CHECK_OK(ls_offline_context_render(ctx, &b));
    CHECK(probe_quanta == 16);
    /* varying: 2..5 (the ramp runs from the set-value at quantum 2) and 8
     * (the approach; tau is 4.8 frames, so float has converged by quantum 9) */
    CHECK(probe_constant_quanta == 16 - 5);
    const float *y = b ? ls_buffer_channel_data(b, 0) : NULL;
    CHECK(y && y[15 * LS_Q] == 3.0f);
    ls_buffer_release(b);
    ls_node_release(probe);
    ls_context_release(ctx);
}

TEST_MAIN(TEST(test_attributes_and_value), TEST(test_value_after_render),
          TEST(test_set_value_at_time), TEST(test_linear_ramp), TEST(test_ramps_without_previous_event),
          TEST(test_exponential_ramp), TEST(test_exponential_ramp_degenerate), TEST(test_set_target),
          TEST(test_set_target_chain), TEST(test_value_curve), TEST(test_value_curve_is_copied),
          TEST(test_same_time_order), TEST(test_out_of_order_scheduling),
          TEST(test_ramp_after_pending_set_target), TEST(test_ramp_after_running_set_target),
          TEST(test_ramp_after_passed_events), TEST(test_k_rate), TEST(test_cancel_scheduled_values),
          TEST(test_cancel_running_ramp), TEST(test_hold_linear_ramp), TEST(test_hold_exponential_ramp),
          TEST(test_hold_set_target), TEST(test_hold_value_curve), TEST(test_hold_set_value),
          TEST(test_hold_running_ramp), TEST(test_errors), TEST(test_many_value_sets),
          TEST(test_audio_rate_input), TEST(test_nominal_range), TEST(test_nan_becomes_default),
          TEST(test_fixed_rate), TEST(test_constant_flag))
