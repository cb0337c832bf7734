/*
 * AudioListener (src/nodes/listener.c): the context's hidden listener node,
 * reached as context.listener. It is not an AudioNode (it cannot be
 * connected); it exposes its params and sets three of them at once.
 */
#include "nodes.h"

#define LISTENER_PARAMS 9

typedef struct {
    PyObject_HEAD
    ls_node *node;                          /* the context's listener (owned by the context) */
    PyObject *context;                      /* strong */
    PyObject *sparams[LISTENER_PARAMS];     /* param wrappers, made on first access */
    PyObject *weakreflist;
} ListenerObject;

#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))

/* Set the params pnames[0..n) of node from the call's arguments argnames
 * (NULL-terminated, n of them; NULL: x, y, z). */
PyObject *
lspy_set_params(lspy_state *st, ls_node *node, const char *fn, const char *const *argnames,
                const char *const *pnames, PyObject *const *args, Py_ssize_t nargs,
                PyObject *kwnames)
{
    static const char *const xyz[] = {"x", "y", "z", NULL};
    const char *const *an = argnames != NULL ? argnames : xyz;
    int n = 0;
    while (an[n] != NULL) {
        n++;
    }
    lspy_argspec spec = {fn, an, n, n};
    PyObject *v[6];
    float f[6];
    if (lspy_parse_fast(&spec, args, nargs, kwnames, v) < 0) {
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        if (lspy_arg_float(v[i], fn, an[i], &f[i]) < 0) {
            return NULL;
        }
    }
    for (int i = 0; i < n; i++) {
        ls_result r = ls_param_set_value(ls_node_param_by_name(node, pnames[i]), f[i]);
        if (r != LS_OK) {
            return lspy_raise_call(st, r, fn);
        }
    }
    Py_RETURN_NONE;
}

/* The listener's params: position (0-2), forward (3-5), up (6-8). */
static const char *const lnames[LISTENER_PARAMS] = {
    "position_x", "position_y", "position_z", "forward_x", "forward_y",
    "forward_z",  "up_x",       "up_y",       "up_z"};

/* ------------------------------------------------------------------ */
/* AudioListener                                                       */
/* ------------------------------------------------------------------ */

#define LST(o) ((ListenerObject *)(o))

static int
listener_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(LST(self)->context);
    for (int i = 0; i < LISTENER_PARAMS; i++) {
        Py_VISIT(LST(self)->sparams[i]);
    }
    return 0;
}

static int
listener_clear(PyObject *self)
{
    for (int i = 0; i < LISTENER_PARAMS; i++) {
        Py_CLEAR(LST(self)->sparams[i]);
    }
    LST(self)->node = NULL;
    Py_CLEAR(LST(self)->context);
    return 0;
}

static void
listener_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (LST(self)->weakreflist != NULL) {
        PyObject_ClearWeakRefs(self);
    }
    listener_clear(self);
    LSPY_FREE(tp, self);
    Py_DECREF(tp);
}

static PyObject *
listener_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyErr_SetString(PyExc_TypeError,
                    "AudioListener cannot be instantiated; use the context's listener attribute");
    return NULL;
}

static int
listener_live(lspy_state *st, PyObject *self)
{
    if (st == NULL) {
        return -1;
    }
    if (LST(self)->node == NULL) {
        lspy_raise(st, LS_ERROR_INVALID_STATE, "the listener's context is gone");
        return -1;
    }
    return 0;
}

static PyObject *
listener_get_param(PyObject *self, void *closure)
{
    int slot = (int)(intptr_t)closure;
    lspy_state *st = LSPY_STATE(self);
    if (listener_live(st, self) < 0) {
        return NULL;
    }
    PyObject **cache = &LST(self)->sparams[slot];
    if (*cache == NULL) {
        ls_param *p = ls_node_param_by_name(LST(self)->node, lnames[slot]);
        if (p == NULL) {
            return lspy_raise(st, LS_ERROR_INVALID_STATE, "%s: no such parameter", lnames[slot]);
        }
        *cache = lspy_param_wrap(st, p, LST(self)->context);
        if (*cache == NULL) {
            return NULL;
        }
    }
    Py_INCREF(*cache);
    return *cache;
}

static PyObject *
listener_set_position(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (listener_live(st, self) < 0) {
        return NULL;
    }
    return lspy_set_params(st, LST(self)->node, "set_position", NULL, lnames, args, nargs, kw);
}

static PyObject *
listener_set_orientation(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    static const char *const names[] = {"x", "y", "z", "x_up", "y_up", "z_up", NULL};
    lspy_state *st = LSPY_STATE(self);
    if (listener_live(st, self) < 0) {
        return NULL;
    }
    return lspy_set_params(st, LST(self)->node, "set_orientation", names, lnames + 3, args, nargs,
                           kw);
}

#define LPARAM(i, name, what) \
    {name, listener_get_param, NULL, what " (AudioParam).", (void *)(intptr_t)(i)}

static PyGetSetDef listener_getset[] = {
    LPARAM(0, "position_x", "Listener position, x"), LPARAM(1, "position_y", "Listener position, y"),
    LPARAM(2, "position_z", "Listener position, z"), LPARAM(3, "forward_x", "Facing direction, x"),
    LPARAM(4, "forward_y", "Facing direction, y"),   LPARAM(5, "forward_z", "Facing direction, z"),
    LPARAM(6, "up_x", "Up direction, x"),            LPARAM(7, "up_y", "Up direction, y"),
    LPARAM(8, "up_z", "Up direction, z"),            {NULL}};

static PyMethodDef listener_methods[] = {
    {"set_position", CAST(listener_set_position), FAST,
     "set_position($self, /, x, y, z)\n--\n\nSet position_x/y/z's values."},
    {"set_orientation", CAST(listener_set_orientation), FAST,
     "set_orientation($self, /, x, y, z, x_up, y_up, z_up)\n--\n\n"
     "Set the forward and up vectors' values."},
    {NULL}
};

static PyMemberDef listener_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(ListenerObject, weakreflist), READONLY, NULL},
    {NULL}
};

static PyType_Slot listener_slots[] = {
    {Py_tp_doc, "AudioListener: where every PannerNode of the context is heard from\n"
                "(context.listener).\n"
                "\n"
                "position_x/y/z (the listener's position, in the same units as the panners'),\n"
                "forward_x/y/z (where it faces, default -z) and up_x/y/z (its top, default +y)\n"
                "are AudioParams, so they can be automated; set_position(x, y, z) and\n"
                "set_orientation(fx, fy, fz, ux, uy, uz) set them at once.\n"
                "\n"
                "    ctx.listener.set_position(0, 0, 0)\n"
                "    ctx.listener.position_x.linear_ramp_to_value_at_time(5.0, 2.0)\n"
                "\n"
                "Errors: ValueError for values that are not finite."},
    {Py_tp_new, listener_new},
    {Py_tp_dealloc, listener_dealloc},
    {Py_tp_traverse, listener_traverse},
    {Py_tp_clear, listener_clear},
    {Py_tp_getset, listener_getset},
    {Py_tp_methods, listener_methods},
    {Py_tp_members, listener_members},
    {0, NULL}
};

static PyType_Spec listener_spec = {
    "labsound.AudioListener", sizeof(ListenerObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, listener_slots
};

PyObject *
lspy_context_get_listener(PyObject *self, void *closure)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        return NULL;
    }
    ls_context *c = lspy_ctx_of(self);
    if (c == NULL) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE, "the context is not initialized");
    }
    ls_node *n = ls_context_listener(c);
    if (n == NULL) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE,
                          "listener: the context was closed before its listener was first used");
    }
    PyTypeObject *tp = st->AudioListener_Type;
    ListenerObject *l = (ListenerObject *)LSPY_ALLOC(tp);
    if (l == NULL) {
        return NULL;
    }
    l->node = n;
    Py_INCREF(self);
    l->context = self;
    return (PyObject *)l;
}

int
lspy_listener_init(PyObject *m, lspy_state *st)
{
    PyObject *t = PyType_FromModuleAndSpec(m, &listener_spec, NULL);
    if (t == NULL) {
        return -1;
    }
    st->AudioListener_Type = (PyTypeObject *)t;
    Py_INCREF(t);
    if (PyModule_AddObject(m, "AudioListener", t) < 0) {
        Py_DECREF(t);
        return -1;
    }
    return 0;
}
