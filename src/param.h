/*
 * AudioParam internals: the control half (validation, the value getter) and
 * the render half (the automation timeline, computed once per quantum).
 */
#ifndef LS_PARAM_H
#define LS_PARAM_H

#include "engine.h"

typedef enum ls_param_event_type {
    LS_PEV_SET_VALUE = 0,
    LS_PEV_LINEAR_RAMP,
    LS_PEV_EXPONENTIAL_RAMP,
    LS_PEV_SET_TARGET,
    LS_PEV_SET_VALUE_CURVE
} ls_param_event_type;

/* One automation event. Allocated on the control side, linked into the
 * render timeline by LS_MSG_PARAM_EVENT, given back when it is no longer
 * needed (passed, cancelled, or the node is freed). */
typedef struct ls_param_event {
    ls_returnable ret;
    struct ls_param_event *next, *prev;   /* render: timeline links */
    ls_param_event_type type;
    float value;                          /* value / target; curve: unused */
    double time;                          /* start time; ramps: end time */
    double time_constant;                 /* set target */
    double duration;                      /* value curve */
    uint32_t curve_len;
    float *curve;                         /* value curve: owned, curve_len floats */
} ls_param_event;

/* Control-side record of a value curve's interval, for the overlap errors. */
typedef struct ls_curve_span {
    double start, end;
} ls_curve_span;

/* Control-side record of one scheduled event's time (ramps: end time; curves:
 * start time) and type, for the overlap errors and cancel-and-hold. */
typedef struct ls_ctl_time {
    double time;
    ls_param_event_type type;
} ls_ctl_time;

struct ls_param {
    /* set once */
    ls_node *node;
    const char *name;
    float default_value, min_value, max_value;
    bool rate_fixed;
    float initial_value;                  /* the value when the node was published */

    /* shared: the value getter's answer, as float bits */
    atomic_uint value_bits;

    /* control */
    ls_automation_rate rate;
    ls_curve_span *spans;                 /* value curves scheduled, for overlap checks */
    uint32_t span_count, span_cap;
    double last_event_time;               /* latest event time scheduled */
    ls_ctl_time *times;                   /* events scheduled, sorted by time; events in the
                                             past pruned but for the latest one */
    uint32_t time_count, time_cap;
    ls_param_record *log;                 /* the calls made, in order (record.c); curves owned */
    uint32_t log_count, log_cap;
    bool log_incomplete;                  /* a call could not be recorded (out of memory) */

    /* render */
    struct {
        ls_param_event *head, *tail;      /* timeline sorted by time, insertion order kept */
        ls_automation_rate rate;
        ls_edge *inputs;                  /* connections into the param */
        uint32_t input_count;
        float intrinsic;                  /* intrinsic value at the end of the last quantum */
        /* state of the event the timeline is in, kept across quanta */
        double prev_time;                 /* time and value of the last event that ended */
        float prev_value;
        bool const_filled;                /* values[] holds const_bits in every frame */
        unsigned const_bits;
        float values[LS_Q] __attribute__((aligned(64)));
        float inputs_mix[LS_Q] __attribute__((aligned(64)));
    } r;
};

/* control, under lock: free the param and every event it still holds
 * (called when its node is freed, when the render side no longer sees it). */
void ls__param_free(struct ls_param *p);

/*
 * render: compute the param's values for the current quantum: the automation
 * timeline (a-rate: per frame; k-rate: once, at the quantum's first frame),
 * plus the sum of its audio-rate inputs (mixed down to mono), clamped to
 * [min_value, max_value], NaN replaced by default_value. Returns LS_Q values;
 * *constant is set when every value is the same (then only [0] is certain to
 * be written, and callers may take a scalar path). Updates value_bits.
 */
const float *ls__param_render(struct ls_param *p, ls_render *r, bool *constant);

static inline const float *ls__param_process(struct ls_param *p, ls_render *r, bool *constant)
{
    /* No event left and no input: the values and [[current value]] are
     * those of the last quantum, which already filled values[]. */
    if (!p->r.head && !p->r.inputs && p->r.const_filled) {
        *constant = true;
        return p->r.values;
    }
    return ls__param_render(p, r, constant);
}

/* render: (graph.c) sum the param's inputs into dst (LS_Q floats, mono,
 * speakers down-mix). Returns false and leaves dst untouched when nothing
 * audible is connected. */
bool ls__param_gather_inputs(struct ls_param *p, ls_render *r, float *dst);

/* render: message handlers for LS_MSG_PARAM_EVENT / _CANCEL / _RATE. */
void ls__param_on_message(struct ls_param *p, ls_render *r, const ls_msg *m);

#endif
