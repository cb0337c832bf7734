/*
 * labsound: what a context holds on its control side, read back.
 *
 * A context knows the nodes made in it (in the order they were made), their
 * connections (in the order they were made), each AudioParam's value at
 * creation and the automation calls made on it, and the calls that schedule
 * sources (start, stop, the sampler's schedules). These functions read that
 * back, for a description of the graph that rebuilds it (the Python
 * package's `ctx.to_dict()`), a drawing of it, or a debugger.
 *
 * What is recorded
 * ----------------
 * Nodes and connections are listed for every context. The automation calls
 * and the scheduling calls are kept in full by an offline context; a
 * real-time context keeps the last LS_RECORD_REALTIME_MAX of each param or
 * node (it may play for hours), dropping the oldest.
 *
 * Threads
 * -------
 * Control threads only (they take the context's control lock), like the
 * rest of the public API.
 */
#ifndef LABSOUND_RECORD_H
#define LABSOUND_RECORD_H

#include "labsound.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most records a real-time context keeps per param and per node. */
#define LS_RECORD_REALTIME_MAX 4096

/* ------------------------------------------------------------------ */
/* Nodes                                                               */
/* ------------------------------------------------------------------ */

/**
 * The nodes of `ctx`, oldest first, without its destination and listener.
 * Writes up to `cap` handles to out[] (out may be NULL when cap is 0), each
 * a new reference the caller releases with ls_node_release, and sets *count
 * to the number of nodes the context holds (call again with a bigger array
 * when *count > cap). A node whose last reference was released is listed
 * while the engine still holds it (it plays on until it goes silent); the
 * reference handed out keeps it in the graph until it is released again.
 * Nodes the engine has already reclaimed (silent for good) are not listed.
 * Control thread. Errors: INVALID_ARGUMENT (ctx or count NULL),
 * INVALID_STATE (an offline context while it renders).
 */
LS_API ls_result ls_context_nodes(ls_context *ctx, ls_node **out, size_t cap, size_t *count);

/** The listener of `ctx` as a node (its params are the AudioListener's),
 *  or NULL when nothing has used the listener yet. Borrowed: valid while
 *  the context lives. Control thread. */
LS_API ls_node *ls_context_listener_node(ls_context *ctx);

/** The node's serial number in its context: 1 for the first node made,
 *  counting up (0 for the destination and the listener). Any thread. */
LS_API uint64_t ls_node_serial(const ls_node *node);

/* ------------------------------------------------------------------ */
/* Connections                                                         */
/* ------------------------------------------------------------------ */

typedef struct ls_connection_info {
    ls_node *src;          /* borrowed: valid while the caller holds src */
    uint32_t output;
    ls_node *dst;          /* the destination node, or the param's node (borrowed) */
    ls_param *param;       /* NULL for a connection into a node input */
    uint32_t input;        /* node inputs only */
    uint64_t serial;       /* order of connection in the context (bigger = later) */
} ls_connection_info;

/**
 * The connections leaving `src` (into node inputs and into params,
 * including the listener's), oldest first. Writes up to `cap` of them to
 * out[] and sets *count to how many there are. Handles in the results are
 * borrowed: the destination of a connection stays valid while `src` is
 * held and the connection is not removed. Control thread.
 * Errors: INVALID_ARGUMENT (src or count NULL).
 */
LS_API ls_result ls_node_connections(ls_node *src, ls_connection_info *out, size_t cap,
                                     size_t *count);

/* ------------------------------------------------------------------ */
/* AudioParam timelines                                                */
/* ------------------------------------------------------------------ */

typedef enum ls_param_record_type {
    LS_PARAM_RECORD_SET_VALUE_AT_TIME = 0,      /* value, time */
    LS_PARAM_RECORD_LINEAR_RAMP = 1,            /* value, time (end time) */
    LS_PARAM_RECORD_EXPONENTIAL_RAMP = 2,       /* value, time (end time) */
    LS_PARAM_RECORD_SET_TARGET = 3,             /* value (target), time, time_constant */
    LS_PARAM_RECORD_SET_VALUE_CURVE = 4,        /* curve, curve_length, time, duration */
    LS_PARAM_RECORD_CANCEL_SCHEDULED_VALUES = 5,/* time */
    LS_PARAM_RECORD_CANCEL_AND_HOLD = 6,        /* time */
    LS_PARAM_RECORD_VALUE = 7,                  /* value (the value setter) */
    LS_PARAM_RECORD_AUTOMATION_RATE = 8         /* rate */
} ls_param_record_type;

/** One call that changed a param, as it was made (times as given). */
typedef struct ls_param_record {
    ls_param_record_type type;
    float value;
    double time;
    double time_constant;
    double duration;
    const float *curve;    /* curve_length floats, owned by the param */
    size_t curve_length;
    ls_automation_rate rate;
} ls_param_record;

/** The param's value when its node was made (its constructor option).
 *  Any thread. 0 for NULL. */
LS_API float ls_param_initial_value(const ls_param *p);

/**
 * The calls that changed `p` (its timeline and value and rate setters) in
 * the order they were made, failed calls left out. Writes up to `cap` of
 * them to out[] and sets *count to how many there are. A record's curve
 * stays valid until the next call on the param or its node's release.
 * Control thread. Errors: INVALID_ARGUMENT (p or count NULL), NO_MEM (a
 * call could not be recorded for want of memory: the records written are
 * incomplete).
 */
LS_API ls_result ls_param_records(ls_param *p, ls_param_record *out, size_t cap, size_t *count);

/* ------------------------------------------------------------------ */
/* Scheduling calls                                                    */
/* ------------------------------------------------------------------ */

typedef enum ls_call_record_type {
    LS_CALL_RECORD_START = 0,            /* when; buffer sources: offset, duration */
    LS_CALL_RECORD_STOP = 1,             /* when */
    LS_CALL_RECORD_SCHEDULE = 2,         /* SampledAudioNode: when, loop_count, offset, duration */
    LS_CALL_RECORD_CLEAR_SCHEDULES = 3   /* SampledAudioNode */
} ls_call_record_type;

typedef struct ls_call_record {
    ls_call_record_type type;
    double when;
    double offset;
    double duration;       /* < 0: to the end */
    int32_t loop_count;
} ls_call_record;

/**
 * The scheduling calls made on `node` (start, stop, the sampler's schedule
 * and clear_schedules) in call order, failed calls left out. Writes up to
 * `cap` to out[] and sets *count to how many there are. Control thread.
 * Errors: INVALID_ARGUMENT (node or count NULL), NO_MEM (a call could not
 * be recorded for want of memory: the records written are incomplete).
 */
LS_API ls_result ls_node_call_records(ls_node *node, ls_call_record *out, size_t cap,
                                      size_t *count);

/* ------------------------------------------------------------------ */
/* Values only the constructor takes                                   */
/* ------------------------------------------------------------------ */

/**
 * The Fourier coefficients a PeriodicWave was made from: n values each in
 * *real and *imag (owned by the wave, valid while it is held) and its
 * disable_normalization flag. A wave made without arrays reports the sine
 * it stands for (real {0, 0}, imag {0, 1}). Any thread.
 * Errors: INVALID_ARGUMENT (a NULL argument).
 */
LS_API ls_result ls_periodic_wave_coefficients(const ls_periodic_wave *w, const float **real,
                                               const float **imag, size_t *n,
                                               int *disable_normalization);

/** The custom wave an oscillator plays (a new reference), or NULL when its
 *  type is a built-in one. Control thread. */
LS_API ls_periodic_wave *ls_oscillator_periodic_wave(ls_node *osc);

/**
 * An IIR filter's coefficients as given to its constructor: *nff
 * feedforward and *nfb feedback values (owned by the node, valid while it
 * is held). Any thread. Errors: INVALID_ARGUMENT (not an IIR filter, or a
 * NULL argument).
 */
LS_API ls_result ls_iir_filter_coefficients(const ls_node *node, const double **feedforward,
                                            size_t *nff, const double **feedback, size_t *nfb);

/** The channels a RecorderNode records (its constructor option); 0 when
 *  `node` is not a recorder. Any thread. */
LS_API uint32_t ls_recorder_channels(const ls_node *node);

#ifdef __cplusplus
}
#endif

#endif
