/*
 * SampledAudioNode (src/nodes/sampled_audio.c): the sampler's schedules
 * (schedule, stop, clear_schedules, schedule_count) and its onended, called
 * each time its last voice ends. Options, params, buffer and interpolation
 * come from the engine's descriptor.
 */
#include "nodes.h"

#include <labsound/extended.h>

static const char *const schedule_names[] = {"when", "loop_count", "offset", "duration", NULL};
static const lspy_argspec schedule_spec = {"schedule", schedule_names, 4, 0};

static int
loop_count(PyObject *v, long *out)
{
    if (PyBool_Check(v) || !PyLong_Check(v)) {
        PyErr_Format(PyExc_TypeError, "schedule(loop_count): expected an int, got %.200s",
                     LSPY_TP_NAME(v));
        return -1;
    }
    int overflow = 0;
    *out = PyLong_AsLongAndOverflow(v, &overflow);
    if (*out == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (overflow || *out < -1 || *out > INT32_MAX) {
        PyErr_Format(PyExc_ValueError, "schedule(loop_count): must be -1 (loop until stop) or a "
                     "count of repeats from 0 to 2**31 - 1, got %R", v);
        return -1;
    }
    return 0;
}

static PyObject *
sa_schedule(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    lspy_state *st = LSPY_STATE(self);
    PyObject *v[4];
    double when = 0.0, offset = 0.0, duration = -1.0;
    long loops = 0;
    if (lspy_node_check_live(self) < 0 ||
        lspy_parse_fast(&schedule_spec, args, nargs, kwnames, v) < 0 ||
        (v[0] != NULL && lspy_arg_time(v[0], "schedule", "when", &when) < 0) ||
        (v[1] != NULL && loop_count(v[1], &loops) < 0) ||
        (v[2] != NULL && lspy_arg_time(v[2], "schedule", "offset", &offset) < 0) ||
        (v[3] != NULL && v[3] != Py_None &&
         lspy_arg_time(v[3], "schedule", "duration", &duration) < 0)) {
        return NULL;
    }
    if (self->buffer == NULL) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE,
                          "schedule(): the node has no buffer (set node.buffer first)");
    }
    return lspy_source_started(
        self, ls_sampled_audio_schedule(self->node, when, (int32_t)loops, offset, duration),
        "schedule");
}

static const char *const when_names[] = {"when", NULL};
static const lspy_argspec stop_spec = {"stop", when_names, 1, 0};

static PyObject *
sa_stop(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *v[1];
    double when = 0.0;
    if (lspy_node_check_live(self) < 0 ||
        lspy_parse_fast(&stop_spec, args, nargs, kwnames, v) < 0 ||
        (v[0] != NULL && lspy_arg_time(v[0], "stop", "when", &when) < 0)) {
        return NULL;
    }
    ls_result r = ls_sampled_audio_stop(self->node, when);
    return r == LS_OK ? Py_NewRef(Py_None) : lspy_raise_call(LSPY_STATE(self), r, "stop()");
}

static PyObject *
sa_clear_schedules(lspy_NodeObject *self, PyObject *unused)
{
    if (lspy_node_check_live(self) < 0) {
        return NULL;
    }
    ls_result r = ls_sampled_audio_clear_schedules(self->node);
    return r == LS_OK ? Py_NewRef(Py_None)
                      : lspy_raise_call(LSPY_STATE(self), r, "clear_schedules()");
}

static PyObject *
get_schedule_count(PyObject *self, void *c)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(ls_sampled_audio_schedule_count(n->node));
}

static PyGetSetDef sampled_audio_getset[] = {
    {"onended", (getter)lspy_get_onended, (setter)lspy_set_onended,
     "Called with an Event (type 'ended') on a Python thread each time the last voice ends "
     "(ends that fall together make one event); None for no handler.", (void *)1},
    {"schedule_count", get_schedule_count, NULL,
     "How many schedule() calls the node has had (read-only int).", NULL},
    {NULL}};

#define FAST (METH_FASTCALL | METH_KEYWORDS)

static PyMethodDef sampled_audio_methods[] = {
    {"schedule", (PyCFunction)(void (*)(void))sa_schedule, FAST,
     "schedule($self, /, when=0.0, loop_count=0, offset=0.0, duration=None)\n--\n\n"
     "Play the buffer as a new voice at context time `when` (seconds; a time already past "
     "plays at once), from `offset` seconds into the buffer for `duration` seconds (None: to "
     "its end), loop_count + 1 times (-1: until stop()). Voices overlap and are summed; at "
     "most 32 play at once, a 33rd replaces the one that started first.\n\n"
     "Errors: ValueError for a negative or non-finite when, offset or duration, or "
     "loop_count below -1; TypeError for a non-int loop_count; InvalidStateError when the "
     "node has no buffer."},
    {"stop", (PyCFunction)(void (*)(void))sa_stop, FAST,
     "stop($self, /, when=0.0)\n--\n\nEnd every voice scheduled so far at context time "
     "`when` (seconds); later schedules are not affected. ValueError for a negative or "
     "non-finite when."},
    {"clear_schedules", (PyCFunction)sa_clear_schedules, METH_NOARGS,
     "clear_schedules($self, /)\n--\n\nDrop the voices that have not started yet; voices "
     "already playing go on."},
    {NULL}};

const lspy_node_special lspy_sampled_audio_special = {
    "sampled_audio", sampled_audio_methods, sampled_audio_getset,
    "LabSound's sampler: one buffer, scheduled any number of times. Each\n"
    "schedule(when, loop_count, offset, duration) is a voice; voices overlap and are\n"
    "summed, up to 32 at once (kept in the node: nothing is allocated while it\n"
    "plays). Unlike AudioBufferSourceNode it can be scheduled again after it played.\n"
    "The buffer (an AudioBuffer, or a path loaded at the context's rate) may be\n"
    "replaced at any time: voices playing the old one stop, voices not started yet\n"
    "play the new one. A buffer at another sample rate plays at its own rate, read\n"
    "between its frames with `interpolation` as AudioBufferSourceNode does.\n"
    "\n"
    "    hit = ctx.create_sampled_audio(buffer=snare)\n"
    "    hit >> ctx.destination\n"
    "    for k in range(8):\n"
    "        hit.schedule(k * 0.25)          # eighth notes at 120 BPM\n"
    "\n"
    "Errors: TypeError for a buffer that is not an AudioBuffer, a path or None;\n"
    "ValueError for non-finite playback_rate or detune."};
