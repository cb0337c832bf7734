/*
 * OscillatorNode's set_periodic_wave and the messages for a refused type or
 * wave (src/nodes/oscillator.c). Its params, type and options come from the
 * engine's descriptor; start, stop and onended from AudioScheduledSourceNode.
 */
#include "nodes.h"

static PyObject *
wave_error(lspy_state *st, ls_result r, const char *fn, const char *arg)
{
    if (r == LS_ERROR_INVALID_ACCESS) {
        return lspy_raise(st, r, "%s(%s): the wave was made for another sample rate", fn, arg);
    }
    if (r == LS_ERROR_INVALID_STATE) {
        return lspy_raise(st, r, "%s(type): type 'custom' needs a periodic_wave", fn);
    }
    return lspy_raise_call(st, r, fn);
}

static int
create_error(lspy_state *st, ls_result r, const void *opts, PyObject *const *raw, const char *fn)
{
    if (r != LS_ERROR_INVALID_ACCESS && (r != LS_ERROR_INVALID_STATE || raw[0] == NULL)) {
        return 0;
    }
    wave_error(st, r, fn, "periodic_wave");
    return 1;
}

static PyObject *
set_periodic_wave(PyObject *self, PyObject *wave)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    lspy_state *st = LSPY_STATE(self);
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    if (!PyObject_TypeCheck(wave, st->PeriodicWave_Type)) {
        return PyErr_Format(PyExc_TypeError,
                            "set_periodic_wave(wave): wave must be a PeriodicWave, got %.200s",
                            LSPY_TP_NAME(wave));
    }
    ls_result r = ls_oscillator_set_periodic_wave(n->node, ((lspy_WaveObject *)wave)->wave);
    if (r != LS_OK) {
        return wave_error(st, r, "set_periodic_wave", "wave");
    }
    Py_RETURN_NONE;
}

static PyMethodDef osc_methods[] = {
    {"set_periodic_wave", set_periodic_wave, METH_O,
     "set_periodic_wave($self, wave, /)\n--\n\nUse a PeriodicWave; type becomes 'custom'."},
    {NULL}};

const lspy_node_special lspy_oscillator_special = {
    "oscillator", osc_methods, NULL,
    "'sine', 'square', 'sawtooth' and 'triangle' are band-limited wavetables;\n"
    "set_periodic_wave(wave) plays a PeriodicWave instead.\n"
    "\n"
    "    osc = ctx.create_oscillator(type='square', frequency=220)\n"
    "    osc >> ctx.destination\n"
    "    osc.frequency.exponential_ramp_to_value_at_time(880, 1.0)\n"
    "    osc.start(0); osc.stop(2)",
    0, NULL, NULL, create_error};
