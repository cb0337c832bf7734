/*
 * AudioNode and the bases of the node classes: AudioScheduledSourceNode
 * (start, stop, onended) and AudioDestinationNode. The node types themselves
 * are built from the engine's descriptors (node_types.c).
 *
 * Every node type shares one object layout (lspy_NodeObject). A wrapper holds
 * one engine reference to its node and a strong reference to its context's
 * Python object. AudioParam wrappers are made on first access and cached so
 * `osc.frequency is osc.frequency`; they hold their own engine reference to
 * the node instead of a Python reference, so nodes and params form no cycles.
 */
#include "core.h"
#include "nodes/nodes.h"

#define NODE(o) ((lspy_NodeObject *)(o))

static int
node_check_live(lspy_state *st, lspy_NodeObject *self)
{
    if (self->node == NULL || self->context == NULL) {
        lspy_raise(st, LS_ERROR_INVALID_STATE, "the node has been released");
        return -1;
    }
    return 0;
}

#define CHECK_LIVE(st, self, ret)               \
    do {                                        \
        if ((st) == NULL) return ret;           \
        if (node_check_live((st), (self)) < 0)  \
            return ret;                         \
    } while (0)

PyObject *
lspy_node_wrap(lspy_state *st, PyTypeObject *type, PyObject *context, ls_node *n)
{
    lspy_NodeObject *self = (lspy_NodeObject *)LSPY_ALLOC(type);
    if (self == NULL) {
        ls_node_release(n);
        return NULL;
    }
    self->node = n;
    Py_INCREF(context);
    self->context = context;
    ls_node_set_user_data(n, self);     /* the newest wrapper, for record.c; node_dealloc clears */
    return (PyObject *)self;
}

/* ------------------------------------------------------------------ */
/* GC                                                                  */
/* ------------------------------------------------------------------ */

static int
node_traverse(lspy_NodeObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->context);
    Py_VISIT(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_VISIT(self->params[i]);
    }
    Py_VISIT(self->buffer);
    return 0;
}

static int
node_clear(lspy_NodeObject *self)
{
    Py_CLEAR(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_CLEAR(self->params[i]);
    }
    Py_CLEAR(self->buffer);
    if (self->context != NULL) {
        lspy_ContextObject *ctx = (lspy_ContextObject *)self->context;
        if (ctx->dest == self) {
            ctx->dest = NULL;
        }
        if (self->is_dest) {
            /* the context owns the destination: without it the pointer may dangle */
            self->node = NULL;
        }
        Py_CLEAR(self->context);
    }
    return 0;
}

static void
node_dealloc(lspy_NodeObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL) {
        PyObject_ClearWeakRefs((PyObject *)self);
    }
    if (self->node != NULL) {
        ls_node *n = self->node;
        self->node = NULL;
        if (ls_node_user_data(n) == self) {
            ls_node_set_user_data(n, NULL);
        }
        if (!self->is_dest) {
            ls_node_release(n);     /* it keeps sounding while it can */
        }
    }
    node_clear(self);
    LSPY_FREE(tp, (PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *
node_new_abstract(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyErr_Format(PyExc_TypeError,
                 "%s cannot be instantiated directly; use a concrete node class or a "
                 "context's create_* method", lspy_type_name(type));
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Attributes                                                          */
/* ------------------------------------------------------------------ */

/* channel_count, channel_count_mode and channel_interpretation (closure 0, 1,
 * 2; these have setters), number_of_inputs, number_of_outputs, is_playing
 * (sources) and max_channel_count (the destination) */
static const char *const channel_attrs[] = {"channel_count", "channel_count_mode",
                                            "channel_interpretation"};

static PyObject *
node_get_channel(lspy_NodeObject *self, void *closure)
{
    CHECK_LIVE(LSPY_STATE(self), self, NULL);
    switch ((int)(intptr_t)closure) {
    case 0:
        return PyLong_FromUnsignedLong(ls_node_channel_count(self->node));
    case 1: {
        unsigned m = (unsigned)ls_node_channel_count_mode(self->node);
        return PyUnicode_FromString(lspy_channel_count_mode_names[m <= 2 ? m : 0]);
    }
    case 2: {
        unsigned m = (unsigned)ls_node_channel_interpretation(self->node);
        return PyUnicode_FromString(lspy_channel_interpretation_names[m <= 1 ? m : 0]);
    }
    case 3:
        return PyLong_FromUnsignedLong(ls_node_number_of_inputs(self->node));
    case 4:
        return PyLong_FromUnsignedLong(ls_node_number_of_outputs(self->node));
    case 5:
        return PyBool_FromLong(ls_source_is_playing(self->node));
    default:
        return PyLong_FromUnsignedLong(((lspy_ContextObject *)self->context)->channels);
    }
}

static int
node_set_channel(lspy_NodeObject *self, PyObject *value, void *closure)
{
    int which = (int)(intptr_t)closure;
    const char *name = channel_attrs[which];
    lspy_state *st = LSPY_STATE(self);
    CHECK_LIVE(st, self, -1);
    Py_ssize_t n;
    int e;
    ls_result r;
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s'", name);
        return -1;
    }
    if (which == 0) {
        if (lspy_arg_index(value, NULL, name, &n) < 0) {
            return -1;
        }
        if (n < 1 || n > LS_MAX_CHANNELS) {
            lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                       "channel_count: channel_count must be between 1 and %d, got %R",
                       LS_MAX_CHANNELS, value);
            return -1;
        }
        r = ls_node_set_channel_count(self->node, (uint32_t)n);
    }
    else {
        if (lspy_arg_enum(value, NULL, name, which == 1 ? lspy_channel_count_mode_names
                                                        : lspy_channel_interpretation_names,
                          &e) < 0) {
            return -1;
        }
        r = which == 1 ? ls_node_set_channel_count_mode(self->node, (ls_channel_count_mode)e)
                       : ls_node_set_channel_interpretation(self->node,
                                                            (ls_channel_interpretation)e);
    }
    if (r != LS_OK) {
        lspy_raise(st, r, "%s: cannot set %R on this node (%s)", name, value,
                   ls_result_string(r));
        return -1;
    }
    return 0;
}

static PyObject *
node_get_name(lspy_NodeObject *self, void *closure)
{
    CHECK_LIVE(LSPY_STATE(self), self, NULL);
    char buf[LS_NODE_NAME_MAX + 1];
    size_t n = ls_node_get_name(self->node, buf, sizeof buf);
    if (n == 0)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(buf, (Py_ssize_t)(n < sizeof buf ? n : sizeof buf - 1), "replace");
}

static int
node_set_name(lspy_NodeObject *self, PyObject *value, void *closure)
{
    lspy_state *st = LSPY_STATE(self);
    CHECK_LIVE(st, self, -1);
    const char *name = NULL;
    Py_ssize_t n = 0;
    if (value != NULL && value != Py_None) {
        if (!PyUnicode_Check(value)) {
            PyErr_Format(PyExc_TypeError, "name must be a str or None, got %R", value);
            return -1;
        }
        name = PyUnicode_AsUTF8AndSize(value, &n);
        if (name == NULL)
            return -1;
        if ((size_t)n != strlen(name)) {
            PyErr_Format(PyExc_ValueError, "name must not contain NUL characters, got %R", value);
            return -1;
        }
        if (n > LS_NODE_NAME_MAX) {
            PyErr_Format(PyExc_ValueError, "name must be at most %d bytes in UTF-8, got %zd",
                         LS_NODE_NAME_MAX, n);
            return -1;
        }
    }
    ls_result r = ls_node_set_name(self->node, name);
    if (r != LS_OK) {
        lspy_raise(st, r, "name: cannot set %R (%s)", value, ls_result_string(r));
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* connect / disconnect                                                */
/* ------------------------------------------------------------------ */

static int
is_node(lspy_state *st, PyObject *o)
{
    return PyObject_TypeCheck(o, st->AudioNode_Type);
}

static int
is_param(lspy_state *st, PyObject *o)
{
    return PyObject_TypeCheck(o, st->AudioParam_Type);
}

static int
check_port(lspy_state *st, PyObject *o, const char *fn, const char *arg, uint32_t count,
           const char *what, uint32_t *out)
{
    Py_ssize_t v = 0;
    if (o != NULL && lspy_arg_index(o, fn, arg, &v) < 0) {
        return -1;
    }
    if (v < 0 || (size_t)v >= count) {
        lspy_raise(st, LS_ERROR_INDEX_SIZE, "%s(%s): %s %zd is out of range for a node with %u %s%s",
                 fn, arg, arg, v, count, what, count == 1 ? "" : "s");
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static PyObject *
connect_error(lspy_state *st, ls_result r, const char *fn)
{
    if (r == LS_ERROR_INVALID_ACCESS) {
        return lspy_raise(st, r, "%s(destination): the destination belongs to a different context", fn);
    }
    return lspy_raise_call(st, r, fn);
}

int
lspy_node_connect_to(lspy_state *st, lspy_NodeObject *src, PyObject *dst, PyObject *output,
                   PyObject *input, const char *fn)
{
    if (node_check_live(st, src) < 0) {
        return -1;
    }
    uint32_t out_i, in_i;
    if (dst != NULL && is_node(st, dst)) {
        lspy_NodeObject *d = NODE(dst);
        if (node_check_live(st, d) < 0 ||
            check_port(st, output, fn, "output", ls_node_number_of_outputs(src->node), "output",
                       &out_i) < 0 ||
            check_port(st, input, fn, "input", ls_node_number_of_inputs(d->node), "input",
                       &in_i) < 0) {
            return -1;
        }
        ls_result r = ls_node_connect(src->node, d->node, out_i, in_i);
        if (r != LS_OK) {
            connect_error(st, r, fn);
            return -1;
        }
        return 0;
    }
    if (dst != NULL && is_param(st, dst)) {
        if (input != NULL && input != Py_None) {
            PyErr_Format(PyExc_TypeError,
                         "%s(input): input cannot be given when the destination is an AudioParam", fn);
            return -1;
        }
        if (check_port(st, output, fn, "output", ls_node_number_of_outputs(src->node), "output",
                       &out_i) < 0) {
            return -1;
        }
        ls_result r = ls_node_connect_param(src->node, ((lspy_ParamObject *)dst)->param, out_i);
        if (r != LS_OK) {
            connect_error(st, r, fn);
            return -1;
        }
        return 0;
    }
    PyErr_Format(PyExc_TypeError,
                 "%s(destination): destination must be an AudioNode or an AudioParam, got %.200s",
                 fn, dst ? LSPY_TP_NAME(dst) : "nothing");
    return -1;
}

static const char *const connect_names[] = {"destination", "output", "input", NULL};
static const lspy_argspec connect_spec = {"connect", connect_names, 3, 1};

static PyObject *
node_connect(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        return NULL;
    }
    PyObject *v[3];
    if (lspy_parse_fast(&connect_spec, args, nargs, kwnames, v) < 0) {
        return NULL;
    }
    if (lspy_node_connect_to(st, self, v[0], v[1], v[2], "connect") < 0) {
        return NULL;
    }
    Py_INCREF(v[0]);
    return v[0];
}

static PyObject *
disconnect_error(lspy_state *st, ls_result r)
{
    if (r == LS_ERROR_INVALID_ACCESS) {
        return lspy_raise(st, r, "disconnect(destination): the node is not connected to the destination");
    }
    return lspy_raise_call(st, r, "disconnect");
}

static const lspy_argspec disconnect_spec = {"disconnect", connect_names, 3, 0};

PyObject *
lspy_node_disconnect_impl(lspy_state *st, lspy_NodeObject *self, PyObject *const *args,
                        Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *v[3];
    if (lspy_parse_fast(&disconnect_spec, args, nargs, kwnames, v) < 0) {
        return NULL;
    }
    if (node_check_live(st, self) < 0) {
        return NULL;
    }
    /* None stands for an argument left out */
    for (int i = 0; i < 3; i++) {
        if (v[i] == Py_None) {
            v[i] = NULL;
        }
    }
    PyObject *dst = v[0], *output = v[1], *input = v[2];
    uint32_t nout = ls_node_number_of_outputs(self->node);
    uint32_t out_i, in_i;
    ls_result r;

    if (dst == NULL && output == NULL) {
        if (input != NULL) {
            PyErr_SetString(PyExc_TypeError, "disconnect(input): input needs a destination and an output");
            return NULL;
        }
        r = ls_node_disconnect_all(self->node);
    }
    else if (dst == NULL || (!is_node(st, dst) && !is_param(st, dst) && PyIndex_Check(dst))) {
        /* disconnect(output) */
        PyObject *o = dst ? dst : output;
        if ((dst != NULL && output != NULL) || input != NULL) {
            PyErr_SetString(PyExc_TypeError,
                            "disconnect(output): with an output index as the first argument, "
                            "no other argument may be given");
            return NULL;
        }
        if (check_port(st, o, "disconnect", "output", nout, "output", &out_i) < 0) {
            return NULL;
        }
        r = ls_node_disconnect_output(self->node, out_i);
    }
    else if (is_node(st, dst)) {
        lspy_NodeObject *d = NODE(dst);
        if (node_check_live(st, d) < 0) {
            return NULL;
        }
        if (output == NULL) {
            if (input != NULL) {
                PyErr_SetString(PyExc_TypeError, "disconnect(input): input needs an output");
                return NULL;
            }
            r = ls_node_disconnect_node(self->node, d->node);
        }
        else {
            if (check_port(st, output, "disconnect", "output", nout, "output", &out_i) < 0) {
                return NULL;
            }
            if (input == NULL) {
                r = ls_node_disconnect_node_output(self->node, d->node, out_i);
            }
            else {
                if (check_port(st, input, "disconnect", "input", ls_node_number_of_inputs(d->node),
                               "input", &in_i) < 0) {
                    return NULL;
                }
                r = ls_node_disconnect_node_output_input(self->node, d->node, out_i, in_i);
            }
        }
    }
    else if (is_param(st, dst)) {
        ls_param *p = ((lspy_ParamObject *)dst)->param;
        if (input != NULL) {
            PyErr_SetString(PyExc_TypeError,
                            "disconnect(input): input cannot be given when the destination is an AudioParam");
            return NULL;
        }
        if (output == NULL) {
            r = ls_node_disconnect_param(self->node, p);
        }
        else {
            if (check_port(st, output, "disconnect", "output", nout, "output", &out_i) < 0) {
                return NULL;
            }
            r = ls_node_disconnect_param_output(self->node, p, out_i);
        }
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "disconnect(destination): destination must be an AudioNode, an AudioParam "
                     "or an output index, got %.200s", LSPY_TP_NAME(dst));
        return NULL;
    }
    if (r != LS_OK) {
        return disconnect_error(st, r);
    }
    Py_RETURN_NONE;
}

static PyObject *
node_disconnect(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        return NULL;
    }
    return lspy_node_disconnect_impl(st, self, args, nargs, kwnames);
}

/* The state of whichever operand is a labsound object. */
static lspy_state *
state_of_either(PyObject *a, PyObject *b)
{
    lspy_state *st = lspy_state_from_type(Py_TYPE(a));
    if (st == NULL) {
        PyErr_Clear();
        st = lspy_state_from_type(Py_TYPE(b));
    }
    return st;
}

/* `a >> b` and `a << b`: connect src (a node) to dst (a node or a param);
 * the value is b. */
static PyObject *
shift(PyObject *a, PyObject *b, PyObject *src, PyObject *dst)
{
    lspy_state *st = state_of_either(a, b);
    if (st == NULL) {
        PyErr_Clear();
        Py_RETURN_NOTIMPLEMENTED;
    }
    if (!is_node(st, src) || !(is_node(st, dst) || is_param(st, dst))) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    if (lspy_node_connect_to(st, NODE(src), dst, NULL, NULL, "connect") < 0) {
        return NULL;
    }
    Py_INCREF(b);
    return b;
}

PyObject *
lspy_rshift(PyObject *a, PyObject *b)
{
    return shift(a, b, a, b);
}

PyObject *
lspy_lshift(PyObject *a, PyObject *b)
{
    return shift(a, b, b, a);
}

/* ------------------------------------------------------------------ */
/* AudioScheduledSourceNode                                            */
/* ------------------------------------------------------------------ */

static const char *const when_names[] = {"when", NULL};
static const lspy_argspec when_specs[2] = {{"stop", when_names, 1, 0},
                                           {"start", when_names, 1, 0}};

/* start(when=0) (start 1) and stop(when=0) (start 0) */
static PyObject *
source_schedule(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs,
                PyObject *kwnames, int start)
{
    lspy_state *st = LSPY_STATE(self);
    CHECK_LIVE(st, self, NULL);
    const char *fn = when_specs[start].fname;
    PyObject *v[1];
    double when = 0.0;
    if (lspy_parse_fast(&when_specs[start], args, nargs, kwnames, v) < 0 ||
        (v[0] != NULL && lspy_arg_time(v[0], fn, "when", &when) < 0)) {
        return NULL;
    }
    ls_result r = start ? ls_source_start(self->node, when) : ls_source_stop(self->node, when);
    if (r == LS_ERROR_INVALID_STATE && self->started == start) {
        return lspy_raise(st, r, start ? "start(): the node has already been started"
                                       : "stop(): the node has not been started");
    }
    if (r != LS_OK) {
        return lspy_raise(st, r, "%s(): %s", fn, ls_result_string(r));
    }
    self->started |= (uint8_t)start;
    if (start && self->onended != NULL && !self->registered &&
        lspy_context_register((lspy_ContextObject *)self->context, self) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
source_start(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    return source_schedule(self, args, nargs, kwnames, 1);
}

static PyObject *
source_stop(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    return source_schedule(self, args, nargs, kwnames, 0);
}

PyObject *
lspy_get_onended(lspy_NodeObject *self, void *closure)
{
    if (self->onended == NULL) {
        Py_RETURN_NONE;
    }
    Py_INCREF(self->onended);
    return self->onended;
}

int
lspy_set_onended(lspy_NodeObject *self, PyObject *value, void *closure)
{
    if (value == Py_None) {
        value = NULL;
    }
    if (value != NULL && !PyCallable_Check(value)) {
        PyErr_Format(PyExc_TypeError, "onended must be a callable or None, got %.200s",
                     LSPY_TP_NAME(value));
        return -1;
    }
    Py_XINCREF(value);
    Py_XSETREF(self->onended, value);
    if (self->context == NULL || self->node == NULL) {
        return 0;
    }
    lspy_ContextObject *ctx = (lspy_ContextObject *)self->context;
    if (value == NULL) {
        if (self->registered) {
            lspy_context_unregister(ctx, self);
        }
    }
    else if (self->started && !self->registered &&
             (closure != NULL || ls_source_is_playing(self->node))) {
        return lspy_context_register(ctx, self);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Type specs                                                          */
/* ------------------------------------------------------------------ */

static PyMemberDef node_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(lspy_NodeObject, weakreflist), READONLY, NULL},
    {"context", T_OBJECT, offsetof(lspy_NodeObject, context), READONLY,
     "The context the node belongs to."},
    {NULL}
};

/* The engine node's address: an identity the graph description (labsound._graph)
 * keys its records by. Stable while any wrapper of the node or of its params lives. */
static PyObject *
node_get_engine_id(lspy_NodeObject *self, void *c)
{
    return PyLong_FromVoidPtr(self->node);
}

static PyGetSetDef node_getset[] = {
    {"_engine_id", (getter)node_get_engine_id, NULL,
     "The engine node's identity (an int), shared by every wrapper of the node.", NULL},
    {"number_of_inputs", (getter)node_get_channel, NULL, "Number of inputs.", (void *)3},
    {"number_of_outputs", (getter)node_get_channel, NULL, "Number of outputs.", (void *)4},
    {"channel_count", (getter)node_get_channel, (setter)node_set_channel,
     "Channels used when up- or down-mixing the inputs.", (void *)0},
    {"channel_count_mode", (getter)node_get_channel, (setter)node_set_channel,
     "'max', 'clamped-max' or 'explicit'.", (void *)1},
    {"channel_interpretation", (getter)node_get_channel, (setter)node_set_channel,
     "'speakers' or 'discrete'.", (void *)2},
    {"name", (getter)node_get_name, (setter)node_set_name,
     "A name of your choosing (str, at most 255 bytes of UTF-8) that ctx.graph() and "
     "to_dict() show; None (the default) for none.", NULL},
    {NULL}
};

static PyMethodDef node_methods[] = {
    {"connect", (PyCFunction)(void (*)(void))node_connect, METH_FASTCALL | METH_KEYWORDS,
     "connect($self, /, destination, output=0, input=0)\n--\n\n"
     "Connect an output of this node to a node's input or to an AudioParam.\n"
     "Returns destination, so calls chain."},
    {"disconnect", (PyCFunction)(void (*)(void))node_disconnect, METH_FASTCALL | METH_KEYWORDS,
     "disconnect($self, /, destination=None, output=None, input=None)\n--\n\n"
     "disconnect(); disconnect(output); disconnect(node[, output[, input]]);\n"
     "disconnect(param[, output])."},
    {NULL}
};

static PyType_Slot node_slots[] = {
    {Py_tp_doc, "AudioNode: the base of every node. Connect with connect() or `a >> b`.\n\n"
                "a.connect(b, output=0, input=0) and `a >> b` return b, so chains read left to\n"
                "right; b may be a node or an AudioParam. disconnect() undoes them.\n"
                "channel_count, channel_count_mode ('max', 'clamped-max', 'explicit') and\n"
                "channel_interpretation ('speakers', 'discrete') set how inputs are mixed."},
    {Py_tp_new, node_new_abstract},
    {Py_tp_dealloc, node_dealloc},
    {Py_tp_traverse, node_traverse},
    {Py_tp_clear, node_clear},
    {Py_tp_members, node_members},
    {Py_tp_getset, node_getset},
    {Py_tp_methods, node_methods},
    {Py_nb_rshift, lspy_rshift},
    {Py_nb_lshift, lspy_lshift},
    {0, NULL}
};

#define NODE_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC)

PyType_Spec lspy_AudioNode_spec = {
    "labsound.AudioNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS, node_slots
};

static PyGetSetDef source_getset[] = {
    {"onended", (getter)lspy_get_onended, (setter)lspy_set_onended,
     "Called with an event (.type == 'ended', .target == the node) when the source ends.\n"
     "Runs on a Python thread, never on the render thread.", NULL},
    {"is_playing", (getter)node_get_channel, NULL, "True while started and not yet ended.",
     (void *)5},
    {NULL}
};

static PyMethodDef source_methods[] = {
    {"start", (PyCFunction)(void (*)(void))source_start, METH_FASTCALL | METH_KEYWORDS,
     "start($self, /, when=0)\n--\n\nStart at context time `when` (seconds)."},
    {"stop", (PyCFunction)(void (*)(void))source_stop, METH_FASTCALL | METH_KEYWORDS,
     "stop($self, /, when=0)\n--\n\nStop at context time `when` (seconds)."},
    {NULL}
};

static PyType_Slot source_slots[] = {
    {Py_tp_traverse, node_traverse},
    {Py_tp_clear, node_clear},
    {Py_tp_doc, "AudioScheduledSourceNode: a source with start(), stop() and onended.\n\n"
                "start(when=0) and stop(when=0) take seconds of context time (0: now); each may\n"
                "be called once (InvalidStateError otherwise). onended is called with an\n"
                "Event('ended') on labsound's event thread once the source has stopped."},
    {Py_tp_getset, source_getset},
    {Py_tp_methods, source_methods},
    {0, NULL}
};

PyType_Spec lspy_AudioScheduledSourceNode_spec = {
    "labsound.AudioScheduledSourceNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS, source_slots
};

static PyGetSetDef dest_getset[] = {
    {"max_channel_count", (getter)node_get_channel, NULL,
     "The most channels channel_count may be set to.", (void *)6},
    {NULL}
};

static PyType_Slot dest_slots[] = {
    {Py_tp_traverse, node_traverse},
    {Py_tp_clear, node_clear},
    {Py_tp_doc, "AudioDestinationNode: the context's output (context.destination).\n"
                "\n"
                "Everything that should be heard or rendered is connected to it, directly or\n"
                "through other nodes: `osc >> ctx.destination`. Its channel_count is the number\n"
                "of output channels (at most max_channel_count: the device's, or the offline\n"
                "context's number_of_channels); inputs are up- or down-mixed to it by the\n"
                "speakers rules.\n"
                "\n"
                "Errors: IndexError (IndexSizeError) for a channel_count above\n"
                "max_channel_count; NotSupportedError for 0."},
    {Py_tp_getset, dest_getset},
    {0, NULL}
};

PyType_Spec lspy_AudioDestinationNode_spec = {
    "labsound.AudioDestinationNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS, dest_slots
};
