/*
 * AnalyserNode's readings (src/nodes/analyser.c): the four getters and
 * frequency_bin_count. A getter called without an array returns a new NumPy
 * array; given a writable one-dimensional array of the right type (float32
 * or uint8), it fills it in place, allocates nothing and returns it. The
 * options and the settings (fft_size, min/max_decibels,
 * smoothing_time_constant) come from the engine's descriptor.
 */
#include "nodes.h"

enum { FLOAT_FREQ, BYTE_FREQ, FLOAT_TIME, BYTE_TIME };

static PyObject *
an_get(PyObject *obj, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, int kind,
       const char *fn)
{
    lspy_NodeObject *self = (lspy_NodeObject *)obj;
    lspy_state *st = LSPY_STATE(self);
    static const char *const names[] = {"array", NULL};
    lspy_argspec spec = {fn, names, 1, 0};
    PyObject *arr;
    if (lspy_node_check_live(self) < 0 || lspy_parse_fast(&spec, args, nargs, kwnames, &arr) < 0) {
        return NULL;
    }
    const int is_byte = kind == BYTE_FREQ || kind == BYTE_TIME;
    const char *dtype = is_byte ? "uint8" : "float32";
    if (arr == NULL || arr == Py_None) {
        uint32_t fft = ls_analyser_fft_size(self->node);
        if (lspy_need_numpy(st) < 0) {
            return NULL;
        }
        arr = PyObject_CallFunction(st->np_empty, "(n)s",
                                    (Py_ssize_t)(kind == FLOAT_FREQ || kind == BYTE_FREQ ? fft / 2
                                                                                         : fft),
                                    dtype);
        if (arr == NULL) {
            return NULL;
        }
    }
    else {
        Py_INCREF(arr);
    }
    Py_buffer view;
    if (lspy_out_array(arr, fn, "array", is_byte ? "B" : "f", dtype, &view) < 0) {
        Py_DECREF(arr);
        return NULL;
    }
    size_t n = (size_t)view.shape[0];
    switch (kind) {
    case FLOAT_FREQ: ls_analyser_get_float_frequency_data(self->node, view.buf, n); break;
    case BYTE_FREQ: ls_analyser_get_byte_frequency_data(self->node, view.buf, n); break;
    case FLOAT_TIME: ls_analyser_get_float_time_domain_data(self->node, view.buf, n); break;
    default: ls_analyser_get_byte_time_domain_data(self->node, view.buf, n); break;
    }
    PyBuffer_Release(&view);
    return arr;
}

#define GETTER(name, kind)                                                                      \
    static PyObject *an_##name(PyObject *self, PyObject *const *args, Py_ssize_t nargs,        \
                               PyObject *kwnames)                                              \
    {                                                                                           \
        return an_get(self, args, nargs, kwnames, kind, #name);                                 \
    }

GETTER(get_float_frequency_data, FLOAT_FREQ)
GETTER(get_byte_frequency_data, BYTE_FREQ)
GETTER(get_float_time_domain_data, FLOAT_TIME)
GETTER(get_byte_time_domain_data, BYTE_TIME)
GETTER(get_frequency_data, FLOAT_FREQ)

static PyObject *
an_get_bins(PyObject *self, void *c)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(ls_analyser_fft_size(n->node) / 2);
}

static PyMethodDef an_methods[] = {
    {"get_float_frequency_data", CAST(an_get_float_frequency_data), FAST,
     "get_float_frequency_data($self, /, array=None)\n--\n\n"
     "Smoothed magnitude spectrum in dB (frequency_bin_count values): a new float32\n"
     "array, or the given one filled in place."},
    {"get_byte_frequency_data", CAST(an_get_byte_frequency_data), FAST,
     "get_byte_frequency_data($self, /, array=None)\n--\n\n"
     "The spectrum mapped from [min_decibels, max_decibels] to 0..255 (uint8)."},
    {"get_float_time_domain_data", CAST(an_get_float_time_domain_data), FAST,
     "get_float_time_domain_data($self, /, array=None)\n--\n\nThe latest fft_size samples (float32)."},
    {"get_byte_time_domain_data", CAST(an_get_byte_time_domain_data), FAST,
     "get_byte_time_domain_data($self, /, array=None)\n--\n\n"
     "The latest fft_size samples mapped from [-1, 1] to 0..255 (uint8)."},
    {"get_frequency_data", CAST(an_get_frequency_data), FAST,
     "get_frequency_data($self, /, array=None)\n--\n\nSame as get_float_frequency_data()."},
    {NULL}};

static PyGetSetDef an_getset[] = {
    {"frequency_bin_count", an_get_bins, NULL, "fft_size / 2.", NULL},
    {NULL}};

const lspy_node_special lspy_analyser_special = {
    "analyser", an_methods, an_getset,
    "It keeps analysing whether or not its output is connected; also made by\n"
    "context.create_analyzer().\n"
    "\n"
    "    an = ctx.create_analyser(fft_size=2048)\n"
    "    src >> an >> ctx.destination\n"
    "    spectrum = an.get_float_frequency_data()   # dB, float32, frequency_bin_count values\n"
    "    wave = an.get_float_time_domain_data()     # the latest fft_size frames\n"
    "\n"
    "Errors: IndexError (IndexSizeError) for an fft_size that is not a power of two\n"
    "in range, min_decibels not below max_decibels, or a smoothing_time_constant\n"
    "outside [0, 1]; TypeError for a value that is not a number.",
    .option_error = LS_ERROR_INDEX_SIZE, .factory_alias = "create_analyzer"};
