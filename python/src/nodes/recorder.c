/*
 * RecorderNode's methods (src/nodes/recorder.c): start(), stop(),
 * to_buffer(), save(path, bits=16) and its frame counters. Its `channels`
 * option comes from the engine's descriptor.
 */
#include "nodes.h"

static PyObject *
rec_start(PyObject *self, PyObject *unused)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    ls_result r = ls_recorder_start(n->node);
    if (r != LS_OK) {
        return lspy_raise_call(LSPY_STATE(self), r, "start()");
    }
    Py_RETURN_NONE;
}

static PyObject *
rec_stop(PyObject *self, PyObject *unused)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    ls_recorder_stop(n->node);
    Py_RETURN_NONE;
}

static PyObject *
rec_to_buffer(PyObject *self, PyObject *unused)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    lspy_state *st = LSPY_STATE(self);
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    ls_buffer *b = NULL;
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_recorder_to_buffer(n->node, &b);
    Py_END_ALLOW_THREADS
    if (r == LS_ERROR_INVALID_STATE) {
        return lspy_raise(st, r, "to_buffer(): nothing has been recorded");
    }
    return r != LS_OK ? lspy_raise_call(st, r, "to_buffer()") : lspy_buffer_wrap(st, b);
}

static PyObject *
rec_save(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
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
rec_get_frames(PyObject *self, void *dropped)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(dropped ? ls_recorder_dropped_frames(n->node)
                                               : ls_recorder_frames(n->node));
}

static PyGetSetDef rec_getset[] = {
    {"recorded_frames", rec_get_frames, NULL, "Frames recorded so far.", NULL},
    {"dropped_frames", rec_get_frames, NULL,
     "Frames lost because the control side did not keep up (normally 0).", (void *)1},
    {NULL}};

static PyMethodDef rec_methods[] = {
    {"start", rec_start, METH_NOARGS,
     "start($self, /)\n--\n\nStart (or resume) recording from the next render quantum."},
    {"stop", rec_stop, METH_NOARGS,
     "stop($self, /)\n--\n\nStop recording from the next render quantum."},
    {"to_buffer", rec_to_buffer, METH_NOARGS,
     "to_buffer($self, /)\n--\n\nA new AudioBuffer holding what has been recorded."},
    {"save", CAST(rec_save), FAST,
     "save($self, /, path, bits=16)\n--\n\nto_buffer().save(path, bits): write a WAV file."},
    {NULL}};

const lspy_node_special lspy_recorder_special = {
    "recorder", rec_methods, rec_getset,
    "It records between start() and stop() (LabSound's recorder). to_buffer()\n"
    "returns what was recorded as an AudioBuffer, save(path) writes it to a file;\n"
    "recorded_frames counts frames and dropped_frames those lost when the control\n"
    "thread fell behind a real-time context.\n"
    "\n"
    "    rec = ctx.create_recorder(channels=2)\n"
    "    mix >> rec >> ctx.destination\n"
    "    rec.start(); ctx.wait(2.0); rec.stop()\n"
    "    rec.save(\"take.wav\")\n"
    "\n"
    "Errors: NotSupportedError for channels outside 1..32.",
    .option_error = LS_ERROR_NOT_SUPPORTED};
