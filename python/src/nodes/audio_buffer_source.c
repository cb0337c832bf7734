/*
 * AudioBufferSourceNode (src/nodes/audio_buffer_source.c): start with an
 * offset and a duration, and the message for a buffer set twice. The factory
 * also takes the buffer (or a path to load) by position:
 * context.create_buffer_source("hit.wav"). Options, params, loop settings,
 * interpolation and the buffer come from the engine's descriptor.
 */
#include "nodes.h"

static const char *const start_names[] = {"when", "offset", "duration", NULL};
static const lspy_argspec start_spec = {"start", start_names, 3, 0};

static PyObject *
bsrc_start(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *v[3];
    double when = 0, offset = 0, duration = -1;
    if (lspy_node_check_live(self) < 0 ||
        lspy_parse_fast(&start_spec, args, nargs, kwnames, v) < 0 ||
        (v[0] != NULL && lspy_arg_time(v[0], "start", "when", &when) < 0) ||
        (v[1] != NULL && lspy_arg_time(v[1], "start", "offset", &offset) < 0) ||
        (v[2] != NULL && v[2] != Py_None &&
         lspy_arg_time(v[2], "start", "duration", &duration) < 0)) {
        return NULL;
    }
    return lspy_source_started(self, ls_buffer_source_start(self->node, when, offset, duration),
                               "start");
}

/* as the generic setting, saying why a second buffer is refused */
static int
set_buffer(PyObject *self, PyObject *value, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (lspy_node_setting_set(self, "buffer", value) == 0) {
        return 0;
    }
    if (st != NULL && PyErr_ExceptionMatches(st->InvalidStateError) &&
        ((lspy_NodeObject *)self)->node != NULL) {
        PyErr_Clear();
        lspy_raise(st, LS_ERROR_INVALID_STATE, "buffer: a buffer has already been set on this "
                   "node, got %R", value);
    }
    return -1;
}

static PyGetSetDef buffer_source_getset[] = {
    {"buffer", lspy_node_get_buffer, set_buffer,
     "The AudioBuffer to play, or None. It can be set to a buffer once (InvalidStateError\n"
     "after that); a path loads the file at the context's rate.", NULL},
    {NULL}};

static PyMethodDef buffer_source_methods[] = {
    {"start", (PyCFunction)(void (*)(void))bsrc_start, METH_FASTCALL | METH_KEYWORDS,
     "start($self, /, when=0, offset=0, duration=None)\n--\n\n"
     "Start at context time `when`, `offset` seconds into the buffer, for `duration`\n"
     "seconds of buffer time (None: to the end, or forever when looping)."},
    {NULL}};

const lspy_node_special lspy_buffer_source_special = {
    .key = "buffer_source",
    .methods = buffer_source_methods,
    .getset = buffer_source_getset,
    .factory_npos = 1,
    .doc =
    "A buffer at another sample rate plays at its own pitch, read between its frames\n"
    "with `interpolation` ('linear', 'cubic' or 'sinc'; None: the context's). The\n"
    "factory takes the buffer, or a path to load, by position too:\n"
    "context.create_buffer_source('hit.wav').\n"
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
    "is not an AudioBuffer or a path."};
