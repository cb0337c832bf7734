/*
 * BiquadFilterNode's frequency response and `q`, another spelling of Q
 * (src/nodes/biquad_filter.c). Its params, type and options come from the
 * engine's descriptor.
 */
#include "nodes.h"

static PyObject *
response(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    return lspy_frequency_response(self, args, nargs, kw, ls_biquad_filter_get_frequency_response);
}

static PyMethodDef biquad_methods[] = {
    {"get_frequency_response", (PyCFunction)(void (*)(void))response,
     METH_FASTCALL | METH_KEYWORDS,
     "get_frequency_response($self, /, frequencies, mag_out=None, phase_out=None)\n--\n\n"
     "Magnitude and phase (radians) at each frequency (Hz) for the params' current values,\n"
     "as float32 arrays (NaN outside [0, sample_rate / 2]). Given arrays are filled."},
    {NULL}};

static const char *const biquad_aliases[] = {"q", "Q", NULL};

const lspy_node_special lspy_biquad_filter_special = {
    "biquad_filter", biquad_methods, NULL,
    "The Web Audio spec's coefficient formulas. Q is the resonance in dB for\n"
    "lowpass/highpass; gain applies to the shelves and peaking only; q is Q too.\n"
    "get_frequency_response(frequencies) gives the response without rendering.\n"
    "\n"
    "    lp = ctx.create_biquad_filter(type='lowpass', frequency=800, Q=4)\n"
    "    src >> lp >> ctx.destination\n"
    "    lp.frequency.exponential_ramp_to_value_at_time(4000, 2.0)",
    0, biquad_aliases};
