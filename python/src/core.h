/*
 * labsound._core: the CPython extension over the public C API.
 *
 * Shared declarations for the extension's translation units: the module
 * state, the object layouts, the error mapping and the argument helpers.
 */
#ifndef LABSOUND_PY_CORE_H
#define LABSOUND_PY_CORE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <labsound/labsound.h>

typedef struct lspy_node_class lspy_node_class;

/* ------------------------------------------------------------------ */
/* Limited API (LS_PY_LIMITED_API: Py_LIMITED_API = 3.11, abi3 wheels)  */
/* ------------------------------------------------------------------ */
/* The extension builds against the full C API or, with Py_LIMITED_API
 * defined, against the stable ABI of Python 3.11+ (one wheel for every
 * later CPython). These spell the few calls that differ: the full build
 * keeps CPython's unchecked macros, the limited one calls the exported
 * functions (same results for the objects these are given, which are
 * checked beforehand). See docs/building.md, "Stable ABI". */
#ifdef Py_LIMITED_API
#define LSPY_TUPLE_SIZE(t)      PyTuple_Size(t)
#define LSPY_TUPLE_ITEM(t, i)   PyTuple_GetItem((t), (i))
#define LSPY_TUPLE_SET(t, i, v) ((void)PyTuple_SetItem((t), (i), (v)))
#define LSPY_LIST_SIZE(l)       PyList_Size(l)
#define LSPY_LIST_ITEM(l, i)    PyList_GetItem((l), (i))
/* store v (a new reference) at l[i], releasing what was there */
#define LSPY_LIST_REPLACE(l, i, v) ((void)PyList_SetItem((l), (i), (v)))
#define LSPY_DICT_SIZE(d)       PyDict_Size(d)
#define LSPY_FLOAT_VALUE(f)     PyFloat_AsDouble(f)
#define LSPY_BYTES_DATA(b)      PyBytes_AsString(b)
#define LSPY_BYTEARRAY_DATA(b)  PyByteArray_AsString(b)
/* the items of a PySequence_Fast() result (a list or a tuple) */
#define LSPY_FAST_SIZE(s)       PySequence_Size(s)
#define LSPY_FAST_ITEM(s, i)    (PyList_Check(s) ? PyList_GetItem((s), (i)) : PyTuple_GetItem((s), (i)))
#define LSPY_ALLOC(tp)          (((allocfunc)PyType_GetSlot((tp), Py_tp_alloc))((tp), 0))
#define LSPY_FREE(tp, o)        (((freefunc)PyType_GetSlot((tp), Py_tp_free))((void *)(o)))
#define LSPY_CALL1(f, a)        PyObject_CallFunctionObjArgs((f), (a), NULL)
#define LSPY_VECTORCALL(f, args, nargsf, kwnames) lspy_vectorcall((f), (args), (nargsf), (kwnames))
#define LSPY_TYPE_SLOT(tp, ty, slot) ((ty)PyType_GetSlot((tp), (slot)))
#define LSPY_HAS_NB_FLOAT(o)    (PyType_GetSlot(Py_TYPE(o), Py_nb_float) != NULL)
#define LSPY_RAW_MALLOC(n)      malloc(n)
#define LSPY_RAW_FREE(p)        free(p)
#define LSPY_RAW_CALLOC(n, s)   calloc((n), (s))
/* whether this thread holds the GIL: unknown to the 3.11 limited API, so
 * callers that may run without it take their deferred path (0) */
#define LSPY_GIL_HELD()         0
/* 3.11's limited headers take PyObject * without the full API's cast */
#ifndef Py_TYPE
#define Py_TYPE(o) Py_TYPE((PyObject *)(o))
#endif
#ifndef Py_INCREF
#define Py_INCREF(o) Py_INCREF((PyObject *)(o))
#endif
#ifndef Py_DECREF
#define Py_DECREF(o) Py_DECREF((PyObject *)(o))
#endif
#ifndef Py_XSETREF
#define Py_XSETREF(dst, src) \
    do { PyObject **lspy_pp_ = (PyObject **)&(dst); PyObject *lspy_old_ = *lspy_pp_; \
         *lspy_pp_ = (PyObject *)(src); Py_XDECREF(lspy_old_); } while (0)
#endif
/* PyObject_Vectorcall (limited only from 3.12): through a tuple and a dict. */
PyObject *lspy_vectorcall(PyObject *f, PyObject *const *args, size_t nargsf, PyObject *kwnames);
/* tp_name as the full API reads it: "module.Name" for static types and this
 * extension's types, "Name" for builtins and classes defined in Python.
 * Valid until a few more calls (a small ring of buffers; GIL held). */
const char *lspy_type_name(PyTypeObject *tp);
#else
#define LSPY_TUPLE_SIZE(t)      PyTuple_GET_SIZE(t)
#define LSPY_TUPLE_ITEM(t, i)   PyTuple_GET_ITEM(t, i)
#define LSPY_TUPLE_SET(t, i, v) PyTuple_SET_ITEM(t, i, v)
#define LSPY_LIST_SIZE(l)       PyList_GET_SIZE(l)
#define LSPY_LIST_ITEM(l, i)    PyList_GET_ITEM(l, i)
#define LSPY_LIST_REPLACE(l, i, v) \
    do { PyObject *lspy_old_ = PyList_GET_ITEM(l, i); PyList_SET_ITEM(l, i, v); \
         Py_XDECREF(lspy_old_); } while (0)
#define LSPY_DICT_SIZE(d)       PyDict_GET_SIZE(d)
#define LSPY_FLOAT_VALUE(f)     PyFloat_AS_DOUBLE(f)
#define LSPY_BYTES_DATA(b)      PyBytes_AS_STRING(b)
#define LSPY_BYTEARRAY_DATA(b)  PyByteArray_AS_STRING(b)
#define LSPY_FAST_SIZE(s)       PySequence_Fast_GET_SIZE(s)
#define LSPY_FAST_ITEM(s, i)    PySequence_Fast_GET_ITEM(s, i)
#define LSPY_ALLOC(tp)          ((tp)->tp_alloc((tp), 0))
#define LSPY_FREE(tp, o)        ((tp)->tp_free((void *)(o)))
#define LSPY_CALL1(f, a)        PyObject_CallOneArg((f), (a))
#define LSPY_VECTORCALL(f, args, nargsf, kwnames) PyObject_Vectorcall((f), (args), (nargsf), (kwnames))
#define LSPY_TYPE_SLOT(tp, ty, slot) ((tp)->LSPY_SLOT_FIELD_##slot)
#define LSPY_SLOT_FIELD_Py_tp_traverse tp_traverse
#define LSPY_SLOT_FIELD_Py_tp_clear    tp_clear
#define LSPY_SLOT_FIELD_Py_tp_dealloc  tp_dealloc
#define LSPY_HAS_NB_FLOAT(o)    (Py_TYPE(o)->tp_as_number != NULL && Py_TYPE(o)->tp_as_number->nb_float != NULL)
#define LSPY_RAW_MALLOC(n)      PyMem_RawMalloc(n)
#define LSPY_RAW_FREE(p)        PyMem_RawFree(p)
#define LSPY_RAW_CALLOC(n, s)   PyMem_RawCalloc((n), (s))
#define LSPY_GIL_HELD()         PyGILState_Check()
#define lspy_type_name(tp)      ((tp)->tp_name)
#endif
#define LSPY_TP_NAME(o)         lspy_type_name(Py_TYPE(o))

/* A PyMethodDef's flags and function for a vectorcall method with keywords. */
#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))

/* ------------------------------------------------------------------ */
/* Module state                                                        */
/* ------------------------------------------------------------------ */

typedef struct {
    PyTypeObject *BaseAudioContext_Type;
    PyTypeObject *AudioContext_Type;
    PyTypeObject *OfflineAudioContext_Type;
    PyTypeObject *AudioNode_Type;
    PyTypeObject *AudioScheduledSourceNode_Type;
    PyTypeObject *AudioDestinationNode_Type;
    PyTypeObject *AudioParam_Type;
    PyTypeObject *AudioBuffer_Type;
    PyTypeObject *PeriodicWave_Type;

    PyObject *LabSoundError;
    PyObject *InvalidStateError;
    PyObject *InvalidAccessError;
    PyObject *NotSupportedError;
    PyObject *DecodeError;          /* files.c */
    PyObject *ClippingWarning;      /* files.c: AudioBuffer.save clipped samples */

    PyObject *str_ended;        /* "ended" */
    PyObject *str_statechange;  /* "statechange" */
    PyObject *str_complete;     /* "complete" */

    /* numpy, imported on first use (it is a run-time dependency only) */
    PyObject *np_frombuffer;
    PyObject *np_ascontiguousarray;
    PyObject *np_float32;
    PyObject *np_complex64;
    PyObject *np_empty;

    PyTypeObject *AudioListener_Type;   /* nodes/listener.c */
    PyTypeObject *ScriptMemory_Type;    /* script.c */
    PyTypeObject *ScriptKernel_Type;
    PyTypeObject *ScriptOwner_Type;
    PyTypeObject *MediaStreamAudioSourceNode_Type;   /* devices.c */
    /* Every member above is a strong reference or NULL: module.c visits and
     * clears them as an array. Those below are node_types.c's. */
    /* node_types.c: the classes built from the engine's node descriptors */
    struct lspy_node_class *node_classes;
    int n_node_classes;
    PyTypeObject *NodeFactory_Type;
    int counted;        /* limited API: counted in module.c's live instances */
} lspy_state;

extern PyModuleDef lspy_module_def;

/* The state of the module that defined `tp` or one of its bases. */
lspy_state *lspy_state_from_type(PyTypeObject *tp);
#define LSPY_STATE(obj) lspy_state_from_type(Py_TYPE(obj))

/* Import numpy's helpers into the state on first use. 0 or -1. */
int lspy_need_numpy(lspy_state *st);
/* The end of a tp_dealloc: untrack (GC types), clear the weak references
 * (when weakreflist is set), run clear (or not, NULL), free, drop the type. */
void lspy_dealloc(PyObject *self, PyObject *weakreflist, inquiry clear);
/* Visit / clear n consecutive object members from *first (GC slots). */
int lspy_visit_refs(PyObject **first, size_t n, visitproc visit, void *arg);
void lspy_clear_refs(PyObject **first, size_t n);
/* Make a heap type from spec (over base, or NULL) into *slot and add it to the
 * module under the spec's name after its last dot. 0 or -1. */
int lspy_add_type(PyObject *m, PyTypeObject **slot, PyType_Spec *spec, PyObject *base);
/* labsound.<module>.<name> (a new reference), or NULL with the error set. */
PyObject *lspy_py_attr(const char *module, const char *name);
/* Call labsound.<module>.<name>(self, *args, **kwargs) from a vectorcall
 * method: the methods written in Python (reshaping arguments, reprs,
 * conveniences with no speed reason), behind the C type's method. */
PyObject *lspy_py_call(const char *module, const char *name, PyObject *self,
                       PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);
/* A METH_FASTCALL | METH_KEYWORDS method `cname` that is labsound.<module>.<name>. */
#define LSPY_PY_METHOD(cname, module, name)                                                  \
    static PyObject *cname(PyObject *self, PyObject *const *args, Py_ssize_t nargs,           \
                           PyObject *kwnames)                                                 \
    {                                                                                         \
        return lspy_py_call(module, name, self, args, nargs, kwnames);                        \
    }

/* ------------------------------------------------------------------ */
/* Objects                                                             */
/* ------------------------------------------------------------------ */

struct lspy_NodeObject;

typedef struct {
    PyObject_HEAD
    ls_context *ctx;
    PyObject *pending;              /* dict: node address -> node wrapper whose onended
                                       handler waits for its event (keeps it alive) */
    struct lspy_NodeObject *dest;     /* borrowed; the destination wrapper clears it */
    uint32_t channels;
    int offline;
    /* these three in a row: context.c visits and clears them together */
    PyObject *onstatechange;        /* callable or NULL */
    PyObject *oncomplete;           /* offline: callable or NULL */
    PyObject *suspend_callbacks;    /* offline: dict frame -> callable, or NULL */
    uint8_t render_started;         /* offline: start_rendering() was called */
    uint8_t in_suspend_callback;    /* offline: a suspension's callback is running */
    uint8_t open_end;               /* offline: created with length=None (a tail ends it) */
    double initial_statechange_time;
    uint8_t initial_statechange;    /* real-time: 1 while the "running" change of the
                                       constructor waits for an onstatechange handler,
                                       2 once it is held for one (see dispatch) */
    PyObject *weakreflist;
    PyObject *scripts;              /* script.c: the _ScriptOwner standing for the engine's
                                       references to this context's script kernels (so the
                                       GC sees them as the context's), or NULL */
} lspy_ContextObject;

#define LSPY_NODE_MAX_PARAMS 8     /* ADSRNode has 7 */

typedef struct lspy_NodeObject {
    PyObject_HEAD
    ls_node *node;
    PyObject *context;              /* the context's Python object (strong) */
    PyObject *onended;              /* callable or NULL */
    PyObject *params[LSPY_NODE_MAX_PARAMS]; /* AudioParam wrappers, made on first access */
    PyObject *buffer;               /* the AudioBuffer object given or set, or NULL */
    uint8_t started;
    uint8_t registered;             /* held in context->pending */
    uint8_t is_dest;                /* the context's destination: `node` is borrowed */
    PyObject *weakreflist;
} lspy_NodeObject;

typedef struct {
    PyObject_HEAD
    ls_param *param;                /* borrowed from node */
    ls_node *node;                  /* one engine reference, keeps param valid */
    PyObject *context;              /* the context's Python object (strong) */
    PyObject *weakreflist;
} lspy_ParamObject;

typedef struct {
    PyObject_HEAD
    ls_buffer *buf;
    Py_ssize_t shape[2];
    Py_ssize_t strides[2];
    PyObject *weakreflist;
} lspy_BufferObject;

typedef struct {
    PyObject_HEAD
    ls_periodic_wave *wave;
    PyObject *context;
    PyObject *weakreflist;
} lspy_WaveObject;


/* Type specs, one per translation unit. */
extern PyType_Spec lspy_BaseAudioContext_spec;
extern PyType_Spec lspy_AudioContext_spec;
extern PyType_Spec lspy_OfflineAudioContext_spec;
extern PyType_Spec lspy_AudioNode_spec;
extern PyType_Spec lspy_AudioScheduledSourceNode_spec;
extern PyType_Spec lspy_AudioDestinationNode_spec;
extern PyType_Spec lspy_AudioParam_spec;
extern PyType_Spec lspy_AudioBuffer_spec;
extern PyType_Spec lspy_PeriodicWave_spec;

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/*
 * The one place where an ls_result becomes a Python exception.
 * r must not be LS_OK. `fmt` (PyUnicode_FromFormat syntax) is the message;
 * NULL uses ls_result_string(r). Returns NULL so callers can `return lspy_raise(...)`.
 */
PyObject *lspy_raise(lspy_state *st, ls_result r, const char *fmt, ...);
/* Same with a prefix naming the call: "<what>: <engine's description>". */
PyObject *lspy_raise_call(lspy_state *st, ls_result r, const char *what);

/* ------------------------------------------------------------------ */
/* Argument parsing                                                    */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *fname;              /* for messages: "start" */
    const char *const *names;       /* NULL-terminated */
    int npos;                       /* how many may be given positionally */
    int nreq;                       /* the first nreq are required */
} lspy_argspec;

/* Fill out[i] (borrowed, NULL if absent) from vectorcall arguments. 0 or -1. */
int lspy_parse_fast(const lspy_argspec *spec, PyObject *const *args, Py_ssize_t nargs,
                  PyObject *kwnames, PyObject **out);
/* Same from a tuple and a dict (tp_new). */
int lspy_parse_tuple(const lspy_argspec *spec, PyObject *args, PyObject *kwargs, PyObject **out);

/*
 * Conversions. `fn` names the call ("start", or a type name for options);
 * `arg` the argument. With fn NULL, messages start "<arg>: " (property setters);
 * otherwise "<fn>(<arg>): ".
 */
int lspy_arg_double(PyObject *o, const char *fn, const char *arg, double *out);
int lspy_arg_finite(PyObject *o, const char *fn, const char *arg, double *out);
int lspy_arg_float(PyObject *o, const char *fn, const char *arg, float *out);
int lspy_arg_time(PyObject *o, const char *fn, const char *arg, double *out);
int lspy_arg_index(PyObject *o, const char *fn, const char *arg, Py_ssize_t *out);
int lspy_arg_enum(PyObject *o, const char *fn, const char *arg, const char *const *choices,
                int *out);
/* A sample rate the spec allows (3000 to 768000 Hz), else NotSupportedError. */
int lspy_arg_sample_rate(lspy_state *st, PyObject *o, const char *fn, double *out);
/* A channel count (1 to LS_MAX_CHANNELS) called arg, else NotSupportedError;
 * o NULL leaves *out as it is. */
int lspy_arg_channels(lspy_state *st, PyObject *o, const char *fn, const char *arg,
                      Py_ssize_t *out);
PyObject *lspy_prefix(const char *fn, const char *arg);

/*
 * A float sequence: a float32 buffer is used in place; anything else (float64
 * buffers, lists, tuples, generators of numbers) is converted into owned memory.
 * Values must be finite when `finite` is set.
 */
/* A caller's output array: writable, C-contiguous, one-dimensional, of
 * `format` ("f": float32, "B": uint8; `type_name` names it in messages) as
 * view (release it). 0, or -1 with TypeError naming fn(arg). */
int lspy_out_array(PyObject *o, const char *fn, const char *arg, const char *format,
                   const char *type_name, Py_buffer *view);

typedef struct {
    const float *data;
    Py_ssize_t count;
    float *owned;
    Py_buffer view;
    int has_view;
} lspy_floats;
int lspy_floats_get(PyObject *o, const char *fn, const char *arg, int finite, lspy_floats *out);
void lspy_floats_release(lspy_floats *f);

/* The Python spelling of a spec option name: "maxDelayTime" -> "max_delay_time",
 * "Q" -> "q" (a new reference; snake_case names come back unchanged). */
PyObject *lspy_snake_case(PyObject *key);
/* A copy of dict with every key spelled by lspy_snake_case (a new reference);
 * TypeError naming fn when a name comes twice (both spellings). */
PyObject *lspy_snake_keys(const char *fn, PyObject *dict);
/*
 * The spec's options dictionary of a node constructor (`ls.XNode(ctx,
 * {"frequency": 220})`): each key must be one of names[0..n); its value goes
 * to vals[i] (a new reference kept in owned[i]) unless a keyword already set
 * it; the spec's camelCase spelling of a name is accepted too. opts may be
 * NULL or None. 0, or -1 with TypeError naming type_name.
 */
int lspy_merge_options(const char *type_name, PyObject *opts, const char *const *names,
                       Py_ssize_t n, PyObject **vals, PyObject **owned);

/* ------------------------------------------------------------------ */
/* Cross-unit helpers                                                  */
/* ------------------------------------------------------------------ */

extern const char *const lspy_channel_count_mode_names[];
extern const char *const lspy_channel_interpretation_names[];
extern const char *const lspy_automation_rate_names[];
extern const char *const lspy_context_state_names[];

/* Wrap a node (steals the reference `n`). */
PyObject *lspy_node_wrap(lspy_state *st, PyTypeObject *type, PyObject *context, ls_node *n);
/* Wrap a buffer (steals the reference). */
PyObject *lspy_buffer_wrap(lspy_state *st, ls_buffer *b);
/* A param wrapper, holding its own reference to its node and to the context. */
PyObject *lspy_param_wrap(lspy_state *st, ls_param *p, PyObject *context);

PyObject *lspy_create_periodic_wave(lspy_state *st, PyTypeObject *type, PyObject *ctx,
                                    PyObject *real, PyObject *imag, int disable_normalization,
                                    const char *fn);
PyObject *lspy_create_buffer(lspy_state *st, const char *fn, PyObject *channels, PyObject *length,
                           PyObject *sample_rate);
/* `a >> b` and `a << b`, shared by nodes and params. */
PyObject *lspy_rshift(PyObject *a, PyObject *b);
PyObject *lspy_lshift(PyObject *a, PyObject *b);
int lspy_node_connect_to(lspy_state *st, lspy_NodeObject *src, PyObject *dst, PyObject *output,
                       PyObject *input, const char *fn);
PyObject *lspy_node_disconnect_impl(lspy_state *st, lspy_NodeObject *self, PyObject *const *args,
                                  Py_ssize_t nargs, PyObject *kwnames);

/* Context helpers used by nodes. */
int lspy_context_check(lspy_state *st, PyObject *o, const char *fn);
static inline ls_context *lspy_ctx_of(PyObject *o) { return ((lspy_ContextObject *)o)->ctx; }
/* Keep a node with an onended handler alive until its event (0 / -1). */
int lspy_context_register(lspy_ContextObject *ctx, lspy_NodeObject *node);
void lspy_context_unregister(lspy_ContextObject *ctx, lspy_NodeObject *node);
/* Poll and dispatch the context's events; -1 on a Python error. */
int lspy_context_dispatch(lspy_state *st, lspy_ContextObject *ctx);

/* nodes/listener.c: AudioListener, context.listener. */
int lspy_listener_init(PyObject *m, lspy_state *st);
PyObject *lspy_context_get_listener(PyObject *self, void *closure);
/* fft.c: rfft / irfft module functions. */
int lspy_fft_add_functions(PyObject *m);
void lspy_fft_free_plans(void);
/* Python processing nodes (script.c): add their types and functions. 0 / -1. */
int lspy_script_init(PyObject *m, lspy_state *st);
/* Files (files.c). */
int lspy_files_init(PyObject *m, lspy_state *st);
PyObject *lspy_ctx_decode_audio_data(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                     PyObject *kwnames);
PyObject *lspy_load_for_context(PyObject *ctx, PyObject *path);
/* ------------------------------------------------------------------ */
/* Audio devices (devices.c)                                           */
/* ------------------------------------------------------------------ */

extern PyType_Spec lspy_MediaStreamAudioSourceNode_spec;
/* labsound._core.devices() and _devices_available() */
PyObject *lspy_devices_list(PyObject *module, PyObject *ignored);
/* profile.c: the render profiler */
PyObject *lspy_set_profiling(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
PyObject *lspy_context_profile(PyObject *module, PyObject *arg);
PyObject *lspy_node_profile(PyObject *module, PyObject *arg);
/* record.c: the engine's records of a graph (labsound._graph) */
/* The engine node of an AudioNode argument `o` of fn; NULL with TypeError
 * (not a node) or InvalidStateError (released). */
ls_node *lspy_node_arg(lspy_state *st, PyObject *o, const char *fn);
extern PyMethodDef lspy_record_methods[];
PyObject *lspy_devices_available(PyObject *module, PyObject *ignored);
/* AudioContext(): open the device (or fall back to the null sink, warning
 * once). 0, or -1 with an exception set. */
int lspy_device_context_new(lspy_state *st, const ls_context_options *o, PyObject *device,
                            PyObject *latency_hint, ls_context **out);
/* base_latency (closure NULL) and output_latency (closure non-NULL) */
PyObject *lspy_rt_get_latency(PyObject *self, void *output);
PyObject *lspy_rt_get_backend(PyObject *self, void *c);
PyObject *lspy_ctx_create_microphone(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                     PyObject *kw);
PyObject *lspy_ctx_create_media_stream_source(PyObject *self, PyObject *const *args,
                                              Py_ssize_t nargs, PyObject *kw);
/* Add the backend's counters to a stats dict. 0 or -1. */
int lspy_devices_add_stats(ls_context *ctx, PyObject *dict);

/* The node classes and factories built from the engine's descriptors
 * (node_types.c), for every node type not bound by hand above. 0 / -1. */
int lspy_node_types_init(PyObject *m, lspy_state *st);
int lspy_node_types_traverse(lspy_state *st, visitproc visit, void *arg);
void lspy_node_types_clear(lspy_state *st);
void lspy_node_types_free(lspy_state *st);
/* A setting's value as Python (numbers, bools, enum names; TypeError for
 * the other kinds). */
PyObject *lspy_setting_to_py(const ls_setting_descriptor *s, const ls_value *v);
/* _core.node_descriptors(): every listed node type's descriptor as dicts. */
PyObject *lspy_node_descriptors(PyObject *module, PyObject *ignored);
/* nodes/stream_source.c: StreamSourceNode, context._create_stream_source */
int lspy_stream_source_init(PyObject *m, lspy_state *st);

#endif /* LABSOUND_PY_CORE_H */
