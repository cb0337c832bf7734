/*
 * The extended node set, granulation block (include/labsound/extended.h):
 * GranulationNode.
 *
 * GranulationNode(context, options=None, **keywords) and
 * context.create_granulation(**keywords): buffer (required), the five params'
 * initial values, window (a string), seed and max_voices.
 */
#include "core.h"
#include "buffer_nodes.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))
#define NODE_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC)

static PyTypeObject *Gran_Type;

/* in ls_grain_window order */
static const char *const window_names[] = {"hann",     "triangle",  "gaussian", "tukey",
                                           "blackman", "rectangle", "hamming",  NULL};

/* The options being parsed: the buffer is kept as its Python object. */
typedef struct {
    ls_granulation_options o;
    PyObject *buffer;               /* borrowed */
} gran_args;

static int
float_at_least(PyObject *v, const char *fn, const char *name, float lo, int strict, float *out)
{
    if (lspy_arg_float(v, fn, name, out) < 0) {
        return -1;
    }
    if (strict ? !(*out > lo) : !(*out >= lo)) {
        PyErr_Format(PyExc_ValueError, "%s(%s): %s must be %s 0, got %R", fn, name, name,
                     strict ? ">" : ">=", v);
        return -1;
    }
    return 0;
}

static int
apply_kw(lspy_state *st, const char *fn, PyObject *key, PyObject *v, gran_args *a)
{
    if (!PyUnicode_Check(key)) {
        PyErr_Format(PyExc_TypeError, "%s(): keywords must be strings", fn);
        return -1;
    }
    const char *k = PyUnicode_AsUTF8AndSize(key, NULL);
    if (k == NULL) {
        return -1;
    }
    ls_granulation_options *o = &a->o;
    if (strcmp(k, "buffer") == 0) {
        if (v == Py_None) {
            a->buffer = NULL;
            return 0;
        }
        if (!PyObject_TypeCheck(v, st->AudioBuffer_Type) ||
            ((lspy_BufferObject *)v)->buf == NULL) {
            PyErr_Format(PyExc_TypeError, "%s(buffer): expected an AudioBuffer, got %.200s", fn,
                         LSPY_TP_NAME(v));
            return -1;
        }
        a->buffer = v;
        return 0;
    }
    if (strcmp(k, "grain_duration") == 0) {
        return float_at_least(v, fn, k, 0.0f, 1, &o->grain_duration);
    }
    if (strcmp(k, "grain_rate") == 0) {
        return float_at_least(v, fn, k, 0.0f, 0, &o->grain_rate);
    }
    if (strcmp(k, "position_start") == 0) {
        return float_at_least(v, fn, k, 0.0f, 0, &o->position_start);
    }
    if (strcmp(k, "position_end") == 0) {
        if (v == Py_None) {
            o->position_end = -1.0f;
            return 0;
        }
        return float_at_least(v, fn, k, 0.0f, 0, &o->position_end);
    }
    if (strcmp(k, "playback_rate") == 0) {
        return float_at_least(v, fn, k, 0.0f, 0, &o->playback_rate);
    }
    if (strcmp(k, "window") == 0) {
        int e;
        if (lspy_arg_enum(v, fn, k, window_names, &e) < 0) {
            return -1;
        }
        o->window = (ls_grain_window)e;
        return 0;
    }
    if (strcmp(k, "interpolation") == 0) {
        int m;
        if (lspy_bn_interpolation(v, fn, k, &m) < 0) {
            return -1;
        }
        o->interpolation = (ls_interpolation)m;
        return 0;
    }
    if (strcmp(k, "seed") == 0) {
        if (PyBool_Check(v) || !PyLong_Check(v)) {
            PyErr_Format(PyExc_TypeError, "%s(seed): expected an int, got %.200s", fn,
                         LSPY_TP_NAME(v));
            return -1;
        }
        unsigned long long u = PyLong_AsUnsignedLongLong(v);
        if (u == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            PyErr_Format(PyExc_ValueError, "%s(seed): must be an int in 0 .. 2**64 - 1, got %R",
                         fn, v);
            return -1;
        }
        o->seed = (uint64_t)u;
        return 0;
    }
    if (strcmp(k, "max_voices") == 0) {
        Py_ssize_t n;
        if (PyBool_Check(v)) {
            PyErr_Format(PyExc_TypeError, "%s(max_voices): expected an int, got bool", fn);
            return -1;
        }
        if (lspy_arg_index(v, fn, k, &n) < 0) {
            return -1;
        }
        if (n < 1 || n > (Py_ssize_t)LS_GRANULATION_MAX_VOICES) {
            PyErr_Format(PyExc_ValueError, "%s(max_voices): max_voices must be between 1 and %u, got %R",
                         fn, LS_GRANULATION_MAX_VOICES, v);
            return -1;
        }
        o->max_voices = (uint32_t)n;
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%s'", fn, k);
    return -1;
}

static PyObject *
gran_build(lspy_state *st, PyObject *ctx, gran_args *a, const char *fn)
{
    if (a->buffer == NULL) {
        PyErr_Format(PyExc_TypeError, "%s(buffer): an AudioBuffer is required", fn);
        return NULL;
    }
    a->o.buffer = ((lspy_BufferObject *)a->buffer)->buf;
    if (ls_buffer_length(a->o.buffer) == 0) {
        PyErr_Format(PyExc_ValueError, "%s(buffer): the buffer is empty (0 frames)", fn);
        return NULL;
    }
    ls_node *n = NULL;
    ls_result r = ls_granulation_create(lspy_ctx_of(ctx), &a->o, &n);
    if (r != LS_OK) {
        if (r == LS_ERROR_INVALID_STATE &&
            ls_context_get_state(lspy_ctx_of(ctx)) == LS_CONTEXT_STATE_CLOSED) {
            return lspy_raise(st, r, "%s(): the context is closed", fn);
        }
        return lspy_raise_call(st, r, fn);
    }
    return lspy_node_wrap(st, Gran_Type, ctx, n);
}

static int
apply_dict(lspy_state *st, const char *fn, PyObject *d, gran_args *a)
{
    PyObject *key, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(d, &pos, &key, &v)) {
        if (apply_kw(st, fn, key, v, a) < 0) {
            return -1;
        }
    }
    return 0;
}

static PyObject *
gran_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static const char *fn = "GranulationNode";
    lspy_state *st = lspy_state_from_type(type);
    if (st == NULL) {
        return NULL;
    }
    Py_ssize_t na = LSPY_TUPLE_SIZE(args);
    if (na < 1 || na > 2) {
        PyErr_Format(PyExc_TypeError, "%s() takes a context and an optional options dict", fn);
        return NULL;
    }
    PyObject *ctx = LSPY_TUPLE_ITEM(args, 0);
    if (lspy_context_check(st, ctx, fn) < 0) {
        return NULL;
    }
    gran_args a = {ls_granulation_options_default(), NULL};
    if (na == 2 && LSPY_TUPLE_ITEM(args, 1) != Py_None) {
        PyObject *opt = LSPY_TUPLE_ITEM(args, 1);
        if (!PyDict_Check(opt)) {
            PyErr_Format(PyExc_TypeError, "%s(options): expected a dict, got %.200s", fn,
                         LSPY_TP_NAME(opt));
            return NULL;
        }
        if (apply_dict(st, fn, opt, &a) < 0) {
            return NULL;
        }
    }
    if (kwargs != NULL && apply_dict(st, fn, kwargs, &a) < 0) {
        return NULL;
    }
    return gran_build(st, ctx, &a, fn);
}

static PyObject *
ctx_create_granulation(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                       PyObject *kwnames)
{
    static const char *fn = "create_granulation";
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        return NULL;
    }
    if (nargs != 0) {
        PyErr_Format(PyExc_TypeError, "%s() takes keyword arguments only", fn);
        return NULL;
    }
    if (lspy_context_check(st, self, fn) < 0) {
        return NULL;
    }
    gran_args a = {ls_granulation_options_default(), NULL};
    Py_ssize_t nk = kwnames ? LSPY_TUPLE_SIZE(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nk; i++) {
        if (apply_kw(st, fn, LSPY_TUPLE_ITEM(kwnames, i), args[i], &a) < 0) {
            return NULL;
        }
    }
    return gran_build(st, self, &a, fn);
}

static int
check_live(lspy_state *st, lspy_NodeObject *self)
{
    if (st == NULL) {
        return -1;
    }
    if (self->node == NULL || self->context == NULL) {
        lspy_raise(st, LS_ERROR_INVALID_STATE, "the node has been released");
        return -1;
    }
    return 0;
}

static const char *const param_names[] = {"grain_duration", "grain_rate", "position_start",
                                          "position_end", "playback_rate"};

static PyObject *
get_param(lspy_NodeObject *self, void *closure)
{
    int slot = (int)(intptr_t)closure;
    PyObject *p = self->params[slot];
    if (p == NULL) {
        lspy_state *st = LSPY_STATE(self);
        if (check_live(st, self) < 0) {
            return NULL;
        }
        ls_param *lp = ls_node_param_by_name(self->node, param_names[slot]);
        if (lp == NULL) {
            return lspy_raise(st, LS_ERROR_INVALID_STATE, "%s: the node has no such parameter",
                              param_names[slot]);
        }
        p = lspy_param_wrap(st, lp, self->context);
        if (p == NULL) {
            return NULL;
        }
        self->params[slot] = p;
    }
    Py_INCREF(p);
    return p;
}

static PyObject *
get_window(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyUnicode_FromString(window_names[(int)ls_granulation_get_window(self->node)]);
}

static int
set_window(lspy_NodeObject *self, PyObject *value, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (check_live(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'window'");
        return -1;
    }
    int e;
    if (lspy_arg_enum(value, NULL, "window", window_names, &e) < 0) {
        return -1;
    }
    ls_result r = ls_granulation_set_window(self->node, (ls_grain_window)e);
    if (r != LS_OK) {
        lspy_raise_call(st, r, "window");
        return -1;
    }
    return 0;
}

static PyObject *
get_seed(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(ls_granulation_get_seed(self->node));
}

static PyObject *
get_max_voices(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(ls_granulation_max_voices(self->node));
}

static PyObject *
get_started(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(ls_granulation_grains_started(self->node));
}

static PyObject *
get_dropped(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(ls_granulation_grains_dropped(self->node));
}

static PyObject *
get_buffer(lspy_NodeObject *self, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (check_live(st, self) < 0) {
        return NULL;
    }
    ls_buffer *b = ls_granulation_buffer(self->node);
    ls_buffer_retain(b);
    return lspy_buffer_wrap(st, b);
}

static PyObject *
get_interpolation(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return lspy_bn_interpolation_name(ls_granulation_interpolation(self->node));
}

static int
set_interpolation(lspy_NodeObject *self, PyObject *value, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    int m;
    if (check_live(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'interpolation'");
        return -1;
    }
    if (lspy_bn_interpolation(value, NULL, "interpolation", &m) < 0) {
        return -1;
    }
    return lspy_bn_interpolation_result(
        st, ls_granulation_set_interpolation(self->node, (ls_interpolation)m), "interpolation");
}

static PyGetSetDef gran_getset[] = {
    {"grain_duration", (getter)get_param, NULL,
     "Seconds each grain lasts (AudioParam, k-rate by default; read at each grain's onset).",
     (void *)(intptr_t)0},
    {"grain_rate", (getter)get_param, NULL,
     "Grains per second (AudioParam): the gap to the next grain is sample_rate / grain_rate "
     "frames at each onset; 0 starts no grains.",
     (void *)(intptr_t)1},
    {"position_start", (getter)get_param, NULL,
     "Seconds into the buffer where the grains' region begins (AudioParam).",
     (void *)(intptr_t)2},
    {"position_end", (getter)get_param, NULL,
     "Seconds into the buffer where the grains' region ends (AudioParam; default the "
     "buffer's duration): a grain reads its grain_duration * playback_rate seconds inside it.",
     (void *)(intptr_t)3},
    {"playback_rate", (getter)get_param, NULL,
     "Buffer seconds read per second of grain (AudioParam): the grains' pitch ratio.",
     (void *)(intptr_t)4},
    {"window", (getter)get_window, (setter)set_window,
     "The grain window: 'hann', 'triangle', 'gaussian', 'tukey', 'blackman', 'rectangle' or "
     "'hamming'; a change applies to grains that start afterwards.",
     NULL},
    {"interpolation", (getter)get_interpolation, (setter)set_interpolation,
     "How grains read the buffer between its frames: 'linear', 'cubic' or 'sinc' "
     "(band-limited; zeros outside the buffer); the context's choice unless given. A change "
     "applies to grains that start afterwards.",
     NULL},
    {"seed", (getter)get_seed, NULL,
     "The seed of the grain positions' generator (read-only): the same seed, the same render.",
     NULL},
    {"max_voices", (getter)get_max_voices, NULL,
     "How many grains may sound at once (read-only); a grain due while all sound is dropped.",
     NULL},
    {"grains_started", (getter)get_started, NULL, "Grains started so far (read-only).", NULL},
    {"grains_dropped", (getter)get_dropped, NULL,
     "Grains dropped so far because every voice was sounding (read-only).", NULL},
    {"buffer", (getter)get_buffer, NULL,
     "The AudioBuffer the grains are taken from (read-only, set at creation).", NULL},
    {NULL}};

static int
gr_traverse(lspy_NodeObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->context);
    Py_VISIT(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_VISIT(self->params[i]);
    }
    return 0;
}

static int
gr_clear(lspy_NodeObject *self)
{
    Py_CLEAR(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_CLEAR(self->params[i]);
    }
    Py_CLEAR(self->context);
    return 0;
}

static PyType_Slot gran_slots[] = {
    {Py_tp_traverse, gr_traverse},
    {Py_tp_clear, gr_clear},
    {Py_tp_doc,
     "GranulationNode(context, options=None, *, buffer, grain_duration=0.1, grain_rate=20.0, "
     "position_start=0.0, position_end=None, playback_rate=1.0, window='hann', seed=0, "
     "max_voices=8, interpolation=None)\n--\n\n"
     "Granular synthesis from an AudioBuffer; a scheduled source with one output of the\n"
     "buffer's channel count. Also made by context.create_granulation(**options).\n\n"
     "From start() on a grain begins every sample_rate / grain_rate frames (the first at\n"
     "the first played frame). Each lasts round(grain_duration * sample_rate) frames and\n"
     "reads the buffer at playback_rate from a position drawn uniformly (a generator\n"
     "seeded by seed) between position_start and position_end - grain_duration *\n"
     "playback_rate seconds (read between frames with `interpolation`: 'linear',\n"
     "'cubic' or 'sinc'; None: the context's), times the window. Grains overlap on up to max_voices\n"
     "preallocated voices; one due while all sound is dropped (grains_dropped).\n"
     "grain_duration, grain_rate, position_start, position_end and playback_rate are\n"
     "AudioParams (k-rate by default) read at each grain's onset.\n\n"
     "    g = ctx.create_granulation(buffer=buf, grain_duration=0.05, grain_rate=40)\n"
     "    g >> ctx.destination; g.start(0)\n\n"
     "Errors: TypeError for a missing buffer or an option of the wrong type; ValueError\n"
     "for an empty buffer, a value that is NaN, infinite or negative (grain_duration\n"
     "must be > 0), an unknown window or max_voices outside 1 .. 256."},
    {Py_tp_new, gran_new},
    {Py_tp_getset, gran_getset},
    {0, NULL}};
static PyType_Spec gran_spec = {"labsound.GranulationNode", sizeof(lspy_NodeObject), 0,
                                NODE_FLAGS, gran_slots};

static PyMethodDef ctx_methods[] = {
    {"create_granulation", CAST(ctx_create_granulation), FAST,
     "create_granulation($self, /, **options)\n--\n\nA new GranulationNode (options as its "
     "constructor: buffer is required)."},
    {NULL}};

int
lspy_extended_gran_init(PyObject *m, lspy_state *st)
{
    PyObject *bases = PyTuple_Pack(1, (PyObject *)st->AudioScheduledSourceNode_Type);
    if (bases == NULL) {
        return -1;
    }
    PyObject *t = PyType_FromModuleAndSpec(m, &gran_spec, bases);
    Py_DECREF(bases);
    if (t == NULL) {
        return -1;
    }
    Gran_Type = (PyTypeObject *)t;
    if (PyModule_AddObject(m, "GranulationNode", t) < 0) {
        Py_DECREF(t);
        return -1;
    }
    PyTypeObject *ctx = st->BaseAudioContext_Type;
    for (PyMethodDef *d = ctx_methods; d->ml_name != NULL; d++) {
        PyObject *descr = PyDescr_NewMethod(ctx, d);
        if (descr == NULL) {
            return -1;
        }
        int rc = PyObject_SetAttrString((PyObject *)ctx, d->ml_name, descr);
        Py_DECREF(descr);
        if (rc < 0) {
            return -1;
        }
    }
    return 0;
}
