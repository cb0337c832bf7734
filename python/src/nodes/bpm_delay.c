/*
 * BPMDelayNode (src/nodes/bpm_delay.c): the message for a tempo and note
 * whose delay does not fit in max_delay_time, shared with PingPongDelayNode.
 * Options, the params and the settings come from the engine's descriptor.
 */
#include "nodes.h"

#include <stddef.h>

#include <labsound/extended.h>

/* the ping-pong delay's options begin as the BPM delay's do */
#define SAME_FIELD(f) \
    (offsetof(ls_bpm_delay_options, f) == offsetof(ls_ping_pong_delay_options, f))
_Static_assert(SAME_FIELD(tempo) && SAME_FIELD(note) && SAME_FIELD(max_delay_time),
               "tempo, note and max_delay_time lie alike in both options structs");

int
lspy_tempo_explain(lspy_state *st, ls_result r, const void *opts, PyObject *const *raw,
                   const char *fn)
{
    const ls_bpm_delay_options *o = opts;
    double t = ls_tempo_delay_time(o->tempo, o->note);
    double max = o->max_delay_time;
    if (r != LS_ERROR_RANGE || !(t > max && max > 0.0 && max < LS_DELAY_MAX_TIME)) {
        return 0;                   /* a bad tempo or max_delay_time: the generic message */
    }
    PyObject *a = PyFloat_FromDouble(t);
    PyObject *b = PyFloat_FromDouble(max);
    if (a != NULL && b != NULL) {
        PyErr_Format(PyExc_ValueError,
                     "%s(tempo, note): the delay 60 / tempo * beats is %R s, longer than "
                     "max_delay_time (%R s)", fn, a, b);
    }
    Py_XDECREF(a);
    Py_XDECREF(b);
    return 1;
}

const lspy_node_special lspy_bpm_delay_special = {
    .key = "bpm_delay",
    .doc =
    "LabSound's BPMDelay: a DelayNode whose delay time follows a tempo and a note\n"
    "value, 60 / tempo * beats seconds (a quarter note is one beat: 'quarter' at\n"
    "120 BPM delays 0.5 s). The same delay line as DelayNode (linear interpolation,\n"
    "cycles through it allowed); delay_time is read-only, set tempo or note to\n"
    "change it. Notes: 'whole' to 'thirty-second', each also 'dotted-...' (1.5 times)\n"
    "and '...-triplet' (2/3 times).\n"
    "\n"
    "    echo = ctx.create_bpm_delay(tempo=96, note='dotted-eighth')\n"
    "    src >> echo >> ctx.destination\n"
    "\n"
    "Errors: ValueError for a tempo not above 0 or not finite, an unknown note, or\n"
    "a delay longer than max_delay_time; NotSupportedError for max_delay_time\n"
    "outside (0, 180) seconds; TypeError for a non-number tempo or non-string note.",
    .create_error = lspy_tempo_explain};
