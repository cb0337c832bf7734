/*
 * What the generic node classes (python/src/node_types.c) cannot derive from
 * the engine's descriptors: each node's hand-written methods and attributes,
 * defined in python/src/nodes/<node>.c beside the engine's src/nodes/<node>.c.
 */
#ifndef LABSOUND_PY_NODES_H
#define LABSOUND_PY_NODES_H

#include "../core.h"

/* The engine's frequency response of a filter node (ls_biquad_filter_...). */
typedef ls_result (*lspy_response_fn)(ls_node *, const float *, float *, float *, size_t);

typedef struct lspy_node_special {
    const char *key;                /* the descriptor's key: "adsr" */
    PyMethodDef *methods;           /* NULL-terminated, or NULL */
    PyGetSetDef *getset;            /* attributes besides params and settings, or NULL */
    const char *doc;                /* appended to the class's docstring, or NULL */
    int factory_npos;               /* the factory's first n options may be positional:
                                       create_delay(2.0) */
    const char *const *aliases;     /* other keywords, pairs {alias, option, ..., NULL}: "q"
                                       for "Q" (and an alias property when it feeds a param) */
    /* the method get_frequency_response(frequencies, mag_out=None,
     * phase_out=None) over this function, or NULL */
    lspy_response_fn response;
    /* After the engine's create failed with r: 1 with a more telling error
     * raised, or 0 to leave it to the generic one. raw[] holds the node's own
     * options (descriptor order) then the channel options, each borrowed or
     * NULL. NULL: none. */
    int (*create_error)(lspy_state *st, ls_result r, const void *opts, PyObject *const *raw,
                        const char *fn);
    ls_result option_error;         /* what an option or setting out of its range raises
                                       (LS_ERROR_INDEX_SIZE: IndexError); 0: ValueError */
    const char *factory_alias;      /* a second name of ctx.create_<key>, or NULL */
} lspy_node_special;

/* Live node check shared by the hand-written parts: 0, or -1 with
 * InvalidStateError when the node was released. */
int lspy_node_check_live(lspy_NodeObject *self);

/* After a source's start-like call `fn` (start, schedule) returned r: raise
 * for an error (InvalidStateError "already started" when it was), else mark
 * the node started, hold it for its onended handler and return None. */
PyObject *lspy_source_started(lspy_NodeObject *self, ls_result r, const char *fn);

/* node.onended of a source (node.c): the handler, or None; setting it holds
 * a started node for its event while it plays (closure NULL: a scheduled
 * source) or whenever started (else: the sampler, which ends again). */
PyObject *lspy_get_onended(lspy_NodeObject *self, void *closure);
int lspy_set_onended(lspy_NodeObject *self, PyObject *value, void *closure);

/* node.buffer of a node with a BUFFER setting: the AudioBuffer given or set
 * last, or None (a getter). */
PyObject *lspy_node_get_buffer(PyObject *self, void *closure);

/* node.<name> = value for a setting of a generic node's descriptor (what the
 * generic property does): 0, or -1 with the exception set. */
int lspy_node_setting_set(PyObject *self, const char *name, PyObject *value);

/* Set params pnames[] of `node` from the call's arguments argnames
 * (NULL-terminated, at most 6; NULL: x, y, z), as set_position(x, y, z). */
PyObject *lspy_set_params(lspy_state *st, ls_node *node, const char *fn,
                          const char *const *argnames, const char *const *pnames,
                          PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);

/* BPMDelay's and PingPongDelay's create_error: a delay longer than max_delay_time. */
int lspy_tempo_explain(lspy_state *st, ls_result r, const void *opts, PyObject *const *raw,
                       const char *fn);

/* A new writable 1-D float32 NumPy array of n elements, a copy of data (or
 * zeros when data is NULL). */
PyObject *lspy_float_array(lspy_state *st, Py_ssize_t n, const float *data);

extern const lspy_node_special lspy_adsr_special;
extern const lspy_node_special lspy_analyser_special;
extern const lspy_node_special lspy_biquad_filter_special;
extern const lspy_node_special lspy_bpm_delay_special;
extern const lspy_node_special lspy_buffer_source_special;
extern const lspy_node_special lspy_channel_merger_special;
extern const lspy_node_special lspy_channel_splitter_special;
extern const lspy_node_special lspy_delay_special;
extern const lspy_node_special lspy_iir_filter_special;
extern const lspy_node_special lspy_oscillator_special;
extern const lspy_node_special lspy_stereo_panner_special;
extern const lspy_node_special lspy_wave_shaper_special;
extern const lspy_node_special lspy_convolver_special;
extern const lspy_node_special lspy_granulation_special;
extern const lspy_node_special lspy_panner_special;
extern const lspy_node_special lspy_ping_pong_delay_special;
extern const lspy_node_special lspy_recorder_special;
extern const lspy_node_special lspy_sampled_audio_special;
extern const lspy_node_special lspy_sfxr_special;
extern const lspy_node_special lspy_spectral_monitor_special;

#endif /* LABSOUND_PY_NODES_H */
