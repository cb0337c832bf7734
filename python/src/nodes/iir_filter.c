/*
 * IIRFilterNode's frequency response and the messages for refused
 * coefficients (src/nodes/iir_filter.c). Its options come from the engine's
 * descriptor; create_iir_filter(feedforward, feedback) takes them by position.
 */
#include "nodes.h"

static PyObject *
response(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    return lspy_frequency_response(self, args, nargs, kw, ls_iir_filter_get_frequency_response);
}

static int
create_error(lspy_state *st, ls_result r, const void *opts, PyObject *const *raw, const char *fn)
{
    const ls_iir_filter_options *o = opts;
    int all_zero = 1;
    for (size_t i = 0; i < o->feedforward_count; i++) {
        all_zero &= o->feedforward[i] == 0.0;
    }
    int ff = o->feedforward_count < 1 || o->feedforward_count > LS_IIR_MAX_COEFFS;
    if (r == LS_ERROR_NOT_SUPPORTED) {
        lspy_raise(st, r, "%s(%s): needs 1 to %d coefficients, got %zu", fn,
                   ff ? "feedforward" : "feedback", LS_IIR_MAX_COEFFS,
                   ff ? o->feedforward_count : o->feedback_count);
    }
    else if (r == LS_ERROR_RANGE) {
        lspy_raise(st, r, "%s(): the coefficients must be finite", fn);
    }
    else if (r == LS_ERROR_INVALID_STATE && (all_zero || o->feedback[0] == 0.0)) {
        lspy_raise(st, r, all_zero ? "%s(feedforward): the coefficients must not all be zero"
                                   : "%s(feedback): feedback[0] must not be zero", fn);
    }
    else {
        return 0;
    }
    return 1;
}

static PyMethodDef iir_methods[] = {
    {"get_frequency_response", (PyCFunction)(void (*)(void))response,
     METH_FASTCALL | METH_KEYWORDS,
     "get_frequency_response($self, /, frequencies, mag_out=None, phase_out=None)\n--\n\n"
     "Magnitude and phase (radians) at each frequency (Hz), as float32 arrays\n"
     "(NaN outside [0, sample_rate / 2]). Given arrays are filled."},
    {NULL}};

const lspy_node_special lspy_iir_filter_special = {
    "iir_filter", iir_methods, NULL,
    "H(z) = sum(feedforward[k] z^-k) / sum(feedback[k] z^-k); the coefficients are\n"
    "normalised by feedback[0] and fixed once the node exists.\n"
    "\n"
    "    iir = ctx.create_iir_filter([0.1, 0.2, 0.1], [1.0, -0.6, 0.2])\n"
    "    mag, phase = iir.get_frequency_response([100.0, 1000.0, 10000.0])",
    2, NULL, NULL, create_error};
