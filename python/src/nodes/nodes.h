/*
 * What the generic node classes (python/src/node_types.c) cannot derive from
 * the engine's descriptors: each node's hand-written methods and attributes,
 * defined in python/src/nodes/<node>.c beside the engine's src/nodes/<node>.c.
 */
#ifndef LABSOUND_PY_NODES_H
#define LABSOUND_PY_NODES_H

#include "../core.h"

typedef struct lspy_node_special {
    const char *key;                /* the descriptor's key: "adsr" */
    PyMethodDef *methods;           /* NULL-terminated, or NULL */
    PyGetSetDef *getset;            /* attributes besides params and settings, or NULL */
    const char *doc;                /* appended to the class's docstring, or NULL */
    int positional;                 /* the factory also takes its first n options by position */
    /* After create failed with r and no option lay outside its range: raise a
     * message that says why (-1), or leave it to the generic one (0). */
    int (*explain)(lspy_state *st, const ls_node_descriptor *d, const void *opts, ls_result r,
                   const char *fn);
} lspy_node_special;

/* Live node check shared by the hand-written parts: 0, or -1 with
 * InvalidStateError when the node was released. */
int lspy_node_check_live(lspy_NodeObject *self);

/* After a source's start-like call `fn` (start, schedule) returned r: raise
 * for an error (InvalidStateError "already started" when it was), else mark
 * the node started, hold it for its onended handler and return None. */
PyObject *lspy_source_started(lspy_NodeObject *self, ls_result r, const char *fn);

/* channel_count, channel_count_mode, channel_interpretation (raw[0..2],
 * each borrowed or NULL) into *no, raising for a bad one (fn: the call). */
int lspy_channel_options(lspy_state *st, PyObject *const *raw, const char *fn, ls_node_options *no);

/* node.buffer of a node with a BUFFER setting: the AudioBuffer given or set
 * last, or None (a getter). */
PyObject *lspy_node_get_buffer(PyObject *self, void *closure);

/* node.<name> = value for a setting of a generic node's descriptor (what the
 * generic property does): 0, or -1 with the exception set. */
int lspy_node_setting_set(PyObject *self, const char *name, PyObject *value);

/* Set three params of `node` (names) from the call's x, y, z (set_position). */
PyObject *lspy_set_three(lspy_state *st, ls_node *node, const char *fn, const char *const names[3],
                         PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);

/* BPMDelay's and PingPongDelay's explain: a delay longer than max_delay_time. */
int lspy_tempo_explain(lspy_state *st, const ls_node_descriptor *d, const void *opts, ls_result r,
                       const char *fn);

extern const lspy_node_special lspy_adsr_special;
extern const lspy_node_special lspy_bpm_delay_special;
extern const lspy_node_special lspy_buffer_source_special;
extern const lspy_node_special lspy_convolver_special;
extern const lspy_node_special lspy_granulation_special;
extern const lspy_node_special lspy_panner_special;
extern const lspy_node_special lspy_ping_pong_delay_special;
extern const lspy_node_special lspy_sampled_audio_special;
extern const lspy_node_special lspy_sfxr_special;
extern const lspy_node_special lspy_spectral_monitor_special;

#endif /* LABSOUND_PY_NODES_H */
