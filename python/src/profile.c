/* The render profiler for Python: labsound._core._set_profiling and the counters. */
#include "core.h"

static PyObject *
profile_tuple(lspy_state *st, ls_result r, const ls_profile *p, const char *fn)
{
    if (r != LS_OK) {
        return lspy_raise_call(st, r, fn);
    }
    return Py_BuildValue("(KKK)", (unsigned long long)p->quanta, (unsigned long long)p->total_ns,
                         (unsigned long long)p->max_ns);
}

/* _set_profiling(context, on) */
PyObject *
lspy_set_profiling(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    lspy_state *st = (lspy_state *)PyModule_GetState(module);
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "_set_profiling(context, on) takes 2 arguments");
        return NULL;
    }
    int on;
    if (lspy_context_check(st, args[0], "_set_profiling") < 0 || (on = PyObject_IsTrue(args[1])) < 0) {
        return NULL;
    }
    ls_result r = ls_context_set_profiling(lspy_ctx_of(args[0]), on);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "_set_profiling");
    }
    Py_RETURN_NONE;
}

/* _context_profile(context) -> (quanta, total_ns, max_ns) */
PyObject *
lspy_context_profile(PyObject *module, PyObject *arg)
{
    lspy_state *st = (lspy_state *)PyModule_GetState(module);
    ls_profile p;
    if (lspy_context_check(st, arg, "_context_profile") < 0) {
        return NULL;
    }
    return profile_tuple(st, ls_context_get_profile(lspy_ctx_of(arg), &p), &p, "_context_profile");
}

/* _node_profile(node) -> (quanta, total_ns, max_ns) */
PyObject *
lspy_node_profile(PyObject *module, PyObject *arg)
{
    lspy_state *st = (lspy_state *)PyModule_GetState(module);
    ls_node *node = lspy_node_arg(st, arg, "_node_profile");
    ls_profile p;
    if (node == NULL) {
        return NULL;
    }
    return profile_tuple(st, ls_node_get_profile(node, &p), &p, "_node_profile");
}
