/*
 * Error mapping and argument conversion shared by the whole extension.
 */
#include "core.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>

/* ------------------------------------------------------------------ */
/* ls_result -> exception                                              */
/* ------------------------------------------------------------------ */

static PyObject *
exception_for(lspy_state *st, ls_result r)
{
    switch (r) {
    case LS_ERROR_INDEX_SIZE:       return PyExc_IndexError;
    case LS_ERROR_RANGE:            return PyExc_ValueError;
    case LS_ERROR_NO_MEM:           return PyExc_MemoryError;
    case LS_ERROR_IO:               return PyExc_OSError;
    case LS_ERROR_INVALID_ARGUMENT: return PyExc_TypeError;
    default: break;
    }
    if (st == NULL) {
        return PyExc_RuntimeError;
    }
    switch (r) {
    case LS_ERROR_INVALID_ACCESS:   return st->InvalidAccessError;
    case LS_ERROR_INVALID_STATE:    return st->InvalidStateError;
    case LS_ERROR_NOT_SUPPORTED:    return st->NotSupportedError;
    default:                        return st->LabSoundError;
    }
}

PyObject *
lspy_raise(lspy_state *st, ls_result r, const char *fmt, ...)
{
    PyObject *exc = exception_for(st, r);
    PyObject *msg;
    if (fmt == NULL) {
        msg = PyUnicode_FromString(ls_result_string(r));
    }
    else {
        va_list va;
        va_start(va, fmt);
        msg = PyUnicode_FromFormatV(fmt, va);
        va_end(va);
    }
    if (msg == NULL) {
        return NULL;
    }
    PyErr_SetObject(exc, msg);
    Py_DECREF(msg);
    return NULL;
}

PyObject *
lspy_raise_call(lspy_state *st, ls_result r, const char *what)
{
    return lspy_raise(st, r, "%s: %s", what, ls_result_string(r));
}

/* ------------------------------------------------------------------ */
/* Argument parsing                                                    */
/* ------------------------------------------------------------------ */

static int
spec_count(const lspy_argspec *spec)
{
    int n = 0;
    while (spec->names[n] != NULL) {
        n++;
    }
    return n;
}

static int
find_name(const lspy_argspec *spec, int n, PyObject *key)
{
    if (!PyUnicode_Check(key)) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (PyUnicode_CompareWithASCIIString(key, spec->names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static int
too_many_positional(const lspy_argspec *spec, Py_ssize_t nargs)
{
    if (spec->npos == 0) {
        PyErr_Format(PyExc_TypeError,
                     "%s() takes keyword arguments only, no positional ones (%zd given)",
                     spec->fname, nargs);
    }
    else {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %d positional argument%s (%zd given)",
                     spec->fname, spec->npos, spec->npos == 1 ? "" : "s", nargs);
    }
    return -1;
}

static int
check_required(const lspy_argspec *spec, PyObject **out)
{
    for (int i = 0; i < spec->nreq; i++) {
        if (out[i] == NULL) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %d)",
                         spec->fname, spec->names[i], i + 1);
            return -1;
        }
    }
    return 0;
}

static int
put_keyword(const lspy_argspec *spec, int n, PyObject *key, PyObject *value, PyObject **out)
{
    int i = find_name(spec, n, key);
    if (i < 0) {
        PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument %R",
                     spec->fname, key);
        return -1;
    }
    if (out[i] != NULL) {
        PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'",
                     spec->fname, spec->names[i]);
        return -1;
    }
    out[i] = value;
    return 0;
}

int
lspy_parse_fast(const lspy_argspec *spec, PyObject *const *args, Py_ssize_t nargs,
              PyObject *kwnames, PyObject **out)
{
    int n = spec_count(spec);
    for (int i = 0; i < n; i++) {
        out[i] = NULL;
    }
    if (nargs > spec->npos) {
        return too_many_positional(spec, nargs);
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        out[i] = args[i];
    }
    if (kwnames != NULL) {
        Py_ssize_t nk = LSPY_TUPLE_SIZE(kwnames);
        for (Py_ssize_t k = 0; k < nk; k++) {
            if (put_keyword(spec, n, LSPY_TUPLE_ITEM(kwnames, k), args[nargs + k], out) < 0) {
                return -1;
            }
        }
    }
    return check_required(spec, out);
}

int
lspy_parse_tuple(const lspy_argspec *spec, PyObject *args, PyObject *kwargs, PyObject **out)
{
    int n = spec_count(spec);
    for (int i = 0; i < n; i++) {
        out[i] = NULL;
    }
    Py_ssize_t nargs = args ? LSPY_TUPLE_SIZE(args) : 0;
    if (nargs > spec->npos) {
        return too_many_positional(spec, nargs);
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        out[i] = LSPY_TUPLE_ITEM(args, i);
    }
    if (kwargs != NULL) {
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(kwargs, &pos, &key, &value)) {
            if (put_keyword(spec, n, key, value, out) < 0) {
                return -1;
            }
        }
    }
    return check_required(spec, out);
}

/* ------------------------------------------------------------------ */
/* Conversions                                                         */
/* ------------------------------------------------------------------ */

PyObject *
lspy_prefix(const char *fn, const char *arg)
{
    if (fn != NULL) {
        return PyUnicode_FromFormat("%s(%s)", fn, arg);
    }
    return PyUnicode_FromString(arg);
}

/* "<fn>(<arg>): <arg>" or "<arg>", the subject of a "must be" message. */
static PyObject *
subject(const char *fn, const char *arg)
{
    if (fn != NULL) {
        return PyUnicode_FromFormat("%s(%s): %s", fn, arg, arg);
    }
    return PyUnicode_FromString(arg);
}

static int
raise_must(PyObject *exc, const char *fn, const char *arg, const char *what, PyObject *got)
{
    PyObject *s = subject(fn, arg);
    if (s == NULL) {
        return -1;
    }
    PyErr_Format(exc, "%U must be %s, got %R", s, what, got);
    Py_DECREF(s);
    return -1;
}

static int
raise_type(const char *fn, const char *arg, const char *what, PyObject *got)
{
    PyObject *s = subject(fn, arg);
    if (s == NULL) {
        return -1;
    }
    PyErr_Format(PyExc_TypeError, "%U must be %s, got %.200s", s, what, LSPY_TP_NAME(got));
    Py_DECREF(s);
    return -1;
}

int
lspy_arg_double(PyObject *o, const char *fn, const char *arg, double *out)
{
    if (PyFloat_CheckExact(o)) {
        *out = LSPY_FLOAT_VALUE(o);
        return 0;
    }
    if (PyLong_Check(o)) {
        double v = PyLong_AsDouble(o);
        if (v == -1.0 && PyErr_Occurred()) {
            if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
                PyErr_Clear();
                return raise_must(PyExc_ValueError, fn, arg, "a finite number", o);
            }
            return -1;
        }
        *out = v;
        return 0;
    }
    if (PyFloat_Check(o) || LSPY_HAS_NB_FLOAT(o) || PyIndex_Check(o)) {
        double v = PyFloat_AsDouble(o);
        if (v == -1.0 && PyErr_Occurred()) {
            return -1;
        }
        *out = v;
        return 0;
    }
    return raise_type(fn, arg, "a number", o);
}

int
lspy_arg_finite(PyObject *o, const char *fn, const char *arg, double *out)
{
    if (lspy_arg_double(o, fn, arg, out) < 0) {
        return -1;
    }
    if (!isfinite(*out)) {
        return raise_must(PyExc_ValueError, fn, arg, "a finite number", o);
    }
    return 0;
}

int
lspy_arg_float(PyObject *o, const char *fn, const char *arg, float *out)
{
    double v;
    if (lspy_arg_double(o, fn, arg, &v) < 0) {
        return -1;
    }
    if (!isfinite(v) || fabs(v) > FLT_MAX) {
        return raise_must(PyExc_ValueError, fn, arg, "a finite number in the float32 range", o);
    }
    *out = (float)v;
    return 0;
}

int
lspy_arg_time(PyObject *o, const char *fn, const char *arg, double *out)
{
    if (lspy_arg_double(o, fn, arg, out) < 0) {
        return -1;
    }
    if (!isfinite(*out) || *out < 0.0) {
        return raise_must(PyExc_ValueError, fn, arg, "a finite non-negative number", o);
    }
    return 0;
}

int
lspy_arg_sample_rate(lspy_state *st, PyObject *o, const char *fn, double *out)
{
    if (lspy_arg_double(o, fn, "sample_rate", out) < 0) {
        return -1;
    }
    if (!(*out >= 3000.0 && *out <= 768000.0)) {
        lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                   "%s(sample_rate): sample_rate must be between 3000 and 768000, got %R", fn, o);
        return -1;
    }
    return 0;
}

int
lspy_arg_channels(lspy_state *st, PyObject *o, const char *fn, const char *arg, Py_ssize_t *out)
{
    if (o == NULL) {
        return 0;
    }
    if (lspy_arg_index(o, fn, arg, out) < 0) {
        return -1;
    }
    if (*out < 1 || *out > LS_MAX_CHANNELS) {
        lspy_raise(st, LS_ERROR_NOT_SUPPORTED, "%s(%s): %s must be between 1 and %d, got %zd", fn,
                   arg, arg, LS_MAX_CHANNELS, *out);
        return -1;
    }
    return 0;
}

int
lspy_arg_index(PyObject *o, const char *fn, const char *arg, Py_ssize_t *out)
{
    if (!PyIndex_Check(o)) {
        return raise_type(fn, arg, "an integer", o);
    }
    Py_ssize_t v = PyNumber_AsSsize_t(o, NULL);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    *out = v;
    return 0;
}

int
lspy_arg_enum(PyObject *o, const char *fn, const char *arg, const char *const *choices, int *out)
{
    if (!PyUnicode_Check(o)) {
        PyObject *p = lspy_prefix(fn, arg);
        if (p != NULL) {
            PyErr_Format(PyExc_TypeError, "%U: expected a string, got %.200s", p,
                         LSPY_TP_NAME(o));
            Py_DECREF(p);
        }
        return -1;
    }
    for (int i = 0; choices[i] != NULL; i++) {
        if (PyUnicode_CompareWithASCIIString(o, choices[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    /* "'a', 'b', 'c'" */
    PyObject *list = PyUnicode_FromString("");
    for (int i = 0; list != NULL && choices[i] != NULL; i++) {
        PyObject *next = PyUnicode_FromFormat("%U%s'%s'", list, i ? ", " : "", choices[i]);
        Py_DECREF(list);
        list = next;
    }
    PyObject *p = lspy_prefix(fn, arg);
    if (list != NULL && p != NULL) {
        PyErr_Format(PyExc_ValueError, "%U: %R is not one of %U", p, o, list);
    }
    Py_XDECREF(list);
    Py_XDECREF(p);
    return -1;
}

/* ------------------------------------------------------------------ */
/* Float sequences                                                     */
/* ------------------------------------------------------------------ */

static char
simple_format(const char *fmt)
{
    if (fmt == NULL) {
        return 'B';
    }
    if (fmt[0] == '@' || fmt[0] == '=' || fmt[0] == '<') {
        fmt++;
    }
    if ((fmt[0] == 'f' || fmt[0] == 'd') && fmt[1] == '\0') {
        return fmt[0];
    }
    return 0;
}

static int
check_finite(const float *v, Py_ssize_t n, const char *fn, const char *arg)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!isfinite(v[i])) {
            PyObject *got = PyFloat_FromDouble(v[i]);
            if (got == NULL) {
                return -1;
            }
            if (fn != NULL) {
                PyErr_Format(PyExc_ValueError, "%s(%s): %s[%zd] must be a finite number, got %R",
                             fn, arg, arg, i, got);
            }
            else {
                PyErr_Format(PyExc_ValueError, "%s[%zd] must be a finite number, got %R",
                             arg, i, got);
            }
            Py_DECREF(got);
            return -1;
        }
    }
    return 0;
}

int
lspy_out_array(PyObject *o, const char *fn, const char *arg, const char *format,
               const char *type_name, Py_buffer *view)
{
    if (PyObject_GetBuffer(o, view, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s(%s): %s must be a writable contiguous %s array, got %.200s",
                     fn, arg, arg, type_name, LSPY_TP_NAME(o));
        return -1;
    }
    const char *f = view->format ? view->format : "B";
    f += f[0] == '@' || f[0] == '=' || f[0] == '<';
    if (view->ndim != 1 || strcmp(f, format) != 0) {
        PyErr_Format(PyExc_TypeError,
                     "%s(%s): %s must be a one-dimensional %s array, got format '%s' with %d "
                     "dimension%s", fn, arg, arg, type_name, view->format ? view->format : "B",
                     view->ndim, view->ndim == 1 ? "" : "s");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

int
lspy_floats_get(PyObject *o, const char *fn, const char *arg, int finite, lspy_floats *out)
{
    memset(out, 0, sizeof *out);

    if (PyUnicode_Check(o) || PyBytes_Check(o) || PyByteArray_Check(o)) {
        return raise_type(fn, arg, "a sequence of numbers", o);
    }

    if (PyObject_CheckBuffer(o)) {
        if (PyObject_GetBuffer(o, &out->view, PyBUF_RECORDS_RO) == 0) {
            out->has_view = 1;
            char f = simple_format(out->view.format);
            if (out->view.ndim == 1 && (f == 'f' || f == 'd')) {
                Py_ssize_t n = out->view.shape[0];
                Py_ssize_t stride = out->view.strides[0];
                const char *base = (const char *)out->view.buf;
                out->count = n;
                if (f == 'f' && stride == (Py_ssize_t)sizeof(float)) {
                    out->data = (const float *)base;
                }
                else {
                    out->owned = PyMem_Malloc((n ? n : 1) * sizeof(float));
                    if (out->owned == NULL) {
                        lspy_floats_release(out);
                        PyErr_NoMemory();
                        return -1;
                    }
                    for (Py_ssize_t i = 0; i < n; i++) {
                        const char *p = base + i * stride;
                        double v;
                        if (f == 'f') {
                            float x;
                            memcpy(&x, p, sizeof x);
                            v = x;
                        }
                        else {
                            memcpy(&v, p, sizeof v);
                        }
                        out->owned[i] = (float)v;
                    }
                    out->data = out->owned;
                    PyBuffer_Release(&out->view);
                    out->has_view = 0;
                }
                if (finite && check_finite(out->data, n, fn, arg) < 0) {
                    lspy_floats_release(out);
                    return -1;
                }
                return 0;
            }
            if (out->view.ndim != 1) {
                Py_ssize_t ndim = out->view.ndim;
                lspy_floats_release(out);
                PyObject *s = subject(fn, arg);
                if (s != NULL) {
                    PyErr_Format(PyExc_ValueError, "%U must be one-dimensional, got %zd dimensions",
                                 s, ndim);
                    Py_DECREF(s);
                }
                return -1;
            }
            /* other element types: go through the sequence protocol */
            PyBuffer_Release(&out->view);
            out->has_view = 0;
        }
        else {
            PyErr_Clear();
        }
    }

    PyObject *seq = PySequence_Fast(o, "");
    if (seq == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            return raise_type(fn, arg, "a sequence of numbers", o);
        }
        return -1;
    }
    Py_ssize_t n = LSPY_FAST_SIZE(seq);
    out->owned = PyMem_Malloc((n ? n : 1) * sizeof(float));
    if (out->owned == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        double v;
        PyObject *item = LSPY_FAST_ITEM(seq, i);
        if (PyFloat_CheckExact(item)) {
            v = LSPY_FLOAT_VALUE(item);
        }
        else {
            char name[96];
            PyOS_snprintf(name, sizeof name, "%s[%zd]", arg, i);
            if (lspy_arg_double(item, NULL, name, &v) < 0) {
                if (fn != NULL && PyErr_ExceptionMatches(PyExc_TypeError)) {
                    PyErr_Clear();
                    PyErr_Format(PyExc_TypeError, "%s(%s): %s must be a number, got %.200s",
                                 fn, arg, name, LSPY_TP_NAME(item));
                }
                Py_DECREF(seq);
                lspy_floats_release(out);
                return -1;
            }
        }
        out->owned[i] = (float)v;
    }
    Py_DECREF(seq);
    out->data = out->owned;
    out->count = n;
    if (finite && check_finite(out->data, n, fn, arg) < 0) {
        lspy_floats_release(out);
        return -1;
    }
    return 0;
}

PyObject *
lspy_snake_case(PyObject *key)
{
    Py_ssize_t n;
    const char *s = PyUnicode_Check(key) ? PyUnicode_AsUTF8AndSize(key, &n) : NULL;
    if (s == NULL) {
        PyErr_Clear();
        return Py_NewRef(key);
    }
    char buf[128];
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = s[i];
        if (j + 2 >= (Py_ssize_t)sizeof buf || (unsigned char)c >= 0x80) {
            return Py_NewRef(key);      /* not a spec name: leave it for the caller to refuse */
        }
        if (c >= 'A' && c <= 'Z') {
            if (j > 0) {
                buf[j++] = '_';
            }
            c = (char)(c - 'A' + 'a');
        }
        buf[j++] = c;
    }
    return PyUnicode_FromStringAndSize(buf, j);
}

PyObject *
lspy_snake_keys(const char *fn, PyObject *dict)
{
    PyObject *out = PyDict_New();
    if (out == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        PyObject *k = lspy_snake_case(key);
        if (k == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        int has = PyDict_Contains(out, k);
        if (has != 0 || PyDict_SetItem(out, k, value) < 0) {
            if (has > 0) {
                PyErr_Format(PyExc_TypeError, "%s(options): %R given twice (as %R and in the "
                             "other spelling)", fn, k, key);
            }
            Py_DECREF(k);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(k);
    }
    return out;
}

int
lspy_merge_options(const char *type_name, PyObject *opts, const char *const *names,
                   Py_ssize_t n, PyObject **vals, PyObject **owned)
{
    if (opts == NULL || opts == Py_None) {
        return 0;
    }
    if (!PyDict_Check(opts)) {
        PyErr_Format(PyExc_TypeError, "%s(options): options must be a dict, got %.200s",
                     type_name, LSPY_TP_NAME(opts));
        return -1;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(opts, &pos, &key, &value)) {
        Py_ssize_t found = -1;
        if (PyUnicode_Check(key)) {
            /* the spec's camelCase names ("maxDelayTime") are accepted too */
            PyObject *snake = lspy_snake_case(key);
            if (snake == NULL) {
                return -1;
            }
            for (Py_ssize_t i = 0; i < n; i++) {
                if (PyUnicode_CompareWithASCIIString(key, names[i]) == 0 ||
                    PyUnicode_CompareWithASCIIString(snake, names[i]) == 0) {
                    found = i;
                    break;
                }
            }
            Py_DECREF(snake);
        }
        if (found < 0) {
            PyErr_Format(PyExc_TypeError, "%s(options): unknown option %R", type_name, key);
            return -1;
        }
        if (vals[found] == NULL) {      /* keywords win over the dict */
            Py_INCREF(value);
            owned[found] = value;
            vals[found] = value;
        }
    }
    return 0;
}

void
lspy_floats_release(lspy_floats *f)
{
    if (f->has_view) {
        PyBuffer_Release(&f->view);
        f->has_view = 0;
    }
    PyMem_Free(f->owned);
    f->owned = NULL;
    f->data = NULL;
    f->count = 0;
}

/* ------------------------------------------------------------------ */
/* Enum names                                                          */
/* ------------------------------------------------------------------ */

const char *const lspy_channel_count_mode_names[] = {"max", "clamped-max", "explicit", NULL};
const char *const lspy_channel_interpretation_names[] = {"speakers", "discrete", NULL};
const char *const lspy_automation_rate_names[] = {"a-rate", "k-rate", NULL};
const char *const lspy_context_state_names[] = {"suspended", "running", "closed", NULL};

/* ------------------------------------------------------------------ */
/* Limited API stand-ins (core.h)                                      */
/* ------------------------------------------------------------------ */

#ifdef Py_LIMITED_API
PyObject *
lspy_vectorcall(PyObject *f, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    /* PY_VECTORCALL_ARGUMENTS_OFFSET is the top bit of nargsf */
    Py_ssize_t nargs = (Py_ssize_t)(nargsf & ~((size_t)1 << (8 * sizeof(size_t) - 1)));
    PyObject *tuple = PyTuple_New(nargs);
    if (tuple == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Py_INCREF(args[i]);
        PyTuple_SetItem(tuple, i, args[i]);
    }
    PyObject *kwargs = NULL;
    Py_ssize_t nk = kwnames ? PyTuple_Size(kwnames) : 0;
    if (nk > 0) {
        kwargs = PyDict_New();
        if (kwargs == NULL) {
            Py_DECREF(tuple);
            return NULL;
        }
        for (Py_ssize_t k = 0; k < nk; k++) {
            if (PyDict_SetItem(kwargs, PyTuple_GetItem(kwnames, k), args[nargs + k]) < 0) {
                Py_DECREF(kwargs);
                Py_DECREF(tuple);
                return NULL;
            }
        }
    }
    PyObject *res = PyObject_Call(f, tuple, kwargs);
    Py_XDECREF(kwargs);
    Py_DECREF(tuple);
    return res;
}

/* Copy the UTF-8 of a str attribute of tp into buf; 0, or -1 (no error set). */
static int
type_attr(PyTypeObject *tp, const char *attr, char *buf, size_t size)
{
    PyObject *exc_type, *exc_value, *exc_tb;
    PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
    int rc = -1;
    PyObject *v = PyObject_GetAttrString((PyObject *)tp, attr);
    if (v != NULL && PyUnicode_Check(v)) {
        const char *s = PyUnicode_AsUTF8AndSize(v, NULL);
        if (s != NULL) {
            PyOS_snprintf(buf, size, "%s", s);
            rc = 0;
        }
    }
    Py_XDECREF(v);
    PyErr_Clear();
    PyErr_Restore(exc_type, exc_value, exc_tb);
    return rc;
}

const char *
lspy_type_name(PyTypeObject *tp)
{
    /* a ring: a message may name a few types (the GIL serializes callers) */
    static char ring[4][256];
    static unsigned next;
    char *out = ring[next++ % 4];
    char module[128], name[128];
    if (type_attr(tp, "__name__", name, sizeof name) < 0) {
        return "?";
    }
    /* tp_name is "module.Name" for static types outside builtins and for
       types made from a spec with a module (this extension's: "labsound.X"),
       the bare name for builtins and for classes defined in Python */
    int qualified = 0;
    if (type_attr(tp, "__module__", module, sizeof module) == 0 &&
        strcmp(module, "builtins") != 0) {
        if (!(PyType_GetFlags(tp) & Py_TPFLAGS_HEAPTYPE)) {
            qualified = 1;
        }
        else {
            PyObject *exc_type, *exc_value, *exc_tb;
            PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
            qualified = PyType_GetModule(tp) != NULL;
            PyErr_Clear();
            PyErr_Restore(exc_type, exc_value, exc_tb);
        }
    }
    if (qualified) {
        PyOS_snprintf(out, 256, "%s.%s", module, name);
    }
    else {
        PyOS_snprintf(out, 256, "%s", name);
    }
    return out;
}
#endif
