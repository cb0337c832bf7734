/*
 * AudioBufferSourceNode, and the helpers the buffer-related node bindings
 * share (buffer_nodes.h).
 */
#include "buffer_nodes.h"

#include <math.h>

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */
/* ------------------------------------------------------------------ */

PyObject *
lspy_bn_kwargs(const char *fn, PyObject *ctx, PyObject *const *args, Py_ssize_t nargs,
               PyObject *kwnames, PyObject *tuple, PyObject *dict, Py_ssize_t max_pos,
               PyObject **ctx_out)
{
    PyObject *kw = PyDict_New();
    if (kw == NULL) {
        return NULL;
    }
    if (ctx != NULL) {
        *ctx_out = ctx;
        if (nargs > max_pos) {
            PyErr_Format(PyExc_TypeError, "%s() takes at most %zd positional argument%s (%zd given)",
                         fn, max_pos, max_pos == 1 ? "" : "s", nargs);
            goto error;
        }
        if (kwnames != NULL) {
            for (Py_ssize_t i = 0; i < LSPY_TUPLE_SIZE(kwnames); i++) {
                if (PyDict_SetItem(kw, LSPY_TUPLE_ITEM(kwnames, i), args[nargs + i]) < 0) {
                    goto error;
                }
            }
        }
        return kw;
    }
    Py_ssize_t n = tuple ? LSPY_TUPLE_SIZE(tuple) : 0;
    PyObject *c = n > 0 ? LSPY_TUPLE_ITEM(tuple, 0) : NULL;
    PyObject *opts = n > 1 ? LSPY_TUPLE_ITEM(tuple, 1) : NULL;
    if (n > 2) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most 2 positional arguments (%zd given)", fn, n);
        goto error;
    }
    if (dict != NULL) {
        if (PyDict_Update(kw, dict) < 0) {
            goto error;
        }
        PyObject *v = PyDict_GetItemString(kw, "context");
        if (v != NULL) {
            if (c != NULL) {
                PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument 'context'", fn);
                goto error;
            }
            c = v;
        }
        v = PyDict_GetItemString(kw, "options");
        if (v != NULL) {
            if (opts != NULL) {
                PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument 'options'", fn);
                goto error;
            }
            opts = v;
        }
        Py_XINCREF(c);
        Py_XINCREF(opts);
        if (PyDict_DelItemString(kw, "context") < 0) PyErr_Clear();
        if (PyDict_DelItemString(kw, "options") < 0) PyErr_Clear();
    }
    else {
        Py_XINCREF(c);
        Py_XINCREF(opts);
    }
    if (c == NULL) {
        Py_XDECREF(opts);
        PyErr_Format(PyExc_TypeError, "%s() missing required argument 'context' (pos 1)", fn);
        goto error;
    }
    if (opts != NULL && opts != Py_None) {
        if (!PyDict_Check(opts)) {
            PyErr_Format(PyExc_TypeError, "%s(options): options must be a dict, got %.200s", fn,
                         LSPY_TP_NAME(opts));
            Py_DECREF(c);
            Py_DECREF(opts);
            goto error;
        }
        if (PyDict_Merge(kw, opts, 0) < 0) {   /* keywords win */
            Py_DECREF(c);
            Py_DECREF(opts);
            goto error;
        }
    }
    Py_XDECREF(opts);
    *ctx_out = c;
    Py_DECREF(c);   /* still referenced by the tuple or dict the caller holds */
    return kw;
error:
    Py_DECREF(kw);
    return NULL;
}

PyObject *
lspy_bn_take(PyObject *kw, const char *name)
{
    PyObject *v = PyDict_GetItemString(kw, name);
    if (v != NULL) {
        Py_INCREF(v);
        PyDict_DelItemString(kw, name);
        Py_DECREF(v);   /* the caller's call frame (args or dict) still holds it */
    }
    return v;
}

int
lspy_bn_no_more(PyObject *kw, const char *fn)
{
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    if (PyDict_Next(kw, &pos, &key, &value)) {
        PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument %R", fn, key);
        return -1;
    }
    return 0;
}

int
lspy_bn_node_options(lspy_state *st, PyObject *kw, const char *fn, ls_node_options *o)
{
    PyObject *v;
    int e;
    if ((v = lspy_bn_take(kw, "channel_count")) != NULL) {
        Py_ssize_t n;
        if (lspy_arg_index(v, fn, "channel_count", &n) < 0) {
            return -1;
        }
        if (n < 1 || n > LS_MAX_CHANNELS) {
            lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                       "%s(channel_count): channel_count must be between 1 and %d, got %R", fn,
                       LS_MAX_CHANNELS, v);
            return -1;
        }
        o->channel_count = (int32_t)n;
    }
    if ((v = lspy_bn_take(kw, "channel_count_mode")) != NULL) {
        if (lspy_arg_enum(v, fn, "channel_count_mode", lspy_channel_count_mode_names, &e) < 0) {
            return -1;
        }
        o->channel_count_mode = e;
    }
    if ((v = lspy_bn_take(kw, "channel_interpretation")) != NULL) {
        if (lspy_arg_enum(v, fn, "channel_interpretation", lspy_channel_interpretation_names, &e) < 0) {
            return -1;
        }
        o->channel_interpretation = e;
    }
    return 0;
}

PyObject *
lspy_bn_finish(lspy_state *st, PyTypeObject *type, PyObject *ctx, ls_result r, ls_node *n,
               const char *fn)
{
    if (r != LS_OK) {
        if (r == LS_ERROR_INVALID_STATE &&
            ls_context_get_state(lspy_ctx_of(ctx)) == LS_CONTEXT_STATE_CLOSED) {
            return lspy_raise(st, r, "%s(): the context is closed", fn);
        }
        return lspy_raise_call(st, r, fn);
    }
    return lspy_node_wrap(st, type, ctx, n);
}

int
lspy_bn_live(lspy_state *st, lspy_NodeObject *self)
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

PyObject *
lspy_bn_param(lspy_NodeObject *self, int slot, const char *name)
{
    PyObject *p = self->params[slot];
    if (p == NULL) {
        lspy_state *st = LSPY_STATE(self);
        if (lspy_bn_live(st, self) < 0) {
            return NULL;
        }
        ls_param *lp = ls_node_param_by_name(self->node, name);
        if (lp == NULL) {
            return lspy_raise(st, LS_ERROR_INVALID_STATE, "%s: the node has no such parameter", name);
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

int
lspy_bn_traverse(PyObject *o, visitproc visit, void *arg)
{
    lspy_NodeObject *self = (lspy_NodeObject *)o;
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->context);
    Py_VISIT(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_VISIT(self->params[i]);
    }
    return 0;
}

int
lspy_bn_clear(PyObject *o)
{
    lspy_NodeObject *self = (lspy_NodeObject *)o;
    Py_CLEAR(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_CLEAR(self->params[i]);
    }
    Py_CLEAR(self->context);
    return 0;
}

/* ------------------------------------------------------------------ */
/* AudioBufferSourceNode                                               */
/* ------------------------------------------------------------------ */

#define LIVE(self, ret)                                           \
    lspy_state *st = LSPY_STATE(self);                            \
    if (lspy_bn_live(st, (lspy_NodeObject *)(self)) < 0) {        \
        return ret;                                               \
    }

/* The buffer argument: an AudioBuffer, None, or a path to load at the context's rate.
 * New reference in *out (Py_None for none). */
static int
buffer_arg(lspy_state *st, PyObject *ctx, PyObject *v, const char *fn, PyObject **out)
{
    if (v == NULL || v == Py_None) {
        Py_INCREF(Py_None);
        *out = Py_None;
        return 0;
    }
    if (PyObject_TypeCheck(v, st->AudioBuffer_Type)) {
        Py_INCREF(v);
        *out = v;
        return 0;
    }
    if (PyUnicode_Check(v) || PyObject_HasAttrString(v, "__fspath__")) {
        PyObject *b = lspy_load_for_context(ctx, v);
        if (b == NULL) {
            return -1;
        }
        *out = b;
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "%s(buffer): buffer must be an AudioBuffer, a path or None, got %.200s",
                 fn, LSPY_TP_NAME(v));
    return -1;
}

static PyObject *
create_buffer_source(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *path,
                     PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple,
                     PyObject *dict)
{
    const char *fn = ctx ? "create_buffer_source" : "AudioBufferSourceNode";
    PyObject *kw = lspy_bn_kwargs(fn, ctx, args, nargs, kwnames, tuple, dict, 1, &ctx);
    PyObject *bufobj = NULL, *result = NULL;
    if (kw == NULL) {
        return NULL;
    }
    if (lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_buffer_source_options o = ls_buffer_source_options_default();
    if (lspy_bn_node_options(st, kw, fn, &o.node) < 0) {
        goto done;
    }
    PyObject *v = lspy_bn_take(kw, "buffer");
    if (path != NULL) {
        if (v != NULL) {
            PyErr_Format(PyExc_TypeError, "%s() got both a path and buffer", fn);
            goto done;
        }
        v = path;
    }
    if (buffer_arg(st, ctx, v, fn, &bufobj) < 0) {
        goto done;
    }
    if (bufobj != Py_None) {
        o.buffer = ((lspy_BufferObject *)bufobj)->buf;
    }
    if ((v = lspy_bn_take(kw, "loop")) != NULL) {
        int t = PyObject_IsTrue(v);
        if (t < 0) {
            goto done;
        }
        o.loop = t;
    }
    if ((v = lspy_bn_take(kw, "loop_start")) != NULL &&
        lspy_arg_finite(v, fn, "loop_start", &o.loop_start) < 0) {
        goto done;
    }
    if ((v = lspy_bn_take(kw, "loop_end")) != NULL &&
        lspy_arg_finite(v, fn, "loop_end", &o.loop_end) < 0) {
        goto done;
    }
    if ((v = lspy_bn_take(kw, "playback_rate")) != NULL &&
        lspy_arg_float(v, fn, "playback_rate", &o.playback_rate) < 0) {
        goto done;
    }
    if ((v = lspy_bn_take(kw, "detune")) != NULL && lspy_arg_float(v, fn, "detune", &o.detune) < 0) {
        goto done;
    }
    int interp = LS_INTERPOLATION_DEFAULT;
    if ((v = lspy_bn_take(kw, "interpolation")) != NULL &&
        lspy_bn_interpolation(v, fn, "interpolation", &interp) < 0) {
        goto done;
    }
    o.interpolation = (ls_interpolation)interp;
    if (lspy_bn_no_more(kw, fn) < 0) {
        goto done;
    }
    ls_node *n = NULL;
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_buffer_source_create(lspy_ctx_of(ctx), &o, &n);
    Py_END_ALLOW_THREADS
    result = lspy_bn_finish(st, type, ctx, r, n, fn);
done:
    Py_XDECREF(bufobj);
    Py_DECREF(kw);
    return result;
}

PyObject *
lspy_ctx_create_buffer_source(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL || lspy_context_check(st, self, "create_buffer_source") < 0) {
        return NULL;
    }
    PyObject *path = nargs > 0 ? args[0] : NULL;
    return create_buffer_source(st, st->AudioBufferSourceNode_Type, self, path, args, nargs, kwnames,
                                NULL, NULL);
}

static PyObject *
bsrc_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? create_buffer_source(st, type, NULL, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

static PyObject *
bsrc_get_buffer(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    ls_buffer *b = ls_buffer_source_buffer(self->node);   /* a new reference */
    if (b == NULL) {
        Py_RETURN_NONE;
    }
    return lspy_buffer_wrap(st, b);
}

static int
bsrc_set_buffer(lspy_NodeObject *self, PyObject *value, void *c)
{
    LIVE(self, -1);
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'buffer'");
        return -1;
    }
    PyObject *b;
    if (buffer_arg(st, self->context, value, "buffer", &b) < 0) {
        return -1;
    }
    ls_result r;
    ls_buffer *lb = b == Py_None ? NULL : ((lspy_BufferObject *)b)->buf;
    Py_BEGIN_ALLOW_THREADS
    r = ls_buffer_source_set_buffer(self->node, lb);
    Py_END_ALLOW_THREADS
    Py_DECREF(b);
    if (r != LS_OK) {
        if (r == LS_ERROR_INVALID_STATE) {
            lspy_raise(st, r, "buffer: a buffer has already been set on this node");
        }
        else {
            lspy_raise_call(st, r, "buffer");
        }
        return -1;
    }
    return 0;
}

static PyObject *
bsrc_get_loop(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    return PyBool_FromLong(ls_buffer_source_loop(self->node));
}

static int
bsrc_set_loop(lspy_NodeObject *self, PyObject *value, void *c)
{
    LIVE(self, -1);
    int t = value ? PyObject_IsTrue(value) : -1;
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'loop'");
    }
    if (t < 0) {
        return -1;
    }
    ls_result r = ls_buffer_source_set_loop(self->node, t);
    return r == LS_OK ? 0 : (lspy_raise_call(st, r, "loop"), -1);
}

static PyObject *
bsrc_get_loop_point(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    return PyFloat_FromDouble(c ? ls_buffer_source_loop_end(self->node)
                                : ls_buffer_source_loop_start(self->node));
}

static int
bsrc_set_loop_point(lspy_NodeObject *self, PyObject *value, void *c)
{
    LIVE(self, -1);
    const char *name = c ? "loop_end" : "loop_start";
    double v;
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s'", name);
        return -1;
    }
    if (lspy_arg_finite(value, NULL, name, &v) < 0) {
        return -1;
    }
    ls_result r = c ? ls_buffer_source_set_loop_end(self->node, v)
                    : ls_buffer_source_set_loop_start(self->node, v);
    return r == LS_OK ? 0 : (lspy_raise_call(st, r, name), -1);
}

/* ------------------------------------------------------------------ */
/* interpolation (shared with the sampler, granulation and contexts)   */
/* ------------------------------------------------------------------ */

/* in ls_interpolation order from LS_INTERPOLATION_LINEAR */
static const char *const interpolation_names[] = {"linear", "cubic", "sinc", NULL};

int
lspy_bn_interpolation(PyObject *o, const char *fn, const char *arg, int *out)
{
    if (o == Py_None) {
        *out = LS_INTERPOLATION_DEFAULT;
        return 0;
    }
    int e;
    if (lspy_arg_enum(o, fn, arg, interpolation_names, &e) < 0) {
        return -1;
    }
    *out = LS_INTERPOLATION_LINEAR + e;
    return 0;
}

PyObject *
lspy_bn_interpolation_name(int mode)
{
    if (mode < LS_INTERPOLATION_LINEAR || mode > LS_INTERPOLATION_SINC) {
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(interpolation_names[mode - LS_INTERPOLATION_LINEAR]);
}

int
lspy_bn_interpolation_result(lspy_state *st, ls_result r, const char *arg)
{
    if (r == LS_OK) {
        return 0;
    }
    lspy_raise_call(st, r, arg);
    return -1;
}

static PyObject *
bsrc_get_interpolation(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    return lspy_bn_interpolation_name(ls_buffer_source_interpolation(self->node));
}

static int
bsrc_set_interpolation(lspy_NodeObject *self, PyObject *value, void *c)
{
    LIVE(self, -1);
    int m;
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'interpolation'");
        return -1;
    }
    if (lspy_bn_interpolation(value, NULL, "interpolation", &m) < 0) {
        return -1;
    }
    return lspy_bn_interpolation_result(
        st, ls_buffer_source_set_interpolation(self->node, (ls_interpolation)m), "interpolation");
}

static PyObject *
bsrc_get_playback_rate(lspy_NodeObject *self, void *c)
{
    return lspy_bn_param(self, 0, "playbackRate");
}

static PyObject *
bsrc_get_detune(lspy_NodeObject *self, void *c)
{
    return lspy_bn_param(self, 1, "detune");
}

static const char *const start_names[] = {"when", "offset", "duration", NULL};
static const lspy_argspec start_spec = {"start", start_names, 3, 0};

static PyObject *
bsrc_start(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    LIVE(self, NULL);
    PyObject *v[3];
    double when = 0, offset = 0, duration = -1;
    if (lspy_parse_fast(&start_spec, args, nargs, kwnames, v) < 0 ||
        (v[0] != NULL && lspy_arg_time(v[0], "start", "when", &when) < 0) ||
        (v[1] != NULL && lspy_arg_time(v[1], "start", "offset", &offset) < 0) ||
        (v[2] != NULL && v[2] != Py_None && lspy_arg_time(v[2], "start", "duration", &duration) < 0)) {
        return NULL;
    }
    ls_result r = ls_buffer_source_start(self->node, when, offset, duration);
    if (r != LS_OK) {
        if (r == LS_ERROR_INVALID_STATE) {
            return lspy_raise(st, r, "start(): the node has already been started");
        }
        return lspy_raise_call(st, r, "start()");
    }
    self->started = 1;
    if (self->onended != NULL && !self->registered &&
        lspy_context_register((lspy_ContextObject *)self->context, self) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyGetSetDef bsrc_getset[] = {
    {"buffer", (getter)bsrc_get_buffer, (setter)bsrc_set_buffer,
     "The AudioBuffer to play (or None). Can be set to a buffer once; a path loads the file.", NULL},
    {"loop", (getter)bsrc_get_loop, (setter)bsrc_set_loop, "Whether to loop between loop_start and loop_end.", NULL},
    {"loop_start", (getter)bsrc_get_loop_point, (setter)bsrc_set_loop_point,
     "Loop start in seconds of buffer time.", NULL},
    {"loop_end", (getter)bsrc_get_loop_point, (setter)bsrc_set_loop_point,
     "Loop end in seconds of buffer time (0: the end of the buffer).", (void *)1},
    {"playback_rate", (getter)bsrc_get_playback_rate, NULL, "Speed factor (k-rate AudioParam).", NULL},
    {"detune", (getter)bsrc_get_detune, NULL, "Detune in cents (k-rate AudioParam).", NULL},
    {"interpolation", (getter)bsrc_get_interpolation, (setter)bsrc_set_interpolation,
     "How the buffer is read between its frames: 'linear' (as Chromium), 'cubic' or 'sinc'\n"
     "(band-limited); the context's choice unless given. Takes effect at the next render\n"
     "quantum. ValueError for another string.", NULL},
    {NULL}
};

static PyMethodDef bsrc_methods[] = {
    {"start", (PyCFunction)(void (*)(void))bsrc_start, METH_FASTCALL | METH_KEYWORDS,
     "start($self, /, when=0, offset=0, duration=None)\n--\n\n"
     "Start at context time `when`, `offset` seconds into the buffer, for `duration`\n"
     "seconds of buffer time (None: to the end, or forever when looping)."},
    {NULL}
};

static PyType_Slot bsrc_slots[] = {
    {Py_tp_traverse, lspy_bn_traverse},
    {Py_tp_clear, lspy_bn_clear},
    {Py_tp_doc, "AudioBufferSourceNode(context, options=None, *, buffer=None, loop=False, loop_start=0.0,\n"
                "loop_end=0.0, playback_rate=1.0, detune=0.0, interpolation=None, channel_count=2,\n"
                "channel_count_mode='max', channel_interpretation='speakers')\n--\n\n"
                "Plays an AudioBuffer; a scheduled source (start, stop, onended). A buffer at\n"
                "another sample rate plays at its own pitch, read between its frames with\n"
                "`interpolation` ('linear', 'cubic' or 'sinc'; None: the context's). Also made by\n"
                "context.create_buffer_source(**options).\n"
                "\n"
                "start(when=0, offset=0, duration=None): when in seconds of context time, offset\n"
                "and duration in seconds of the buffer. loop, loop_start and loop_end (seconds of\n"
                "the buffer; loop_end 0 means the buffer's end) loop a section. playback_rate\n"
                "(a ratio) and detune (cents) are k-rate AudioParams.\n"
                "\n"
                "    src = ctx.create_buffer_source(buffer=buf, loop=True, loop_start=0.1, loop_end=0.5)\n"
                "    src >> ctx.destination\n"
                "    src.start(0.0); src.stop(2.0)\n"
                "\n"
                "Errors: InvalidStateError when buffer is set a second time or start()/stop() is\n"
                "called twice; ValueError for negative or non-finite times; TypeError when buffer\n"
                "is not an AudioBuffer."},
    {Py_tp_new, bsrc_new},
    {Py_tp_getset, bsrc_getset},
    {Py_tp_methods, bsrc_methods},
    {0, NULL}
};

PyType_Spec lspy_AudioBufferSourceNode_spec = {
    "labsound.AudioBufferSourceNode", sizeof(lspy_NodeObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, bsrc_slots
};
