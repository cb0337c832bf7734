/*
 * AnalyserNode: attributes and the four getters. A getter called without an
 * array returns a new NumPy array; given a writable one-dimensional array of
 * the right type (float32 or uint8), it fills it in place, allocates nothing
 * and returns it.
 */
#include "buffer_nodes.h"

#define LIVE(self, ret)                                           \
    lspy_state *st = LSPY_STATE(self);                            \
    if (lspy_bn_live(st, (lspy_NodeObject *)(self)) < 0) {        \
        return ret;                                               \
    }

static PyObject *
analyser_raise(lspy_state *st, ls_result r, const char *what, PyObject *value)
{
    if (r == LS_ERROR_INDEX_SIZE) {
        return lspy_raise(st, r, "%s: %R is out of range (%s)", what, value,
                          strcmp(what, "fft_size") == 0
                              ? "a power of two from 32 to 32768"
                              : strcmp(what, "smoothing_time_constant") == 0
                                    ? "0 to 1"
                                    : "min_decibels must stay below max_decibels");
    }
    return lspy_raise_call(st, r, what);
}

static PyObject *
create_analyser(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *const *args,
                Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict)
{
    const char *fn = ctx ? "create_analyser" : "AnalyserNode";
    PyObject *kw = lspy_bn_kwargs(fn, ctx, args, nargs, kwnames, tuple, dict, 0, &ctx);
    PyObject *result = NULL, *v;
    if (kw == NULL) {
        return NULL;
    }
    if (lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_analyser_options o = ls_analyser_options_default();
    if (lspy_bn_node_options(st, kw, fn, &o.node) < 0) {
        goto done;
    }
    PyObject *bad = NULL;
    const char *bad_name = NULL;
    if ((v = lspy_bn_take(kw, "fft_size")) != NULL) {
        Py_ssize_t n;
        if (lspy_arg_index(v, fn, "fft_size", &n) < 0) {
            goto done;
        }
        o.fft_size = n < 0 || n > 1 << 30 ? 1 : (uint32_t)n;
        bad = v;
        bad_name = "fft_size";
    }
    if ((v = lspy_bn_take(kw, "min_decibels")) != NULL &&
        lspy_arg_finite(v, fn, "min_decibels", &o.min_decibels) < 0) {
        goto done;
    }
    if ((v = lspy_bn_take(kw, "max_decibels")) != NULL &&
        lspy_arg_finite(v, fn, "max_decibels", &o.max_decibels) < 0) {
        goto done;
    }
    if ((v = lspy_bn_take(kw, "smoothing_time_constant")) != NULL &&
        lspy_arg_finite(v, fn, "smoothing_time_constant", &o.smoothing_time_constant) < 0) {
        goto done;
    }
    if (lspy_bn_no_more(kw, fn) < 0) {
        goto done;
    }
    ls_node *n = NULL;
    ls_result r = ls_analyser_create(lspy_ctx_of(ctx), &o, &n);
    if (r == LS_ERROR_INDEX_SIZE) {
        if (bad != NULL && (o.fft_size < 32 || o.fft_size > 32768 || (o.fft_size & (o.fft_size - 1)))) {
            lspy_raise(st, r, "%s(%s): fft_size must be a power of two from 32 to 32768, got %R", fn,
                       bad_name, bad);
        }
        else if (!(o.smoothing_time_constant >= 0 && o.smoothing_time_constant <= 1)) {
            lspy_raise(st, r, "%s(smoothing_time_constant): must be between 0 and 1, got %R", fn,
                       PyFloat_FromDouble(o.smoothing_time_constant));
        }
        else {
            lspy_raise(st, r, "%s(min_decibels): min_decibels (%d) must be below max_decibels (%d)",
                       fn, (int)o.min_decibels, (int)o.max_decibels);
        }
        goto done;
    }
    result = lspy_bn_finish(st, type, ctx, r, n, fn);
done:
    Py_DECREF(kw);
    return result;
}

PyObject *
lspy_ctx_create_analyser(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL || lspy_context_check(st, self, "create_analyser") < 0) {
        return NULL;
    }
    return create_analyser(st, st->AnalyserNode_Type, self, args, nargs, kwnames, NULL, NULL);
}

static PyObject *
an_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? create_analyser(st, type, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

/* Attributes --------------------------------------------------------- */

static PyObject *
an_get_fft_size(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    return PyLong_FromUnsignedLong(ls_analyser_fft_size(self->node));
}

static int
an_set_fft_size(lspy_NodeObject *self, PyObject *value, void *c)
{
    LIVE(self, -1);
    Py_ssize_t n;
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'fft_size'");
        return -1;
    }
    if (lspy_arg_index(value, NULL, "fft_size", &n) < 0) {
        return -1;
    }
    ls_result r = ls_analyser_set_fft_size(self->node, n < 0 || n > 1 << 30 ? 1 : (uint32_t)n);
    return r == LS_OK ? 0 : (analyser_raise(st, r, "fft_size", value), -1);
}

static PyObject *
an_get_bins(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    return PyLong_FromUnsignedLong(ls_analyser_fft_size(self->node) / 2);
}

static PyObject *
an_get_double(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    switch ((int)(intptr_t)c) {
    case 0: return PyFloat_FromDouble(ls_analyser_min_decibels(self->node));
    case 1: return PyFloat_FromDouble(ls_analyser_max_decibels(self->node));
    default: return PyFloat_FromDouble(ls_analyser_smoothing_time_constant(self->node));
    }
}

static int
an_set_double(lspy_NodeObject *self, PyObject *value, void *c)
{
    LIVE(self, -1);
    static const char *const names[] = {"min_decibels", "max_decibels", "smoothing_time_constant"};
    int which = (int)(intptr_t)c;
    double v;
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s'", names[which]);
        return -1;
    }
    if (lspy_arg_finite(value, NULL, names[which], &v) < 0) {
        return -1;
    }
    ls_result r = which == 0   ? ls_analyser_set_min_decibels(self->node, v)
                  : which == 1 ? ls_analyser_set_max_decibels(self->node, v)
                               : ls_analyser_set_smoothing_time_constant(self->node, v);
    return r == LS_OK ? 0 : (analyser_raise(st, r, names[which], value), -1);
}

/* Getters ------------------------------------------------------------ */

enum { GET_FLOAT_FREQ, GET_BYTE_FREQ, GET_FLOAT_TIME, GET_BYTE_TIME };

static PyObject *
new_array(Py_ssize_t n, const char *dtype)
{
    PyObject *np = PyImport_ImportModule("numpy");
    if (np == NULL) {
        return NULL;
    }
    PyObject *arr = PyObject_CallMethod(np, "empty", "ns", n, dtype);
    Py_DECREF(np);
    return arr;
}

static PyObject *
an_get(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, int kind,
       const char *fn)
{
    LIVE(self, NULL);
    static const char *const names[] = {"array", NULL};
    lspy_argspec spec = {fn, names, 1, 0};
    PyObject *v[1];
    if (lspy_parse_fast(&spec, args, nargs, kwnames, v) < 0) {
        return NULL;
    }
    const int is_byte = kind == GET_BYTE_FREQ || kind == GET_BYTE_TIME;
    const int is_freq = kind == GET_FLOAT_FREQ || kind == GET_BYTE_FREQ;
    PyObject *arr = v[0];
    if (arr == NULL || arr == Py_None) {
        uint32_t fft = ls_analyser_fft_size(self->node);
        arr = new_array(is_freq ? fft / 2 : fft, is_byte ? "uint8" : "float32");
        if (arr == NULL) {
            return NULL;
        }
    }
    else {
        Py_INCREF(arr);
    }
    Py_buffer view;
    if (PyObject_GetBuffer(arr, &view, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s(array): array must be a writable contiguous %s array, got %.200s",
                     fn, is_byte ? "uint8" : "float32", LSPY_TP_NAME(arr));
        Py_DECREF(arr);
        return NULL;
    }
    const char *f = view.format ? view.format : "B";
    if (f[0] == '@' || f[0] == '=' || f[0] == '<') {
        f++;
    }
    if (view.ndim != 1 || strcmp(f, is_byte ? "B" : "f") != 0) {
        PyErr_Format(PyExc_TypeError,
                     "%s(array): array must be a one-dimensional %s array, got format '%s' with %d "
                     "dimension%s", fn, is_byte ? "uint8" : "float32", view.format ? view.format : "B",
                     view.ndim, view.ndim == 1 ? "" : "s");
        PyBuffer_Release(&view);
        Py_DECREF(arr);
        return NULL;
    }
    size_t n = (size_t)view.shape[0];
    switch (kind) {
    case GET_FLOAT_FREQ: ls_analyser_get_float_frequency_data(self->node, view.buf, n); break;
    case GET_BYTE_FREQ: ls_analyser_get_byte_frequency_data(self->node, view.buf, n); break;
    case GET_FLOAT_TIME: ls_analyser_get_float_time_domain_data(self->node, view.buf, n); break;
    default: ls_analyser_get_byte_time_domain_data(self->node, view.buf, n); break;
    }
    PyBuffer_Release(&view);
    return arr;
}

#define GETTER(name, kind)                                                                      \
    static PyObject *name(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs,       \
                          PyObject *kwnames)                                                    \
    {                                                                                           \
        return an_get(self, args, nargs, kwnames, kind, #name + 3);                             \
    }

GETTER(an_get_float_frequency_data, GET_FLOAT_FREQ)
GETTER(an_get_byte_frequency_data, GET_BYTE_FREQ)
GETTER(an_get_float_time_domain_data, GET_FLOAT_TIME)
GETTER(an_get_byte_time_domain_data, GET_BYTE_TIME)
GETTER(an_get_frequency_data, GET_FLOAT_FREQ)

static PyGetSetDef an_getset[] = {
    {"fft_size", (getter)an_get_fft_size, (setter)an_set_fft_size,
     "FFT size: a power of two from 32 to 32768 (default 2048).", NULL},
    {"frequency_bin_count", (getter)an_get_bins, NULL, "fft_size / 2.", NULL},
    {"min_decibels", (getter)an_get_double, (setter)an_set_double,
     "dB mapped to 0 by get_byte_frequency_data (default -100).", (void *)0},
    {"max_decibels", (getter)an_get_double, (setter)an_set_double,
     "dB mapped to 255 by get_byte_frequency_data (default -30).", (void *)1},
    {"smoothing_time_constant", (getter)an_get_double, (setter)an_set_double,
     "Averaging constant with the last analysis frame, 0 to 1 (default 0.8).", (void *)2},
    {NULL}
};

#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))

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
    {NULL}
};

static PyType_Slot an_slots[] = {
    {Py_tp_traverse, lspy_bn_traverse},
    {Py_tp_clear, lspy_bn_clear},
    {Py_tp_doc, "AnalyserNode(context, options=None, *, fft_size=2048, min_decibels=-100.0,\n"
                "max_decibels=-30.0, smoothing_time_constant=0.8, channel_count=2,\n"
                "channel_count_mode='max', channel_interpretation='speakers')\n--\n\n"
                "Passes its input through unchanged and exposes its waveform and spectrum, as\n"
                "the Web Audio AnalyserNode. It keeps analysing whether or not its output is\n"
                "connected. Also made by context.create_analyser(**options).\n"
                "\n"
                "fft_size: frames analysed, a power of two from 32 to 32768 (frequency_bin_count\n"
                "is half of it). min_decibels / max_decibels (dB) bound the byte spectrum;\n"
                "smoothing_time_constant (0 to 1) averages successive spectra.\n"
                "\n"
                "    an = ctx.create_analyser(fft_size=2048)\n"
                "    src >> an >> ctx.destination\n"
                "    spectrum = an.get_float_frequency_data()   # dB, float32, frequency_bin_count values\n"
                "    wave = an.get_float_time_domain_data()     # the latest fft_size frames\n"
                "\n"
                "Errors: IndexError (IndexSizeError) for an fft_size that is not a power of two\n"
                "in range, min_decibels not below max_decibels, or a smoothing_time_constant\n"
                "outside [0, 1]; TypeError for a value that is not a number."},
    {Py_tp_new, an_new},
    {Py_tp_getset, an_getset},
    {Py_tp_methods, an_methods},
    {0, NULL}
};

PyType_Spec lspy_AnalyserNode_spec = {
    "labsound.AnalyserNode", sizeof(lspy_NodeObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, an_slots
};
