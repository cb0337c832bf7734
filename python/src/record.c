/*
 * What a context holds on its control side, as Python data
 * (include/labsound/record.h): labsound._core._graph_record and the readers
 * of values only a constructor takes. labsound._graph builds ctx.to_dict()
 * from these.
 */
#include "core.h"

#include <labsound/buffers.h>
#include <labsound/descriptor.h>
#include <labsound/extended.h>
#include <labsound/filters.h>
#include <labsound/record.h>
#include <labsound/script.h>
#include <labsound/spatial.h>

static lspy_state *
mod_state(PyObject *module)
{
    return (lspy_state *)PyModule_GetState(module);
}

ls_node *
lspy_node_arg(lspy_state *st, PyObject *o, const char *fn)
{
    if (!PyObject_TypeCheck(o, st->AudioNode_Type)) {
        PyErr_Format(PyExc_TypeError, "%s(node): node must be an AudioNode, got %.200s", fn,
                     LSPY_TP_NAME(o));
        return NULL;
    }
    ls_node *n = ((lspy_NodeObject *)o)->node;
    if (n == NULL) {
        lspy_raise(st, LS_ERROR_INVALID_STATE, "%s(node): the node has been released", fn);
    }
    return n;
}

/* a list of floats from n floats (f) or doubles (d) */
static PyObject *
floats_list(const float *f, const double *d, size_t n)
{
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; l != NULL && i < n; i++) {
        PyObject *v = PyFloat_FromDouble(f ? (double)f[i] : d[i]);
        if (v == NULL) {
            Py_CLEAR(l);
            break;
        }
        PyList_SetItem(l, (Py_ssize_t)i, v);
    }
    return l;
}

/* (a, b) or (a, b, extra) of two new lists (stolen); NULL when either is */
static PyObject *
lists_pair(PyObject *a, PyObject *b, PyObject *extra)
{
    if (a == NULL || b == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        return NULL;
    }
    return extra ? Py_BuildValue("(NNO)", a, b, extra) : Py_BuildValue("(NN)", a, b);
}

/* [(engine name, initial value, [(type, value, time, time_constant,
 * duration, curve or None, rate), ...]), ...] of a node's params. */
static PyObject *
params_of(lspy_state *st, ls_node *n)
{
    uint32_t np = ls_node_param_count(n);
    PyObject *out = PyList_New(0);
    ls_param_record *recs = NULL;
    size_t cap = 0;
    for (uint32_t i = 0; out != NULL && i < np; i++) {
        ls_param *p = ls_node_param(n, i);
        size_t count = 0;
        ls_result r;
        for (;;) {
            r = ls_param_records(p, recs, cap, &count);
            if ((r != LS_OK && r != LS_ERROR_NO_MEM) || count <= cap) {
                break;
            }
            ls_param_record *bigger = PyMem_Realloc(recs, sizeof *recs * count);
            if (bigger == NULL) {
                PyErr_NoMemory();
                Py_CLEAR(out);
                goto done;
            }
            recs = bigger;
            cap = count;
        }
        if (r != LS_OK) {
            lspy_raise(st, r, "to_dict(): the calls made on the param %s could not all be "
                       "recorded", ls_param_name(p));
            Py_CLEAR(out);
            goto done;
        }
        PyObject *events = PyList_New((Py_ssize_t)count);
        for (size_t k = 0; events != NULL && k < count; k++) {
            const ls_param_record *e = &recs[k];
            PyObject *curve;
            if (e->curve_length) {
                curve = floats_list(e->curve, NULL, e->curve_length);
            } else {
                curve = Py_None;
                Py_INCREF(curve);
            }
            PyObject *t = curve == NULL ? NULL :
                Py_BuildValue("(ifdddNi)", (int)e->type, (double)e->value, e->time,
                              e->time_constant, e->duration, curve, (int)e->rate);
            if (t == NULL) {
                Py_CLEAR(events);
                break;
            }
            PyList_SetItem(events, (Py_ssize_t)k, t);
        }
        PyObject *item = events == NULL ? NULL :
            Py_BuildValue("(sdN)", ls_param_name(p), (double)ls_param_initial_value(p), events);
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(out);
            break;
        }
        Py_DECREF(item);
    }
done:
    PyMem_Free(recs);
    return out;
}

/* [(type, when, offset, duration, loop_count), ...] */
static PyObject *
calls_of(lspy_state *st, ls_node *n)
{
    size_t count = 0;
    ls_result r = ls_node_call_records(n, NULL, 0, &count);
    if (r != LS_OK) {
        return lspy_raise(st, r, "to_dict(): the scheduling calls could not all be recorded");
    }
    ls_call_record *calls = PyMem_Calloc(count ? count : 1, sizeof *calls);
    if (calls == NULL) {
        return PyErr_NoMemory();
    }
    size_t got = 0;
    r = ls_node_call_records(n, calls, count, &got);
    if (got < count) {
        count = got;
    }
    PyObject *out = r != LS_OK ? lspy_raise_call(st, r, "to_dict()") : PyList_New((Py_ssize_t)count);
    for (size_t k = 0; out != NULL && k < count; k++) {
        PyObject *t = Py_BuildValue("(idddi)", (int)calls[k].type, calls[k].when, calls[k].offset,
                                    calls[k].duration, (int)calls[k].loop_count);
        if (t == NULL) {
            Py_CLEAR(out);
            break;
        }
        PyList_SetItem(out, (Py_ssize_t)k, t);
    }
    PyMem_Free(calls);
    return out;
}

/* Where a connection goes: a node's serial, "destination" or "listener". */
static PyObject *
target_of(ls_context *ctx, ls_node *dst)
{
    if (dst == ls_context_destination(ctx)) {
        return PyUnicode_FromString("destination");
    }
    if (dst == ls_context_listener_node(ctx)) {
        return PyUnicode_FromString("listener");
    }
    return PyLong_FromUnsignedLongLong(ls_node_serial(dst));
}

/* Append the connections leaving n to out: (from serial, output, to,
 * input or None, param engine name or None, connection serial). */
static int
connections_of(lspy_state *st, ls_context *ctx, ls_node *n, PyObject *out)
{
    size_t count = 0;
    ls_connection_info *info = NULL;
    ls_result r = ls_node_connections(n, NULL, 0, &count);
    while (r == LS_OK) {
        size_t cap = count;
        PyMem_Free(info);
        info = PyMem_Calloc(cap ? cap : 1, sizeof *info);
        if (info == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        r = ls_node_connections(n, info, cap, &count);
        if (count <= cap) {
            break;
        }
    }
    if (r != LS_OK) {
        PyMem_Free(info);
        lspy_raise_call(st, r, "to_dict()");
        return -1;
    }
    int rc = 0;
    for (size_t k = 0; k < count; k++) {
        PyObject *to = target_of(ctx, info[k].dst);
        PyObject *t = to == NULL ? NULL :
            info[k].param != NULL ?
            Py_BuildValue("(KINOsK)", (unsigned long long)ls_node_serial(n), info[k].output, to,
                          Py_None, ls_param_name(info[k].param),
                          (unsigned long long)info[k].serial) :
            Py_BuildValue("(KINIOK)", (unsigned long long)ls_node_serial(n), info[k].output, to,
                          info[k].input, Py_None, (unsigned long long)info[k].serial);
        if (t == NULL || PyList_Append(out, t) < 0) {
            Py_XDECREF(t);
            rc = -1;
            break;
        }
        Py_DECREF(t);
    }
    PyMem_Free(info);
    return rc;
}

/*
 * _graph_record(context, classes) -> dict
 *   "nodes": [(wrapper, type, serial, is_script, params, calls), ...]
 *            oldest first; wrapper: the node's live wrapper, else a new one
 *            of classes[type] (a plain AudioNode for script nodes and types
 *            classes does not name)
 *   "connections": [(from, output, to, input, param, serial), ...]
 *   "listener": params of the listener, or None when it was never used
 */
static PyObject *
graph_record(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    lspy_state *st = mod_state(module);
    if (nargs != 2 || !PyObject_TypeCheck(args[0], st->BaseAudioContext_Type) ||
        !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "_graph_record(context, classes): a context and a dict");
        return NULL;
    }
    PyObject *context = args[0], *classes = args[1];
    ls_context *ctx = lspy_ctx_of(context);
    if (ctx == NULL) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE, "to_dict(): the context is closed");
    }
    size_t count = 0, cap = 0;
    ls_node **nodes = NULL;
    ls_result r = ls_context_nodes(ctx, NULL, 0, &count);
    while (r == LS_OK && count > cap) {
        PyMem_Free(nodes);
        cap = count;
        nodes = PyMem_Calloc(cap, sizeof *nodes);
        if (nodes == NULL) {
            return PyErr_NoMemory();
        }
        r = ls_context_nodes(ctx, nodes, cap, &count);
        if (r == LS_OK && count > cap) {
            for (size_t i = 0; i < cap; i++) {
                ls_node_release(nodes[i]);
            }
        }
    }
    if (r != LS_OK) {
        PyMem_Free(nodes);
        return lspy_raise(st, r, "to_dict(): the graph cannot be read while the context renders");
    }
    PyObject *result = NULL, *list = PyList_New(0), *conns = PyList_New(0);
    size_t i = 0;
    if (list == NULL || conns == NULL) {
        goto error;
    }
    for (; i < count; i++) {
        ls_node *n = nodes[i];
        int type = (int)ls_node_get_type(n);
        int is_script = 0;
        if (type == (int)LS_NODE_TYPE_SCRIPT) {
            ls_script *s = ls_script_of(n);
            is_script = s != NULL;
            ls_script_release(s);
        }
        PyObject *params = params_of(st, n);
        PyObject *calls = params == NULL ? NULL : calls_of(st, n);
        if (calls == NULL || connections_of(st, ctx, n, conns) < 0) {
            Py_XDECREF(params);
            Py_XDECREF(calls);
            goto error;
        }
        PyObject *cls = NULL, *key = PyLong_FromLong(type);
        if (key == NULL) {
            Py_DECREF(params);
            Py_DECREF(calls);
            goto error;
        }
        if (!is_script) {
            cls = PyDict_GetItemWithError(classes, key);
        }
        Py_DECREF(key);
        PyObject *wrapper;
        lspy_NodeObject *live = (lspy_NodeObject *)ls_node_user_data(n);
        if (PyErr_Occurred()) {
            wrapper = NULL;
        } else if (live != NULL && live->node == n && live->context == context) {
            /* the wrapper the user holds (lspy_node_wrap keeps the newest) */
            wrapper = (PyObject *)live;
            Py_INCREF(wrapper);
        } else {
            /* a type classes does not name is wrapped as a plain AudioNode */
            if (cls == NULL || !PyType_Check(cls) ||
                !PyType_IsSubtype((PyTypeObject *)cls, st->AudioNode_Type)) {
                cls = (PyObject *)st->AudioNode_Type;
            }
            wrapper = lspy_node_wrap(st, (PyTypeObject *)cls, context, n);  /* takes n */
            nodes[i] = NULL;
        }
        PyObject *t = wrapper == NULL ? NULL :
            Py_BuildValue("(NiKiNN)", wrapper, type, (unsigned long long)ls_node_serial(n),
                          is_script, params, calls);
        if (wrapper == NULL) {
            Py_DECREF(params);
            Py_DECREF(calls);
        }
        if (t == NULL || PyList_Append(list, t) < 0) {
            Py_XDECREF(t);
            goto error;
        }
        Py_DECREF(t);
        if (nodes[i] != NULL) {
            ls_node_release(nodes[i]);
            nodes[i] = NULL;
        }
    }
    PyObject *listener;
    ls_node *ln = ls_context_listener_node(ctx);
    if (ln != NULL) {
        listener = params_of(st, ln);
        if (listener == NULL || connections_of(st, ctx, ln, conns) < 0) {
            Py_XDECREF(listener);
            goto error;
        }
    } else {
        listener = Py_None;
        Py_INCREF(listener);
    }
    result = Py_BuildValue("{sOsOsN}", "nodes", list, "connections", conns, "listener", listener);
error:
    for (; i < count; i++) {
        if (nodes[i] != NULL) {
            ls_node_release(nodes[i]);
        }
    }
    PyMem_Free(nodes);
    Py_XDECREF(list);
    Py_XDECREF(conns);
    return result;
}

/* _graph_node_type(node) -> the engine's node type number */
static PyObject *
graph_node_type(PyObject *module, PyObject *node)
{
    ls_node *n = lspy_node_arg(mod_state(module), node, "_graph_node_type");
    return n == NULL ? NULL : PyLong_FromLong((long)ls_node_get_type(n));
}

/* _oscillator_wave(osc) -> None, or (identity, real, imag, disable_normalization) */
static PyObject *
oscillator_wave(PyObject *module, PyObject *node)
{
    ls_node *n = lspy_node_arg(mod_state(module), node, "_oscillator_wave");
    if (n == NULL) {
        return NULL;
    }
    ls_periodic_wave *w = ls_oscillator_periodic_wave(n);
    if (w == NULL) {
        Py_RETURN_NONE;
    }
    const float *re, *im;
    size_t len;
    int dn;
    PyObject *out = NULL;
    if (ls_periodic_wave_coefficients(w, &re, &im, &len, &dn) == LS_OK) {
        PyObject *a = floats_list(re, NULL, len), *b = a ? floats_list(im, NULL, len) : NULL;
        out = b == NULL ? NULL :
            Py_BuildValue("(NNNO)", PyLong_FromVoidPtr(w), a, b, dn ? Py_True : Py_False);
        if (b == NULL) {
            Py_XDECREF(a);
        }
    } else {
        out = Py_None;
        Py_INCREF(out);
    }
    ls_periodic_wave_release(w);
    return out;
}

/* _periodic_wave_coefficients(wave) -> (real, imag, disable_normalization) */
static PyObject *
periodic_wave_coefficients(PyObject *module, PyObject *wave)
{
    lspy_state *st = mod_state(module);
    if (!PyObject_TypeCheck(wave, st->PeriodicWave_Type)) {
        PyErr_Format(PyExc_TypeError, "_periodic_wave_coefficients(wave): expected a PeriodicWave, "
                     "got %.200s", LSPY_TP_NAME(wave));
        return NULL;
    }
    const float *re, *im;
    size_t len;
    int dn;
    ls_result r = ls_periodic_wave_coefficients(((lspy_WaveObject *)wave)->wave, &re, &im, &len, &dn);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "_periodic_wave_coefficients()");
    }
    PyObject *a = floats_list(re, NULL, len), *b = a ? floats_list(im, NULL, len) : NULL;
    return lists_pair(a, b, dn ? Py_True : Py_False);
}

/* _iir_coefficients(node) -> (feedforward, feedback) */
static PyObject *
iir_coefficients(PyObject *module, PyObject *node)
{
    lspy_state *st = mod_state(module);
    ls_node *n = lspy_node_arg(st, node, "_iir_coefficients");
    if (n == NULL) {
        return NULL;
    }
    const double *ff, *fb;
    size_t nff, nfb;
    ls_result r = ls_iir_filter_coefficients(n, &ff, &nff, &fb, &nfb);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "_iir_coefficients()");
    }
    PyObject *a = floats_list(NULL, ff, nff), *b = a ? floats_list(NULL, fb, nfb) : NULL;
    return lists_pair(a, b, NULL);
}

/* _convolver_buffer(node) -> the AudioBuffer the engine holds, or None */
static PyObject *
convolver_buffer(PyObject *module, PyObject *node)
{
    lspy_state *st = mod_state(module);
    ls_node *n = lspy_node_arg(st, node, "_convolver_buffer");
    if (n == NULL) {
        return NULL;
    }
    ls_buffer *b = ls_convolver_get_buffer(n);   /* borrowed, or NULL */
    if (b == NULL) {
        Py_RETURN_NONE;
    }
    ls_buffer_retain(b);
    return lspy_buffer_wrap(st, b);                /* takes the reference */
}

/* _max_delay_time(node) -> the max_delay_time a delay node was made with */
static PyObject *
max_delay_time(PyObject *module, PyObject *node)
{
    lspy_state *st = mod_state(module);
    ls_node *n = lspy_node_arg(st, node, "_max_delay_time");
    if (n == NULL) {
        return NULL;
    }
    switch (ls_node_get_type(n)) {
    case LS_NODE_TYPE_DELAY:
        return PyFloat_FromDouble(ls_delay_max_delay_time(n));
    case LS_NODE_TYPE_BPM_DELAY:
        return PyFloat_FromDouble(ls_bpm_delay_max_delay_time(n));
    case LS_NODE_TYPE_PING_PONG_DELAY:
        return PyFloat_FromDouble(ls_ping_pong_delay_max_delay_time(n));
    default:
        return lspy_raise(st, LS_ERROR_INVALID_ARGUMENT, "_max_delay_time(node): not a delay node");
    }
}

/* _param_records(param) -> (engine name, value at creation, [(type, value,
 * time, time_constant, duration, curve or None, rate), ...]): the calls made
 * on one param */
static PyObject *
param_records(PyObject *module, PyObject *param)
{
    lspy_state *st = mod_state(module);
    if (!PyObject_TypeCheck(param, st->AudioParam_Type)) {
        PyErr_Format(PyExc_TypeError, "_param_records(param): expected an AudioParam, got %.200s",
                     LSPY_TP_NAME(param));
        return NULL;
    }
    ls_param *p = ((lspy_ParamObject *)param)->param;
    ls_node *n = ls_param_node(p);
    PyObject *all = params_of(st, n);
    if (all == NULL) {
        return NULL;
    }
    PyObject *out = NULL;
    for (Py_ssize_t i = 0; i < PyList_Size(all); i++) {
        PyObject *item = PyList_GetItem(all, i);
        if (ls_node_param(n, (uint32_t)i) == p) {
            out = item;
            Py_INCREF(out);
            break;
        }
    }
    Py_DECREF(all);
    if (out == NULL && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_ValueError, "_param_records(param): the param is not its node's");
    }
    return out;
}

/* _node_settings(node) -> None when the node's type has no descriptor, else
 * {name: value} of its settings read through the descriptor's getters
 * (numbers, bools, enum names, buffers; other kinds left out) */
static PyObject *
node_settings(PyObject *module, PyObject *node)
{
    lspy_state *st = mod_state(module);
    ls_node *n = lspy_node_arg(st, node, "_node_settings");
    if (n == NULL) {
        return NULL;
    }
    const ls_node_descriptor *t = ls_node_type_of(n);
    if (t == NULL) {
        Py_RETURN_NONE;
    }
    PyObject *out = PyDict_New();
    for (uint32_t k = 0; out != NULL && k < t->setting_count; k++) {
        const ls_setting_descriptor *sd = &t->settings[k];
        ls_value v = {0};
        if (sd->get == NULL || sd->get(n, &v) != LS_OK) {
            continue;
        }
        PyObject *x;
        if (sd->kind == LS_VALUE_BUFFER) {
            x = v.p == NULL ? (Py_INCREF(Py_None), Py_None) :
                (ls_buffer_retain((ls_buffer *)v.p), lspy_buffer_wrap(st, (ls_buffer *)v.p));
        } else if (sd->kind <= LS_VALUE_ENUM) {
            x = lspy_setting_to_py(sd, &v);
        } else {
            continue;       /* waves, arrays, objects: read elsewhere */
        }
        if (x == NULL || PyDict_SetItemString(out, sd->name, x) < 0) {
            Py_CLEAR(out);
        }
        Py_XDECREF(x);
    }
    return out;
}

PyMethodDef lspy_record_methods[] = {
    {"_node_settings", node_settings, METH_O,
     "_node_settings($module, node, /)\n--\n\n"
     "None, or the node's settings read through its type's descriptor."},
    {"_max_delay_time", max_delay_time, METH_O,
     "_max_delay_time($module, node, /)\n--\n\nThe max_delay_time a delay node was made with."},
    {"_param_records", param_records, METH_O,
     "_param_records($module, param, /)\n--\n\n(name, value at creation, calls made on it)."},
    {"_graph_record", (PyCFunction)(void (*)(void))graph_record, METH_FASTCALL,
     "_graph_record($module, context, classes, /)\n--\n\n"
     "The context's nodes, connections and listener as the engine records them."},
    {"_graph_node_type", graph_node_type, METH_O,
     "_graph_node_type($module, node, /)\n--\n\nThe engine's type number of a node."},
    {"_oscillator_wave", oscillator_wave, METH_O,
     "_oscillator_wave($module, node, /)\n--\n\n"
     "None, or (identity, real, imag, disable_normalization) of its custom wave."},
    {"_periodic_wave_coefficients", periodic_wave_coefficients, METH_O,
     "_periodic_wave_coefficients($module, wave, /)\n--\n\n"
     "(real, imag, disable_normalization) a PeriodicWave was made from."},
    {"_iir_coefficients", iir_coefficients, METH_O,
     "_iir_coefficients($module, node, /)\n--\n\n(feedforward, feedback) of an IIR filter."},
    {"_convolver_buffer", convolver_buffer, METH_O,
     "_convolver_buffer($module, node, /)\n--\n\nThe AudioBuffer a ConvolverNode holds."},
    {NULL, NULL, 0, NULL}
};
