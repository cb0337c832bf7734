/*
 * AudioParam: value, range, automation rate and the automation timeline.
 * Each automation method returns the param so calls chain.
 */
#include "core.h"

#include <math.h>

#define PARAM(o) ((lspy_ParamObject *)(o))

PyObject *
lspy_param_wrap(lspy_state *st, ls_param *p, PyObject *context)
{
    PyTypeObject *type = st->AudioParam_Type;
    lspy_ParamObject *self = (lspy_ParamObject *)LSPY_ALLOC(type);
    if (self == NULL) {
        return NULL;
    }
    self->param = p;
    self->node = ls_param_node(p);
    ls_node_retain(self->node);
    Py_INCREF(context);
    self->context = context;
    return (PyObject *)self;
}

static int
param_traverse(lspy_ParamObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->context);
    return 0;
}

static int
param_clear(lspy_ParamObject *self)
{
    /* The node goes first, while the context is still referenced: the
     * listener belongs to its context and is freed with it, so a param of
     * the listener cleared as cyclic garbage must not touch it afterwards. */
    if (self->node != NULL) {
        ls_node *n = self->node;
        self->node = NULL;
        self->param = NULL;
        ls_node_release(n);
    }
    Py_CLEAR(self->context);
    return 0;
}

static void
param_dealloc(lspy_ParamObject *self)
{
    /* param_clear: the node before the context may go */
    lspy_dealloc((PyObject *)self, self->weakreflist, (inquiry)param_clear);
}

static PyObject *
param_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyErr_SetString(PyExc_TypeError,
                    "AudioParam cannot be instantiated directly; params belong to nodes");
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Attributes                                                          */
/* ------------------------------------------------------------------ */

static PyObject *
param_get_value(lspy_ParamObject *self, void *closure)
{
    return PyFloat_FromDouble(ls_param_value(self->param));
}

static int
param_set_value(lspy_ParamObject *self, PyObject *value, void *closure)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'value'");
        return -1;
    }
    float v;
    if (lspy_arg_float(value, NULL, "value", &v) < 0) {
        return -1;
    }
    ls_result r = ls_param_set_value(self->param, v);
    if (r != LS_OK) {
        if (r == LS_ERROR_NOT_SUPPORTED) {
            lspy_raise(st, r, "value: cannot set %R while a value curve is running", value);
        }
        else {
            lspy_raise(st, r, "value: cannot set %R (%s)", value, ls_result_string(r));
        }
        return -1;
    }
    return 0;
}

static PyObject *
param_get_default(lspy_ParamObject *self, void *closure)
{
    return PyFloat_FromDouble(ls_param_default_value(self->param));
}

static PyObject *
param_get_min(lspy_ParamObject *self, void *closure)
{
    return PyFloat_FromDouble(ls_param_min_value(self->param));
}

static PyObject *
param_get_max(lspy_ParamObject *self, void *closure)
{
    return PyFloat_FromDouble(ls_param_max_value(self->param));
}

static PyObject *
param_get_name(lspy_ParamObject *self, void *closure)
{
    const char *name = ls_param_name(self->param);
    return PyUnicode_FromString(name ? name : "");
}

/* The owning engine node's identity (node.c's _engine_id). */
static PyObject *
param_get_node_id(lspy_ParamObject *self, void *closure)
{
    return PyLong_FromVoidPtr(self->node);
}

static PyObject *
param_get_rate(lspy_ParamObject *self, void *closure)
{
    unsigned r = (unsigned)ls_param_automation_rate(self->param);
    return PyUnicode_FromString(r <= 1 ? lspy_automation_rate_names[r] : "a-rate");
}

static int
param_set_rate(lspy_ParamObject *self, PyObject *value, void *closure)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'automation_rate'");
        return -1;
    }
    int v;
    if (lspy_arg_enum(value, NULL, "automation_rate", lspy_automation_rate_names, &v) < 0) {
        return -1;
    }
    ls_result r = ls_param_set_automation_rate(self->param, (ls_automation_rate)v);
    if (r != LS_OK) {
        if (r == LS_ERROR_INVALID_STATE) {
            lspy_raise(st, r, "automation_rate: the %s parameter's rate is fixed; cannot set %R",
                     ls_param_name(self->param), value);
        }
        else {
            lspy_raise(st, r, "automation_rate: cannot set %R (%s)", value, ls_result_string(r));
        }
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Automation                                                          */
/* ------------------------------------------------------------------ */

static PyObject *
automation_result(lspy_state *st, lspy_ParamObject *self, ls_result r, const char *fn)
{
    if (r != LS_OK) {
        if (r == LS_ERROR_NOT_SUPPORTED) {
            return lspy_raise(st, r, "%s(): the event overlaps a scheduled value curve", fn);
        }
        return lspy_raise_call(st, r, fn);
    }
    Py_INCREF(self);
    return (PyObject *)self;
}

/* The seven automation methods: one parser, the arguments checked in the
 * order they come, each call its engine function. */
enum { SET_VALUE, LINEAR, EXPONENTIAL, TARGET, CURVE, CANCEL, HOLD };

static const char *const svat_names[] = {"value", "start_time", NULL};
static const char *const ramp_names[] = {"value", "end_time", NULL};
static const char *const target_names[] = {"target", "start_time", "time_constant", NULL};
static const char *const curve_names[] = {"values", "start_time", "duration", NULL};
static const char *const cancel_names[] = {"cancel_time", NULL};
static const lspy_argspec automation_specs[] = {
    {"set_value_at_time", svat_names, 2, 2},
    {"linear_ramp_to_value_at_time", ramp_names, 2, 2},
    {"exponential_ramp_to_value_at_time", ramp_names, 2, 2},
    {"set_target_at_time", target_names, 3, 3},
    {"set_value_curve_at_time", curve_names, 3, 3},
    {"cancel_scheduled_values", cancel_names, 1, 1},
    {"cancel_and_hold_at_time", cancel_names, 1, 1},
};

static PyObject *
set_curve(lspy_state *st, lspy_ParamObject *self, PyObject *const *v, double t, const char *fn)
{
    double duration;
    if (lspy_arg_double(v[2], fn, "duration", &duration) < 0) {
        return NULL;
    }
    if (!isfinite(duration) || duration <= 0.0) {
        PyErr_Format(PyExc_ValueError, "%s(duration): duration must be a finite positive number, got %R",
                     fn, v[2]);
        return NULL;
    }
    lspy_floats f;
    if (lspy_floats_get(v[0], fn, "values", 1, &f) < 0) {
        return NULL;
    }
    if (f.count < 2) {
        Py_ssize_t n = f.count;
        lspy_floats_release(&f);
        return lspy_raise(st, LS_ERROR_INVALID_STATE,
                        "%s(values): values must have at least 2 points, got %zd", fn, n);
    }
    ls_result r = ls_param_set_value_curve_at_time(self->param, f.data, (size_t)f.count, t, duration);
    lspy_floats_release(&f);
    return automation_result(st, self, r, fn);
}

static PyObject *
automate(PyObject *obj, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, int op)
{
    lspy_ParamObject *self = PARAM(obj);
    lspy_state *st = LSPY_STATE(self);
    const lspy_argspec *spec = &automation_specs[op];
    const char *fn = spec->fname;
    PyObject *v[3];
    float value = 0.0f;
    double t, tc = 0.0;
    const int at = op >= CANCEL ? 0 : 1;    /* the time argument */
    if (st == NULL || lspy_parse_fast(spec, args, nargs, kwnames, v) < 0 ||
        (at == 1 && op != CURVE && lspy_arg_float(v[0], fn, spec->names[0], &value) < 0)) {
        return NULL;
    }
    if (op == EXPONENTIAL && value == 0.0f) {
        PyErr_Format(PyExc_ValueError, "%s(value): value must be non-zero, got %R", fn, v[0]);
        return NULL;
    }
    if (lspy_arg_time(v[at], fn, spec->names[at], &t) < 0 ||
        (op == TARGET && lspy_arg_time(v[2], fn, "time_constant", &tc) < 0)) {
        return NULL;
    }
    ls_param *p = self->param;
    ls_result r;
    switch (op) {
    case SET_VALUE: r = ls_param_set_value_at_time(p, value, t); break;
    case LINEAR: r = ls_param_linear_ramp_to_value_at_time(p, value, t); break;
    case EXPONENTIAL: r = ls_param_exponential_ramp_to_value_at_time(p, value, t); break;
    case TARGET: r = ls_param_set_target_at_time(p, value, t, tc); break;
    case CURVE: return set_curve(st, self, v, t, fn);
    case CANCEL: r = ls_param_cancel_scheduled_values(p, t); break;
    default: r = ls_param_cancel_and_hold_at_time(p, t); break;
    }
    return automation_result(st, self, r, fn);
}

#define AUTOMATION(cname, op)                                                                   \
    static PyObject *cname(PyObject *self, PyObject *const *args, Py_ssize_t nargs,            \
                           PyObject *kwnames)                                                  \
    {                                                                                           \
        return automate(self, args, nargs, kwnames, op);                                        \
    }

AUTOMATION(param_set_value_at_time, SET_VALUE)
AUTOMATION(param_linear_ramp, LINEAR)
AUTOMATION(param_exponential_ramp, EXPONENTIAL)
AUTOMATION(param_set_target_at_time, TARGET)
AUTOMATION(param_set_value_curve_at_time, CURVE)
AUTOMATION(param_cancel_scheduled_values, CANCEL)
AUTOMATION(param_cancel_and_hold_at_time, HOLD)

static PyObject *
param_repr(lspy_ParamObject *self)
{
    PyObject *v = PyFloat_FromDouble(ls_param_value(self->param));
    if (v == NULL) {
        return NULL;
    }
    const char *name = ls_param_name(self->param);
    PyObject *r = PyUnicode_FromFormat("<AudioParam %s value=%R>", name ? name : "?", v);
    Py_DECREF(v);
    return r;
}

/* ------------------------------------------------------------------ */

static PyMemberDef param_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(lspy_ParamObject, weakreflist), READONLY, NULL},
    {NULL}
};

static PyGetSetDef param_getset[] = {
    {"value", (getter)param_get_value, (setter)param_set_value,
     "The current value. Setting it is set_value_at_time(v, current_time).", NULL},
    {"default_value", (getter)param_get_default, NULL, "The initial value.", NULL},
    {"min_value", (getter)param_get_min, NULL, "The lowest value the param takes.", NULL},
    {"max_value", (getter)param_get_max, NULL, "The highest value the param takes.", NULL},
    {"automation_rate", (getter)param_get_rate, (setter)param_set_rate, "'a-rate' or 'k-rate'.", NULL},
    {"name", (getter)param_get_name, NULL, "The param's name on its node.", NULL},
    {"_node_id", (getter)param_get_node_id, NULL,
     "The owning engine node's identity (AudioNode._engine_id).", NULL},
    {NULL}
};

static PyMethodDef param_methods[] = {
    {"set_value_at_time", CAST(param_set_value_at_time), FAST,
     "set_value_at_time($self, /, value, start_time)\n--\n\nJump to value at start_time. Returns the param."},
    {"linear_ramp_to_value_at_time", CAST(param_linear_ramp), FAST,
     "linear_ramp_to_value_at_time($self, /, value, end_time)\n--\n\n"
     "Ramp linearly from the previous event to value at end_time. Returns the param."},
    {"exponential_ramp_to_value_at_time", CAST(param_exponential_ramp), FAST,
     "exponential_ramp_to_value_at_time($self, /, value, end_time)\n--\n\n"
     "Ramp exponentially to value (non-zero) at end_time. Returns the param."},
    {"set_target_at_time", CAST(param_set_target_at_time), FAST,
     "set_target_at_time($self, /, target, start_time, time_constant)\n--\n\n"
     "Approach target exponentially from start_time. Returns the param."},
    {"set_value_curve_at_time", CAST(param_set_value_curve_at_time), FAST,
     "set_value_curve_at_time($self, /, values, start_time, duration)\n--\n\n"
     "Follow a curve (any float sequence or array) over duration seconds. Returns the param."},
    {"cancel_scheduled_values", CAST(param_cancel_scheduled_values), FAST,
     "cancel_scheduled_values($self, /, cancel_time)\n--\n\n"
     "Remove events at or after cancel_time. Returns the param."},
    {"cancel_and_hold_at_time", CAST(param_cancel_and_hold_at_time), FAST,
     "cancel_and_hold_at_time($self, /, cancel_time)\n--\n\n"
     "Remove events after cancel_time and hold the value reached then. Returns the param."},
    {NULL}
};

static PyType_Slot param_slots[] = {
    {Py_tp_doc, "AudioParam: a node parameter with a value and an automation timeline.\n\n"
                "value reads the current value; setting it is set_value_at_time(v, current_time).\n"
                "The timeline, in seconds of context time: set_value_at_time,\n"
                "linear_ramp_to_value_at_time, exponential_ramp_to_value_at_time,\n"
                "set_target_at_time, set_value_curve_at_time, cancel_scheduled_values and\n"
                "cancel_and_hold_at_time (each returns the param, so calls chain).\n"
                "Audio connected to it (`lfo >> param`) is added to the timeline's value."},
    {Py_tp_new, param_new},
    {Py_tp_dealloc, param_dealloc},
    {Py_tp_traverse, param_traverse},
    {Py_tp_clear, param_clear},
    {Py_tp_repr, param_repr},
    {Py_tp_members, param_members},
    {Py_tp_getset, param_getset},
    {Py_tp_methods, param_methods},
    {Py_nb_rshift, lspy_rshift},
    {Py_nb_lshift, lspy_lshift},
    {0, NULL}
};

PyType_Spec lspy_AudioParam_spec = {
    "labsound.AudioParam", sizeof(lspy_ParamObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, param_slots
};
