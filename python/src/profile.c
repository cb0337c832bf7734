/* The render profiler for Python: labsound._core._set_profiling and the counters. */
#include "core.h"

static lspy_state *
mod_state(PyObject *module)
{
    return (lspy_state *)PyModule_GetState(module);
}

static ls_context *
context_of(lspy_state *st, PyObject *obj, const char *fn)
{
    if (!PyObject_TypeCheck(obj, st->BaseAudioContext_Type)) {
        PyErr_Format(PyExc_TypeError, "%s(context): context must be a BaseAudioContext, got %.200s", fn,
                     LSPY_TP_NAME(obj));
        return NULL;
    }
    ls_context *ctx = ((lspy_ContextObject *)obj)->ctx;
    if (ctx == NULL) {
        lspy_raise(st, LS_ERROR_INVALID_STATE, "%s: the context is closed", fn);
    }
    return ctx;
}

static PyObject *
profile_tuple(const ls_profile *p)
{
    return Py_BuildValue("(KKK)", (unsigned long long)p->quanta, (unsigned long long)p->total_ns,
                         (unsigned long long)p->max_ns);
}

/* _set_profiling(context, on) */
PyObject *
lspy_set_profiling(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    lspy_state *st = mod_state(module);
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "_set_profiling(context, on) takes 2 arguments");
        return NULL;
    }
    ls_context *ctx = context_of(st, args[0], "_set_profiling");
    if (ctx == NULL) {
        return NULL;
    }
    int on = PyObject_IsTrue(args[1]);
    if (on < 0) {
        return NULL;
    }
    ls_result r = ls_context_set_profiling(ctx, on);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "_set_profiling");
    }
    Py_RETURN_NONE;
}

/* _context_profile(context) -> (quanta, total_ns, max_ns) */
PyObject *
lspy_context_profile(PyObject *module, PyObject *arg)
{
    lspy_state *st = mod_state(module);
    ls_context *ctx = context_of(st, arg, "_context_profile");
    if (ctx == NULL) {
        return NULL;
    }
    ls_profile p;
    ls_result r = ls_context_get_profile(ctx, &p);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "_context_profile");
    }
    return profile_tuple(&p);
}

/* _node_profile(node) -> (quanta, total_ns, max_ns) */
PyObject *
lspy_node_profile(PyObject *module, PyObject *arg)
{
    lspy_state *st = mod_state(module);
    if (!PyObject_TypeCheck(arg, st->AudioNode_Type)) {
        PyErr_Format(PyExc_TypeError, "_node_profile(node): node must be an AudioNode, got %.200s",
                     LSPY_TP_NAME(arg));
        return NULL;
    }
    ls_node *node = ((lspy_NodeObject *)arg)->node;
    if (node == NULL) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE, "_node_profile: the node is gone");
    }
    ls_profile p;
    ls_result r = ls_node_get_profile(node, &p);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "_node_profile");
    }
    return profile_tuple(&p);
}
