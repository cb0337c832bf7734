/*
 * The helpers the hand-bound AnalyserNode and RecorderNode and the
 * context's interpolation share (buffer_nodes.h).
 */
#include "buffer_nodes.h"
#include "nodes/nodes.h"

#include <math.h>

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */
/* ------------------------------------------------------------------ */

PyObject *
lspy_bn_kwargs(const char *fn, PyObject *ctx, PyObject *const *args, Py_ssize_t nargs,
               PyObject *kwnames, PyObject *tuple, PyObject *dict, Py_ssize_t max_pos,
               PyObject **ctx_out)
{
    PyObject *kw = PyDict_New();
    if (kw == NULL) {
        return NULL;
    }
    if (ctx != NULL) {
        *ctx_out = ctx;
        if (nargs > max_pos) {
            PyErr_Format(PyExc_TypeError, "%s() takes at most %zd positional argument%s (%zd given)",
                         fn, max_pos, max_pos == 1 ? "" : "s", nargs);
            goto error;
        }
        if (kwnames != NULL) {
            for (Py_ssize_t i = 0; i < LSPY_TUPLE_SIZE(kwnames); i++) {
                if (PyDict_SetItem(kw, LSPY_TUPLE_ITEM(kwnames, i), args[nargs + i]) < 0) {
                    goto error;
                }
            }
        }
        return kw;
    }
    Py_ssize_t n = tuple ? LSPY_TUPLE_SIZE(tuple) : 0;
    PyObject *c = n > 0 ? LSPY_TUPLE_ITEM(tuple, 0) : NULL;
    PyObject *opts = n > 1 ? LSPY_TUPLE_ITEM(tuple, 1) : NULL;
    if (n > 2) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most 2 positional arguments (%zd given)", fn, n);
        goto error;
    }
    if (dict != NULL) {
        if (PyDict_Update(kw, dict) < 0) {
            goto error;
        }
        PyObject *v = PyDict_GetItemString(kw, "context");
        if (v != NULL) {
            if (c != NULL) {
                PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument 'context'", fn);
                goto error;
            }
            c = v;
        }
        v = PyDict_GetItemString(kw, "options");
        if (v != NULL) {
            if (opts != NULL) {
                PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument 'options'", fn);
                goto error;
            }
            opts = v;
        }
        Py_XINCREF(c);
        Py_XINCREF(opts);
        if (PyDict_DelItemString(kw, "context") < 0) PyErr_Clear();
        if (PyDict_DelItemString(kw, "options") < 0) PyErr_Clear();
    }
    else {
        Py_XINCREF(c);
        Py_XINCREF(opts);
    }
    if (c == NULL) {
        Py_XDECREF(opts);
        PyErr_Format(PyExc_TypeError, "%s() missing required argument 'context' (pos 1)", fn);
        goto error;
    }
    if (opts != NULL && opts != Py_None) {
        if (!PyDict_Check(opts)) {
            PyErr_Format(PyExc_TypeError, "%s(options): options must be a dict, got %.200s", fn,
                         LSPY_TP_NAME(opts));
            Py_DECREF(c);
            Py_DECREF(opts);
            goto error;
        }
        if (PyDict_Merge(kw, opts, 0) < 0) {   /* keywords win */
            Py_DECREF(c);
            Py_DECREF(opts);
            goto error;
        }
    }
    Py_XDECREF(opts);
    *ctx_out = c;
    Py_DECREF(c);   /* still referenced by the tuple or dict the caller holds */
    return kw;
error:
    Py_DECREF(kw);
    return NULL;
}

PyObject *
lspy_bn_take(PyObject *kw, const char *name)
{
    PyObject *v = PyDict_GetItemString(kw, name);
    if (v != NULL) {
        Py_INCREF(v);
        PyDict_DelItemString(kw, name);
        Py_DECREF(v);   /* the caller's call frame (args or dict) still holds it */
    }
    return v;
}

int
lspy_bn_no_more(PyObject *kw, const char *fn)
{
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    if (PyDict_Next(kw, &pos, &key, &value)) {
        PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument %R", fn, key);
        return -1;
    }
    return 0;
}

int
lspy_bn_node_options(lspy_state *st, PyObject *kw, const char *fn, ls_node_options *o)
{
    PyObject *raw[3] = {lspy_bn_take(kw, "channel_count"), lspy_bn_take(kw, "channel_count_mode"),
                        lspy_bn_take(kw, "channel_interpretation")};
    return lspy_channel_options(st, raw, fn, o);
}

PyObject *
lspy_bn_finish(lspy_state *st, PyTypeObject *type, PyObject *ctx, ls_result r, ls_node *n,
               const char *fn)
{
    if (r != LS_OK) {
        if (r == LS_ERROR_INVALID_STATE &&
            ls_context_get_state(lspy_ctx_of(ctx)) == LS_CONTEXT_STATE_CLOSED) {
            return lspy_raise(st, r, "%s(): the context is closed", fn);
        }
        return lspy_raise_call(st, r, fn);
    }
    return lspy_node_wrap(st, type, ctx, n);
}

int
lspy_bn_live(lspy_state *st, lspy_NodeObject *self)
{
    return st == NULL ? -1 : lspy_node_check_live(self);
}

int
lspy_bn_traverse(PyObject *o, visitproc visit, void *arg)
{
    lspy_NodeObject *self = (lspy_NodeObject *)o;
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->context);
    Py_VISIT(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_VISIT(self->params[i]);
    }
    return 0;
}

int
lspy_bn_clear(PyObject *o)
{
    lspy_NodeObject *self = (lspy_NodeObject *)o;
    Py_CLEAR(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_CLEAR(self->params[i]);
    }
    Py_CLEAR(self->context);
    return 0;
}

/* ------------------------------------------------------------------ */
/* interpolation (the context's)                                       */
/* ------------------------------------------------------------------ */

/* in ls_interpolation order from LS_INTERPOLATION_LINEAR */
static const char *const interpolation_names[] = {"linear", "cubic", "sinc", NULL};

int
lspy_bn_interpolation(PyObject *o, const char *fn, const char *arg, int *out)
{
    if (o == Py_None) {
        *out = LS_INTERPOLATION_DEFAULT;
        return 0;
    }
    int e;
    if (lspy_arg_enum(o, fn, arg, interpolation_names, &e) < 0) {
        return -1;
    }
    *out = LS_INTERPOLATION_LINEAR + e;
    return 0;
}

PyObject *
lspy_bn_interpolation_name(int mode)
{
    if (mode < LS_INTERPOLATION_LINEAR || mode > LS_INTERPOLATION_SINC) {
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(interpolation_names[mode - LS_INTERPOLATION_LINEAR]);
}

int
lspy_bn_interpolation_result(lspy_state *st, ls_result r, const char *arg)
{
    if (r == LS_OK) {
        return 0;
    }
    lspy_raise_call(st, r, arg);
    return -1;
}
