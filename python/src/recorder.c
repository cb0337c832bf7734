/*
 * RecorderNode: ctx.create_recorder(channels=2), start(), stop(),
 * to_buffer(), save(path, bits=16). It passes its input through.
 */
#include "buffer_nodes.h"

#define LIVE(self, ret)                                           \
    lspy_state *st = LSPY_STATE(self);                            \
    if (lspy_bn_live(st, (lspy_NodeObject *)(self)) < 0) {        \
        return ret;                                               \
    }

static PyObject *
create_recorder(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *const *args,
                Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict)
{
    const char *fn = ctx ? "create_recorder" : "RecorderNode";
    PyObject *pos = ctx && nargs > 0 ? args[0] : NULL;
    PyObject *kw = lspy_bn_kwargs(fn, ctx, args, nargs, kwnames, tuple, dict, 1, &ctx);
    PyObject *result = NULL;
    if (kw == NULL) {
        return NULL;
    }
    if (lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    PyObject *v = lspy_bn_take(kw, "channels");
    if (v == NULL) {
        v = lspy_bn_take(kw, "channel_count");
    }
    if (pos != NULL) {
        if (v != NULL) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument 'channels'", fn);
            goto done;
        }
        v = pos;
    }
    Py_ssize_t ch = 2;
    if (v != NULL && lspy_arg_index(v, fn, "channels", &ch) < 0) {
        goto done;
    }
    if (ch < 1 || ch > LS_MAX_CHANNELS) {
        lspy_raise(st, LS_ERROR_NOT_SUPPORTED, "%s(channels): channels must be between 1 and %d, got %zd",
                   fn, LS_MAX_CHANNELS, ch);
        goto done;
    }
    if (lspy_bn_no_more(kw, fn) < 0) {
        goto done;
    }
    ls_node *n = NULL;
    ls_result r = ls_recorder_create(lspy_ctx_of(ctx), (uint32_t)ch, &n);
    result = lspy_bn_finish(st, type, ctx, r, n, fn);
done:
    Py_DECREF(kw);
    return result;
}

PyObject *
lspy_ctx_create_recorder(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL || lspy_context_check(st, self, "create_recorder") < 0) {
        return NULL;
    }
    return create_recorder(st, st->RecorderNode_Type, self, args, nargs, kwnames, NULL, NULL);
}

static PyObject *
rec_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? create_recorder(st, type, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

static PyObject *
rec_start(lspy_NodeObject *self, PyObject *Py_UNUSED(ignored))
{
    LIVE(self, NULL);
    ls_result r = ls_recorder_start(self->node);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "start()");
    }
    Py_RETURN_NONE;
}

static PyObject *
rec_stop(lspy_NodeObject *self, PyObject *Py_UNUSED(ignored))
{
    LIVE(self, NULL);
    ls_recorder_stop(self->node);
    Py_RETURN_NONE;
}

static PyObject *
rec_to_buffer(lspy_NodeObject *self, PyObject *Py_UNUSED(ignored))
{
    LIVE(self, NULL);
    ls_buffer *b = NULL;
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_recorder_to_buffer(self->node, &b);
    Py_END_ALLOW_THREADS
    if (r != LS_OK) {
        if (r == LS_ERROR_INVALID_STATE) {
            return lspy_raise(st, r, "to_buffer(): nothing has been recorded");
        }
        return lspy_raise_call(st, r, "to_buffer()");
    }
    return lspy_buffer_wrap(st, b);
}

static PyObject *
rec_save(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *buf = rec_to_buffer(self, NULL);
    if (buf == NULL) {
        return NULL;
    }
    PyObject *save = PyObject_GetAttrString(buf, "save");
    PyObject *res = save ? LSPY_VECTORCALL(save, args, (size_t)nargs, kwnames) : NULL;
    Py_XDECREF(save);
    Py_DECREF(buf);
    return res;
}

static PyObject *
rec_get_frames(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    return PyLong_FromUnsignedLongLong(c ? ls_recorder_dropped_frames(self->node)
                                         : ls_recorder_frames(self->node));
}

static PyGetSetDef rec_getset[] = {
    {"recorded_frames", (getter)rec_get_frames, NULL, "Frames recorded so far.", NULL},
    {"dropped_frames", (getter)rec_get_frames, NULL,
     "Frames lost because the control side did not keep up (normally 0).", (void *)1},
    {NULL}
};

static PyMethodDef rec_methods[] = {
    {"start", (PyCFunction)rec_start, METH_NOARGS,
     "start($self, /)\n--\n\nStart (or resume) recording from the next render quantum."},
    {"stop", (PyCFunction)rec_stop, METH_NOARGS,
     "stop($self, /)\n--\n\nStop recording from the next render quantum."},
    {"to_buffer", (PyCFunction)rec_to_buffer, METH_NOARGS,
     "to_buffer($self, /)\n--\n\nA new AudioBuffer holding what has been recorded."},
    {"save", (PyCFunction)(void (*)(void))rec_save, METH_FASTCALL | METH_KEYWORDS,
     "save($self, /, path, bits=16)\n--\n\nto_buffer().save(path, bits): write a WAV file."},
    {NULL}
};

static PyType_Slot rec_slots[] = {
    {Py_tp_traverse, lspy_bn_traverse},
    {Py_tp_clear, lspy_bn_clear},
    {Py_tp_doc, "RecorderNode(context, options=None, *, channels=2)\n--\n\n"
                "Passes its input through and records it between start() and stop() (LabSound's\n"
                "recorder): `channels` channels (1 to 32, default 2). to_buffer() returns what\n"
                "was recorded as an AudioBuffer, save(path) writes it to a file;\n"
                "recorded_frames counts frames and dropped_frames those lost when the control\n"
                "thread fell behind a real-time context. Also made by\n"
                "context.create_recorder(channels=2).\n"
                "\n"
                "    rec = ctx.create_recorder(channels=2)\n"
                "    mix >> rec >> ctx.destination\n"
                "    rec.start(); ctx.wait(2.0); rec.stop()\n"
                "    rec.save(\"take.wav\")\n"
                "\n"
                "Errors: NotSupportedError for channels outside 1..32."},
    {Py_tp_new, rec_new},
    {Py_tp_getset, rec_getset},
    {Py_tp_methods, rec_methods},
    {0, NULL}
};

PyType_Spec lspy_RecorderNode_spec = {
    "labsound.RecorderNode", sizeof(lspy_NodeObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, rec_slots
};
