/*
 * ConvolverNode's buffer (src/nodes/convolver.c): set with the interpreter
 * lock released (the partitions' FFTs take a while for long responses), and
 * refused with a message that says why. Its other options and normalize come
 * from the engine's descriptor.
 */
#include "nodes.h"

static PyObject *
raise_buffer(lspy_state *st, ls_result r, ls_buffer *b, ls_context *ctx)
{
    if (r == LS_ERROR_NOT_SUPPORTED && b != NULL) {
        uint32_t ch = ls_buffer_number_of_channels(b);
        if (ch != 1 && ch != 2 && ch != 4) {
            return lspy_raise(st, r, "buffer: the buffer must have 1, 2 or 4 channels, got %u",
                              (unsigned)ch);
        }
        PyObject *a = PyFloat_FromDouble(ls_buffer_sample_rate(b));
        PyObject *c = PyFloat_FromDouble(ls_context_sample_rate(ctx));
        if (a && c) {
            lspy_raise(st, r, "buffer: the buffer's sample rate %R differs from the context's %R",
                       a, c);
        }
        Py_XDECREF(a);
        Py_XDECREF(c);
        return NULL;
    }
    return lspy_raise_call(st, r, "buffer");
}

static int
set_buffer(PyObject *self, PyObject *value, void *c)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    lspy_state *st = LSPY_STATE(self);
    if (lspy_node_check_live(n) < 0) {
        return -1;
    }
    if (value == NULL) {
        value = Py_None;
    }
    ls_buffer *b = NULL;
    if (value != Py_None) {
        if (!PyObject_TypeCheck(value, st->AudioBuffer_Type)) {
            PyErr_Format(PyExc_TypeError, "buffer: must be an AudioBuffer or None, got %.200s",
                         LSPY_TP_NAME(value));
            return -1;
        }
        b = ((lspy_BufferObject *)value)->buf;
    }
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_convolver_set_buffer(n->node, b);
    Py_END_ALLOW_THREADS
    if (r != LS_OK) {
        raise_buffer(st, r, b, lspy_ctx_of(n->context));
        return -1;
    }
    PyObject *keep = value == Py_None ? NULL : value;
    Py_XINCREF(keep);
    Py_XSETREF(n->buffer, keep);
    return 0;
}

static PyGetSetDef convolver_getset[] = {
    {"buffer", lspy_node_get_buffer, set_buffer,
     "The impulse response (an AudioBuffer of 1, 2 or 4 channels) or None. Its samples are\n"
     "copied when set: later changes to the buffer are not heard.", NULL},
    {NULL}};

const lspy_node_special lspy_convolver_special = {
    "convolver", NULL, convolver_getset,
    "Partitioned FFT convolution. Mono or stereo in, stereo out ('clamped-max', at\n"
    "most 2 channels).\n"
    "\n"
    "    ir = ls.load(\"hall.wav\", sample_rate=ctx.sample_rate)\n"
    "    conv = ctx.create_convolver(buffer=ir)\n"
    "    dry >> conv >> ctx.destination"};
