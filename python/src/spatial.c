/*
 * PannerNode, AudioListener, DynamicsCompressorNode and ConvolverNode.
 *
 * The three node types share one object layout that extends the common node
 * object with their own param cache and, for the convolver, the AudioBuffer
 * object last set (so `conv.buffer is buf`). They chain their GC slots to
 * AudioNode's. AudioListener wraps the context's hidden listener node: it is
 * not an AudioNode (it cannot be connected), it only exposes its params.
 */
#include "core.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define SPATIAL_MAX_PARAMS 9

typedef struct {
    lspy_NodeObject base;
    PyObject *sparams[SPATIAL_MAX_PARAMS];  /* param wrappers, made on first access */
    PyObject *buffer;                       /* ConvolverNode: the AudioBuffer set, or NULL */
} SpatialNode;

typedef struct {
    PyObject_HEAD
    ls_node *node;                          /* the context's listener (owned by the context) */
    PyObject *context;                      /* strong */
    PyObject *sparams[SPATIAL_MAX_PARAMS];
    PyObject *weakreflist;
} ListenerObject;

#define SN(o) ((SpatialNode *)(o))

static const char *const panning_model_names[] = {"equalpower", "HRTF", NULL};
static const char *const distance_model_names[] = {"linear", "inverse", "exponential", NULL};

/* ------------------------------------------------------------------ */
/* GC chaining                                                         */
/* ------------------------------------------------------------------ */

static int
snode_traverse(PyObject *self, visitproc visit, void *arg)
{
    for (int i = 0; i < SPATIAL_MAX_PARAMS; i++) {
        Py_VISIT(SN(self)->sparams[i]);
    }
    Py_VISIT(SN(self)->buffer);
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        PyErr_Clear();
        return 0;
    }
    return LSPY_TYPE_SLOT(st->AudioNode_Type, traverseproc, Py_tp_traverse)(self, visit, arg);
}

static int
snode_clear(PyObject *self)
{
    for (int i = 0; i < SPATIAL_MAX_PARAMS; i++) {
        Py_CLEAR(SN(self)->sparams[i]);
    }
    Py_CLEAR(SN(self)->buffer);
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        PyErr_Clear();
        return 0;
    }
    return LSPY_TYPE_SLOT(st->AudioNode_Type, inquiry, Py_tp_clear)(self);
}

static void
snode_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    for (int i = 0; i < SPATIAL_MAX_PARAMS; i++) {
        Py_CLEAR(SN(self)->sparams[i]);
    }
    Py_CLEAR(SN(self)->buffer);
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        PyErr_Clear();
        return;     /* cannot happen for our own types */
    }
    LSPY_TYPE_SLOT(st->AudioNode_Type, destructor, Py_tp_dealloc)(self);
}

static int
snode_live(lspy_state *st, PyObject *self)
{
    if (st == NULL) {
        return -1;
    }
    if (SN(self)->base.node == NULL || SN(self)->base.context == NULL) {
        lspy_raise(st, LS_ERROR_INVALID_STATE, "the node has been released");
        return -1;
    }
    return 0;
}

/* A cached wrapper of the param `name` of `node`, in slot `cache`. */
static PyObject *
cached_param(lspy_state *st, PyObject **cache, ls_node *node, const char *name, PyObject *context)
{
    if (*cache == NULL) {
        ls_param *p = ls_node_param_by_name(node, name);
        if (p == NULL) {
            return lspy_raise(st, LS_ERROR_INVALID_STATE, "%s: the node has no such parameter", name);
        }
        *cache = lspy_param_wrap(st, p, context);
        if (*cache == NULL) {
            return NULL;
        }
    }
    Py_INCREF(*cache);
    return *cache;
}

typedef struct {
    int slot;
    const char *name;
} pslot;

static PyObject *
snode_get_param(PyObject *self, void *closure)
{
    const pslot *ps = closure;
    lspy_state *st = LSPY_STATE(self);
    if (snode_live(st, self) < 0) {
        return NULL;
    }
    return cached_param(st, &SN(self)->sparams[ps->slot], SN(self)->base.node, ps->name,
                        SN(self)->base.context);
}

/* ------------------------------------------------------------------ */
/* Constructor arguments                                               */
/* ------------------------------------------------------------------ */

/* Option names of a node: the three channel options first. */
enum { O_COUNT = 0, O_MODE, O_INTERP, O_OWN };
#define MAX_OPTS 20

typedef struct {
    const char *type_name;
    const char *factory_name;
    const char *const *names;    /* "context", "options", then the options */
} kind;

/*
 * vals[i] for option i (borrowed or owned[i]); *ctx_out the context.
 * Factories (ctx given) take keywords only; constructors take
 * (context, options=None, **keywords), keywords winning over the dict.
 */
static int
collect(lspy_state *st, const kind *k, PyObject *ctx, PyObject *const *args, Py_ssize_t nargs,
        PyObject *kwnames, PyObject *tuple, PyObject *dict, PyObject **vals, PyObject **owned,
        PyObject **ctx_out, const char **fn)
{
    PyObject *all[MAX_OPTS + 2];
    int n = 0;
    while (k->names[n] != NULL) {
        n++;
    }
    for (int i = 0; i < MAX_OPTS; i++) {
        owned[i] = NULL;
        vals[i] = NULL;
    }
    if (ctx != NULL) {
        lspy_argspec spec = {k->factory_name, k->names + 2, 0, 0};
        *fn = k->factory_name;
        *ctx_out = ctx;
        return lspy_parse_fast(&spec, args, nargs, kwnames, vals);
    }
    lspy_argspec spec = {k->type_name, k->names, 2, 1};
    *fn = k->type_name;
    if (lspy_parse_tuple(&spec, tuple, dict, all) < 0) {
        return -1;
    }
    *ctx_out = all[0];
    for (int i = 2; i < n; i++) {
        vals[i - 2] = all[i];
    }
    return lspy_merge_options(k->type_name, all[1], k->names + 2, n - 2, vals, owned);
}

static void
release_owned(PyObject **owned)
{
    for (int i = 0; i < MAX_OPTS; i++) {
        Py_XDECREF(owned[i]);
    }
}

static int
channel_options(lspy_state *st, PyObject **vals, const char *fn, ls_node_options *o)
{
    int e;
    if (vals[O_COUNT] != NULL) {
        Py_ssize_t n;
        if (lspy_arg_index(vals[O_COUNT], fn, "channel_count", &n) < 0) {
            return -1;
        }
        if (n < 1 || n > 2) {
            lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                       "%s(channel_count): must be 1 or 2 for this node, got %zd", fn, n);
            return -1;
        }
        o->channel_count = (int32_t)n;
    }
    if (vals[O_MODE] != NULL) {
        if (lspy_arg_enum(vals[O_MODE], fn, "channel_count_mode", lspy_channel_count_mode_names,
                          &e) < 0) {
            return -1;
        }
        if (e == LS_CHANNEL_COUNT_MODE_MAX) {
            lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                       "%s(channel_count_mode): 'max' is not supported by this node", fn);
            return -1;
        }
        o->channel_count_mode = e;
    }
    if (vals[O_INTERP] != NULL) {
        if (lspy_arg_enum(vals[O_INTERP], fn, "channel_interpretation",
                          lspy_channel_interpretation_names, &e) < 0) {
            return -1;
        }
        o->channel_interpretation = e;
    }
    return 0;
}

static PyObject *
finish(lspy_state *st, PyTypeObject *type, PyObject *ctx, ls_result r, ls_node *n, const char *fn)
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

/* ------------------------------------------------------------------ */
/* PannerNode                                                          */
/* ------------------------------------------------------------------ */

static const char *const panner_names[] = {
    "context", "options", "channel_count", "channel_count_mode", "channel_interpretation",
    "panning_model", "distance_model", "position_x", "position_y", "position_z",
    "orientation_x", "orientation_y", "orientation_z", "ref_distance", "max_distance",
    "rolloff_factor", "cone_inner_angle", "cone_outer_angle", "cone_outer_gain", NULL};
static const kind panner_kind = {"PannerNode", "create_panner", panner_names};

static const char *const prop_names[] = {"ref_distance", "max_distance", "rolloff_factor",
                                         "cone_inner_angle", "cone_outer_angle",
                                         "cone_outer_gain"};

/* The spec's message for a bad plain attribute value. */
static void
raise_prop(lspy_state *st, ls_result r, const char *fn, int prop, double v)
{
    static const char *const rule[] = {"must be >= 0", "must be > 0", "must be >= 0",
                                       "must be finite", "must be finite",
                                       "must be in [0, 1]"};
    PyObject *val = PyFloat_FromDouble(v);
    if (val == NULL) {
        return;
    }
    if (fn != NULL) {
        lspy_raise(st, r, "%s(%s): %s, got %R", fn, prop_names[prop], rule[prop], val);
    }
    else {
        lspy_raise(st, r, "%s: %s, got %R", prop_names[prop], rule[prop], val);
    }
    Py_DECREF(val);
}

PyObject *
lspy_create_panner(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *const *args,
                   Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict)
{
    PyObject *vals[MAX_OPTS], *owned[MAX_OPTS];
    const char *fn;
    PyObject *result = NULL;
    if (collect(st, &panner_kind, ctx, args, nargs, kwnames, tuple, dict, vals, owned, &ctx, &fn) < 0 ||
        lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_panner_options o = ls_panner_options_default();
    if (channel_options(st, vals, fn, &o.node) < 0) {
        goto done;
    }
    int e;
    if (vals[O_OWN] != NULL) {
        if (lspy_arg_enum(vals[O_OWN], fn, "panning_model", panning_model_names, &e) < 0) {
            goto done;
        }
        o.panning_model = (ls_panning_model)e;
    }
    if (vals[O_OWN + 1] != NULL) {
        if (lspy_arg_enum(vals[O_OWN + 1], fn, "distance_model", distance_model_names, &e) < 0) {
            goto done;
        }
        o.distance_model = (ls_distance_model)e;
    }
    float *pv[6] = {&o.position_x, &o.position_y, &o.position_z,
                    &o.orientation_x, &o.orientation_y, &o.orientation_z};
    for (int i = 0; i < 6; i++) {
        if (vals[O_OWN + 2 + i] != NULL &&
            lspy_arg_float(vals[O_OWN + 2 + i], fn, panner_names[7 + i], pv[i]) < 0) {
            goto done;
        }
    }
    double *dv[6] = {&o.ref_distance, &o.max_distance, &o.rolloff_factor,
                     &o.cone_inner_angle, &o.cone_outer_angle, &o.cone_outer_gain};
    for (int i = 0; i < 6; i++) {
        if (vals[O_OWN + 8 + i] != NULL &&
            lspy_arg_finite(vals[O_OWN + 8 + i], fn, prop_names[i], dv[i]) < 0) {
            goto done;
        }
    }
    /* the spec's errors, named */
    static const ls_result errs[6] = {LS_ERROR_RANGE, LS_ERROR_RANGE, LS_ERROR_RANGE, LS_OK, LS_OK,
                                      LS_ERROR_INVALID_STATE};
    for (int i = 0; i < 6; i++) {
        double v = *dv[i];
        bool bad = (i == 0 || i == 2) ? v < 0.0 : i == 1 ? v <= 0.0 : i == 5 ? (v < 0.0 || v > 1.0) : false;
        if (bad) {
            raise_prop(st, errs[i], fn, i, v);
            goto done;
        }
    }
    ls_node *n = NULL;
    ls_result r = ls_panner_create(lspy_ctx_of(ctx), &o, &n);
    result = finish(st, type, ctx, r, n, fn);
done:
    release_owned(owned);
    return result;
}

static PyObject *
panner_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? lspy_create_panner(st, type, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

static PyObject *
panner_get_model(PyObject *self, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (snode_live(st, self) < 0) {
        return NULL;
    }
    return PyUnicode_FromString(panning_model_names[ls_panner_get_panning_model(SN(self)->base.node)]);
}

static int
panner_set_model(PyObject *self, PyObject *value, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    int e;
    if (snode_live(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'panning_model'");
        return -1;
    }
    if (lspy_arg_enum(value, NULL, "panning_model", panning_model_names, &e) < 0) {
        return -1;
    }
    ls_result r = ls_panner_set_panning_model(SN(self)->base.node, (ls_panning_model)e);
    if (r != LS_OK) {
        lspy_raise_call(st, r, "panning_model");
        return -1;
    }
    return 0;
}

static PyObject *
panner_get_distance_model(PyObject *self, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (snode_live(st, self) < 0) {
        return NULL;
    }
    return PyUnicode_FromString(distance_model_names[ls_panner_get_distance_model(SN(self)->base.node)]);
}

static int
panner_set_distance_model(PyObject *self, PyObject *value, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    int e;
    if (snode_live(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'distance_model'");
        return -1;
    }
    if (lspy_arg_enum(value, NULL, "distance_model", distance_model_names, &e) < 0) {
        return -1;
    }
    ls_result r = ls_panner_set_distance_model(SN(self)->base.node, (ls_distance_model)e);
    if (r != LS_OK) {
        lspy_raise_call(st, r, "distance_model");
        return -1;
    }
    return 0;
}

static const int prop_ids[6] = {0, 1, 2, 3, 4, 5};

static PyObject *
panner_get_prop(PyObject *self, void *closure)
{
    lspy_state *st = LSPY_STATE(self);
    if (snode_live(st, self) < 0) {
        return NULL;
    }
    int prop = *(const int *)closure;
    return PyFloat_FromDouble(ls_panner_get_property(SN(self)->base.node, (ls_panner_property)prop));
}

static int
panner_set_prop(PyObject *self, PyObject *value, void *closure)
{
    lspy_state *st = LSPY_STATE(self);
    int prop = *(const int *)closure;
    double v;
    if (snode_live(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s'", prop_names[prop]);
        return -1;
    }
    if (lspy_arg_finite(value, NULL, prop_names[prop], &v) < 0) {
        return -1;
    }
    ls_result r = ls_panner_set_property(SN(self)->base.node, (ls_panner_property)prop, v);
    if (r != LS_OK) {
        raise_prop(st, r, NULL, prop, v);
        return -1;
    }
    return 0;
}

/* Set three params' values (set_position / set_orientation). */
static PyObject *
set_three(lspy_state *st, ls_node *node, const char *fn, const char *const names[3],
          PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const xyz[] = {"x", "y", "z", NULL};
    lspy_argspec spec = {fn, xyz, 3, 3};
    PyObject *v[3];
    float f[3];
    if (lspy_parse_fast(&spec, args, nargs, kwnames, v) < 0) {
        return NULL;
    }
    for (int i = 0; i < 3; i++) {
        if (lspy_arg_float(v[i], fn, xyz[i], &f[i]) < 0) {
            return NULL;
        }
    }
    for (int i = 0; i < 3; i++) {
        ls_result r = ls_param_set_value(ls_node_param_by_name(node, names[i]), f[i]);
        if (r != LS_OK) {
            return lspy_raise_call(st, r, fn);
        }
    }
    Py_RETURN_NONE;
}

static const char *const pos_names[3] = {"position_x", "position_y", "position_z"};
static const char *const ori_names[3] = {"orientation_x", "orientation_y", "orientation_z"};

static PyObject *
panner_set_position(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (snode_live(st, self) < 0) {
        return NULL;
    }
    return set_three(st, SN(self)->base.node, "set_position", pos_names, args, nargs, kw);
}

static PyObject *
panner_set_orientation(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (snode_live(st, self) < 0) {
        return NULL;
    }
    return set_three(st, SN(self)->base.node, "set_orientation", ori_names, args, nargs, kw);
}

static const pslot PS_POS_X = {0, "position_x"}, PS_POS_Y = {1, "position_y"},
                   PS_POS_Z = {2, "position_z"}, PS_ORI_X = {3, "orientation_x"},
                   PS_ORI_Y = {4, "orientation_y"}, PS_ORI_Z = {5, "orientation_z"};

static PyGetSetDef panner_getset[] = {
    {"panning_model", panner_get_model, panner_set_model,
     "'equalpower' or 'HRTF' (labsound's structural model: a spherical head and pinna "
     "echoes, with elevation and front/back cues).", NULL},
    {"distance_model", panner_get_distance_model, panner_set_distance_model,
     "'linear', 'inverse' or 'exponential'.", NULL},
    {"position_x", snode_get_param, NULL, "Source position, x (AudioParam).", (void *)&PS_POS_X},
    {"position_y", snode_get_param, NULL, "Source position, y (AudioParam).", (void *)&PS_POS_Y},
    {"position_z", snode_get_param, NULL, "Source position, z (AudioParam).", (void *)&PS_POS_Z},
    {"orientation_x", snode_get_param, NULL, "Source orientation, x (AudioParam).", (void *)&PS_ORI_X},
    {"orientation_y", snode_get_param, NULL, "Source orientation, y (AudioParam).", (void *)&PS_ORI_Y},
    {"orientation_z", snode_get_param, NULL, "Source orientation, z (AudioParam).", (void *)&PS_ORI_Z},
    {"ref_distance", panner_get_prop, panner_set_prop, "Reference distance (>= 0).", (void *)&prop_ids[0]},
    {"max_distance", panner_get_prop, panner_set_prop, "Maximum distance (> 0).", (void *)&prop_ids[1]},
    {"rolloff_factor", panner_get_prop, panner_set_prop, "Roll-off factor (>= 0).", (void *)&prop_ids[2]},
    {"cone_inner_angle", panner_get_prop, panner_set_prop, "Inner cone angle, degrees.", (void *)&prop_ids[3]},
    {"cone_outer_angle", panner_get_prop, panner_set_prop, "Outer cone angle, degrees.", (void *)&prop_ids[4]},
    {"cone_outer_gain", panner_get_prop, panner_set_prop, "Gain outside the outer cone, [0, 1].",
     (void *)&prop_ids[5]},
    {NULL}
};

#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))

static PyMethodDef panner_methods[] = {
    {"set_position", CAST(panner_set_position), FAST,
     "set_position($self, /, x, y, z)\n--\n\nSet position_x/y/z's values."},
    {"set_orientation", CAST(panner_set_orientation), FAST,
     "set_orientation($self, /, x, y, z)\n--\n\nSet orientation_x/y/z's values."},
    {NULL}
};

static PyType_Slot panner_slots[] = {
    {Py_tp_doc, "PannerNode(context, options=None, *, panning_model='equalpower', "
                "distance_model='inverse', position_x=0, position_y=0, position_z=0, "
                "orientation_x=1, orientation_y=0, orientation_z=0, ref_distance=1, "
                "max_distance=10000, rolloff_factor=1, cone_inner_angle=360, "
                "cone_outer_angle=360, cone_outer_gain=0, channel_count=2, "
                "channel_count_mode='clamped-max', channel_interpretation='speakers')\n--\n\n"
                "Positions its input in 3-D space relative to the context's listener.\n"
                "\n"
                "panning_model: 'equalpower' or 'HRTF' (binaural, with the built-in HRTF set).\n"
                "distance_model: 'linear', 'inverse' or 'exponential', with ref_distance,\n"
                "max_distance and rolloff_factor (distance units). cone_inner_angle and\n"
                "cone_outer_angle (degrees) with cone_outer_gain (0..1) shape a directional\n"
                "source. position_x/y/z and orientation_x/y/z are AudioParams. Mono or stereo in\n"
                "('clamped-max', at most 2 channels), stereo out. Also made by\n"
                "context.create_panner(**options).\n"
                "\n"
                "    p = ctx.create_panner(panning_model='HRTF', position_x=2.0)\n"
                "    src >> p >> ctx.destination\n"
                "    p.position_x.linear_ramp_to_value_at_time(-2.0, 4.0)\n"
                "\n"
                "Errors: ValueError for negative ref_distance or rolloff_factor, max_distance\n"
                "<= 0 or an unknown model; InvalidStateError for cone_outer_gain outside [0, 1];\n"
                "NotSupportedError for channel_count above 2 or channel_count_mode 'max'."},
    {Py_tp_new, panner_new},
    {Py_tp_dealloc, snode_dealloc},
    {Py_tp_traverse, snode_traverse},
    {Py_tp_clear, snode_clear},
    {Py_tp_getset, panner_getset},
    {Py_tp_methods, panner_methods},
    {0, NULL}
};

#define NODE_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC)

static PyType_Spec panner_spec = {
    "labsound.PannerNode", sizeof(SpatialNode), 0, NODE_FLAGS, panner_slots
};

/* ------------------------------------------------------------------ */
/* DynamicsCompressorNode                                              */
/* ------------------------------------------------------------------ */

static const char *const comp_names[] = {
    "context", "options", "channel_count", "channel_count_mode", "channel_interpretation",
    "attack", "knee", "ratio", "release", "threshold", NULL};
static const kind comp_kind = {"DynamicsCompressorNode", "create_dynamics_compressor", comp_names};

PyObject *
lspy_create_dynamics_compressor(lspy_state *st, PyTypeObject *type, PyObject *ctx,
                                PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                                PyObject *tuple, PyObject *dict)
{
    PyObject *vals[MAX_OPTS], *owned[MAX_OPTS];
    const char *fn;
    PyObject *result = NULL;
    if (collect(st, &comp_kind, ctx, args, nargs, kwnames, tuple, dict, vals, owned, &ctx, &fn) < 0 ||
        lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_dynamics_compressor_options o = ls_dynamics_compressor_options_default();
    if (channel_options(st, vals, fn, &o.node) < 0) {
        goto done;
    }
    float *fv[5] = {&o.attack, &o.knee, &o.ratio, &o.release, &o.threshold};
    for (int i = 0; i < 5; i++) {
        if (vals[O_OWN + i] != NULL && lspy_arg_float(vals[O_OWN + i], fn, comp_names[5 + i], fv[i]) < 0) {
            goto done;
        }
    }
    ls_node *n = NULL;
    ls_result r = ls_dynamics_compressor_create(lspy_ctx_of(ctx), &o, &n);
    result = finish(st, type, ctx, r, n, fn);
done:
    release_owned(owned);
    return result;
}

static PyObject *
comp_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? lspy_create_dynamics_compressor(st, type, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

static PyObject *
comp_get_reduction(PyObject *self, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (snode_live(st, self) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble(ls_dynamics_compressor_reduction(SN(self)->base.node));
}

static const pslot PS_THRESHOLD = {0, "threshold"}, PS_KNEE = {1, "knee"}, PS_RATIO = {2, "ratio"},
                   PS_ATTACK = {3, "attack"}, PS_RELEASE = {4, "release"};

static PyGetSetDef comp_getset[] = {
    {"threshold", snode_get_param, NULL, "Threshold in dB (k-rate AudioParam).", (void *)&PS_THRESHOLD},
    {"knee", snode_get_param, NULL, "Knee width in dB (k-rate AudioParam).", (void *)&PS_KNEE},
    {"ratio", snode_get_param, NULL, "Compression ratio (k-rate AudioParam).", (void *)&PS_RATIO},
    {"attack", snode_get_param, NULL, "Attack time in seconds (k-rate AudioParam).", (void *)&PS_ATTACK},
    {"release", snode_get_param, NULL, "Release time in seconds (k-rate AudioParam).", (void *)&PS_RELEASE},
    {"reduction", comp_get_reduction, NULL, "Current gain reduction in dB (read-only).", NULL},
    {NULL}
};

static PyType_Slot comp_slots[] = {
    {Py_tp_doc, "DynamicsCompressorNode(context, options=None, *, attack=0.003, knee=30, ratio=12, "
                "release=0.25, threshold=-24, channel_count=2, channel_count_mode='clamped-max', "
                "channel_interpretation='speakers')\n--\n\n"
                "The Web Audio compressor: lowers the volume of loud passages, with a 6 ms\n"
                "look-ahead. threshold (dB, -100..0), knee (dB, 0..40), ratio (1..20), attack\n"
                "and release (seconds) are k-rate AudioParams; reduction reads the current gain\n"
                "reduction in dB. Mono or stereo ('clamped-max', at most 2 channels). Also made\n"
                "by context.create_dynamics_compressor(**options).\n"
                "\n"
                "    comp = ctx.create_dynamics_compressor(threshold=-30, ratio=8)\n"
                "    drums >> comp >> ctx.destination\n"
                "\n"
                "Errors: NotSupportedError for channel_count above 2 or channel_count_mode\n"
                "'max'."},
    {Py_tp_new, comp_new},
    {Py_tp_dealloc, snode_dealloc},
    {Py_tp_traverse, snode_traverse},
    {Py_tp_clear, snode_clear},
    {Py_tp_getset, comp_getset},
    {0, NULL}
};

static PyType_Spec comp_spec = {
    "labsound.DynamicsCompressorNode", sizeof(SpatialNode), 0, NODE_FLAGS, comp_slots
};

/* ------------------------------------------------------------------ */
/* ConvolverNode                                                       */
/* ------------------------------------------------------------------ */

static const char *const conv_names[] = {
    "context", "options", "channel_count", "channel_count_mode", "channel_interpretation",
    "buffer", "disable_normalization", NULL};
static const kind conv_kind = {"ConvolverNode", "create_convolver", conv_names};

/* An AudioBuffer's engine buffer, or NULL for None; -1 on a type error. */
static int
buffer_arg(lspy_state *st, PyObject *o, const char *fn, ls_buffer **out)
{
    if (o == NULL || o == Py_None) {
        *out = NULL;
        return 0;
    }
    if (!PyObject_TypeCheck(o, st->AudioBuffer_Type)) {
        if (fn) {
            PyErr_Format(PyExc_TypeError, "%s(buffer): buffer must be an AudioBuffer or None, got %.200s",
                         fn, LSPY_TP_NAME(o));
        }
        else {
            PyErr_Format(PyExc_TypeError, "buffer: must be an AudioBuffer or None, got %.200s",
                         LSPY_TP_NAME(o));
        }
        return -1;
    }
    *out = ((lspy_BufferObject *)o)->buf;
    return 0;
}

static PyObject *
raise_buffer(lspy_state *st, ls_result r, const char *fn, ls_buffer *b, ls_context *ctx)
{
    if (r == LS_ERROR_NOT_SUPPORTED && b != NULL) {
        uint32_t ch = ls_buffer_number_of_channels(b);
        if (ch != 1 && ch != 2 && ch != 4) {
            return lspy_raise(st, r, "%s: the buffer must have 1, 2 or 4 channels, got %u", fn,
                              (unsigned)ch);
        }
        PyObject *a = PyFloat_FromDouble(ls_buffer_sample_rate(b));
        PyObject *c = PyFloat_FromDouble(ls_context_sample_rate(ctx));
        if (a && c) {
            lspy_raise(st, r, "%s: the buffer's sample rate %R differs from the context's %R", fn, a, c);
        }
        Py_XDECREF(a);
        Py_XDECREF(c);
        return NULL;
    }
    return lspy_raise_call(st, r, fn);
}

PyObject *
lspy_create_convolver(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *const *args,
                      Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict)
{
    PyObject *vals[MAX_OPTS], *owned[MAX_OPTS];
    const char *fn;
    PyObject *result = NULL;
    if (collect(st, &conv_kind, ctx, args, nargs, kwnames, tuple, dict, vals, owned, &ctx, &fn) < 0 ||
        lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_convolver_options o = ls_convolver_options_default();
    if (channel_options(st, vals, fn, &o.node) < 0 || buffer_arg(st, vals[O_OWN], fn, &o.buffer) < 0) {
        goto done;
    }
    if (vals[O_OWN + 1] != NULL) {
        int t = PyObject_IsTrue(vals[O_OWN + 1]);
        if (t < 0) {
            goto done;
        }
        o.disable_normalization = t;
    }
    ls_node *n = NULL;
    ls_result r = ls_convolver_create(lspy_ctx_of(ctx), &o, &n);
    if (r == LS_ERROR_NOT_SUPPORTED && o.buffer != NULL) {
        raise_buffer(st, r, fn, o.buffer, lspy_ctx_of(ctx));
        goto done;
    }
    result = finish(st, type, ctx, r, n, fn);
    if (result != NULL && o.buffer != NULL) {
        Py_INCREF(vals[O_OWN]);
        SN(result)->buffer = vals[O_OWN];
    }
done:
    release_owned(owned);
    return result;
}

static PyObject *
conv_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? lspy_create_convolver(st, type, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

static PyObject *
conv_get_buffer(PyObject *self, void *c)
{
    PyObject *b = SN(self)->buffer ? SN(self)->buffer : Py_None;
    Py_INCREF(b);
    return b;
}

static int
conv_set_buffer(PyObject *self, PyObject *value, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    ls_buffer *b;
    if (snode_live(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        value = Py_None;
    }
    if (buffer_arg(st, value, NULL, &b) < 0) {
        return -1;
    }
    ls_result r;
    Py_BEGIN_ALLOW_THREADS      /* the partitions' FFTs take a while for long responses */
    r = ls_convolver_set_buffer(SN(self)->base.node, b);
    Py_END_ALLOW_THREADS
    if (r != LS_OK) {
        raise_buffer(st, r, "buffer", b, lspy_ctx_of(SN(self)->base.context));
        return -1;
    }
    PyObject *keep = value == Py_None ? NULL : value;
    Py_XINCREF(keep);
    Py_XSETREF(SN(self)->buffer, keep);
    return 0;
}

static PyObject *
conv_get_normalize(PyObject *self, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (snode_live(st, self) < 0) {
        return NULL;
    }
    return PyBool_FromLong(ls_convolver_get_normalize(SN(self)->base.node));
}

static int
conv_set_normalize(PyObject *self, PyObject *value, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (snode_live(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'normalize'");
        return -1;
    }
    int t = PyObject_IsTrue(value);
    if (t < 0) {
        return -1;
    }
    ls_result r = ls_convolver_set_normalize(SN(self)->base.node, t);
    if (r != LS_OK) {
        lspy_raise_call(st, r, "normalize");
        return -1;
    }
    return 0;
}

static PyGetSetDef conv_getset[] = {
    {"buffer", conv_get_buffer, conv_set_buffer,
     "The impulse response (an AudioBuffer of 1, 2 or 4 channels) or None. Its samples are\n"
     "copied when set: later changes to the buffer are not heard.", NULL},
    {"normalize", conv_get_normalize, conv_set_normalize,
     "Whether a buffer set from now on is normalized by its power.", NULL},
    {NULL}
};

static PyType_Slot conv_slots[] = {
    {Py_tp_doc, "ConvolverNode(context, options=None, *, buffer=None, disable_normalization=False, "
                "channel_count=2, channel_count_mode='clamped-max', "
                "channel_interpretation='speakers')\n--\n\n"
                "Convolves its input with an impulse response (reverb, cabinet or room\n"
                "simulation) by partitioned FFT convolution. Also made by\n"
                "context.create_convolver(**options).\n"
                "\n"
                "buffer: the impulse response (1, 2 or 4 channels, at the context's sample\n"
                "rate); normalize (default True) scales it to a standard power as the spec\n"
                "says. Mono or stereo in, stereo out ('clamped-max', at most 2 channels).\n"
                "\n"
                "    ir = ls.load(\"hall.wav\", sample_rate=ctx.sample_rate)\n"
                "    conv = ctx.create_convolver(buffer=ir)\n"
                "    dry >> conv >> ctx.destination\n"
                "\n"
                "Errors: NotSupportedError for a buffer with another sample rate or channel\n"
                "count, or channel_count above 2 / channel_count_mode 'max'."},
    {Py_tp_new, conv_new},
    {Py_tp_dealloc, snode_dealloc},
    {Py_tp_traverse, snode_traverse},
    {Py_tp_clear, snode_clear},
    {Py_tp_getset, conv_getset},
    {0, NULL}
};

static PyType_Spec conv_spec = {
    "labsound.ConvolverNode", sizeof(SpatialNode), 0, NODE_FLAGS, conv_slots
};

/* ------------------------------------------------------------------ */
/* AudioListener                                                       */
/* ------------------------------------------------------------------ */

#define LST(o) ((ListenerObject *)(o))

static int
listener_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(LST(self)->context);
    for (int i = 0; i < SPATIAL_MAX_PARAMS; i++) {
        Py_VISIT(LST(self)->sparams[i]);
    }
    return 0;
}

static int
listener_clear(PyObject *self)
{
    for (int i = 0; i < SPATIAL_MAX_PARAMS; i++) {
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
    const pslot *ps = closure;
    lspy_state *st = LSPY_STATE(self);
    if (listener_live(st, self) < 0) {
        return NULL;
    }
    return cached_param(st, &LST(self)->sparams[ps->slot], LST(self)->node, ps->name,
                        LST(self)->context);
}

static PyObject *
listener_set_position(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (listener_live(st, self) < 0) {
        return NULL;
    }
    return set_three(st, LST(self)->node, "set_position", pos_names, args, nargs, kw);
}

static PyObject *
listener_set_orientation(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    static const char *const names[] = {"x", "y", "z", "x_up", "y_up", "z_up", NULL};
    static const char *const pnames[6] = {"forward_x", "forward_y", "forward_z",
                                          "up_x", "up_y", "up_z"};
    static const lspy_argspec spec = {"set_orientation", names, 6, 6};
    lspy_state *st = LSPY_STATE(self);
    PyObject *v[6];
    float f[6];
    if (listener_live(st, self) < 0 || lspy_parse_fast(&spec, args, nargs, kw, v) < 0) {
        return NULL;
    }
    for (int i = 0; i < 6; i++) {
        if (lspy_arg_float(v[i], "set_orientation", names[i], &f[i]) < 0) {
            return NULL;
        }
    }
    for (int i = 0; i < 6; i++) {
        ls_result r = ls_param_set_value(ls_node_param_by_name(LST(self)->node, pnames[i]), f[i]);
        if (r != LS_OK) {
            return lspy_raise_call(st, r, "set_orientation");
        }
    }
    Py_RETURN_NONE;
}

static const pslot LS_PX = {0, "position_x"}, LS_PY = {1, "position_y"}, LS_PZ = {2, "position_z"},
                   LS_FX = {3, "forward_x"}, LS_FY = {4, "forward_y"}, LS_FZ = {5, "forward_z"},
                   LS_UX = {6, "up_x"}, LS_UY = {7, "up_y"}, LS_UZ = {8, "up_z"};

static PyGetSetDef listener_getset[] = {
    {"position_x", listener_get_param, NULL, "Listener position, x (AudioParam).", (void *)&LS_PX},
    {"position_y", listener_get_param, NULL, "Listener position, y (AudioParam).", (void *)&LS_PY},
    {"position_z", listener_get_param, NULL, "Listener position, z (AudioParam).", (void *)&LS_PZ},
    {"forward_x", listener_get_param, NULL, "Facing direction, x (AudioParam).", (void *)&LS_FX},
    {"forward_y", listener_get_param, NULL, "Facing direction, y (AudioParam).", (void *)&LS_FY},
    {"forward_z", listener_get_param, NULL, "Facing direction, z (AudioParam).", (void *)&LS_FZ},
    {"up_x", listener_get_param, NULL, "Up direction, x (AudioParam).", (void *)&LS_UX},
    {"up_y", listener_get_param, NULL, "Up direction, y (AudioParam).", (void *)&LS_UY},
    {"up_z", listener_get_param, NULL, "Up direction, z (AudioParam).", (void *)&LS_UZ},
    {NULL}
};

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

/* ------------------------------------------------------------------ */
/* Context factories and module registration                           */
/* ------------------------------------------------------------------ */

#define FACTORY(name, fn, type_field)                                                          \
    PyObject *name(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)      \
    {                                                                                          \
        lspy_state *st = LSPY_STATE(self);                                                     \
        if (st == NULL) {                                                                      \
            return NULL;                                                                       \
        }                                                                                      \
        return fn(st, st->type_field, self, args, nargs, kw, NULL, NULL);                      \
    }

FACTORY(lspy_ctx_create_panner, lspy_create_panner, PannerNode_Type)
FACTORY(lspy_ctx_create_dynamics_compressor, lspy_create_dynamics_compressor,
        DynamicsCompressorNode_Type)
FACTORY(lspy_ctx_create_convolver, lspy_create_convolver, ConvolverNode_Type)

static int
add(PyObject *m, PyTypeObject **slot, PyType_Spec *spec, PyTypeObject *base)
{
    PyObject *bases = NULL;
    if (base != NULL && (bases = PyTuple_Pack(1, (PyObject *)base)) == NULL) {
        return -1;
    }
    PyObject *t = PyType_FromModuleAndSpec(m, spec, bases);
    Py_XDECREF(bases);
    if (t == NULL) {
        return -1;
    }
    *slot = (PyTypeObject *)t;
    Py_INCREF(t);
    if (PyModule_AddObject(m, strrchr(spec->name, '.') + 1, t) < 0) {
        Py_DECREF(t);
        return -1;
    }
    return 0;
}

int
lspy_spatial_add_types(PyObject *m, lspy_state *st)
{
    if (add(m, &st->PannerNode_Type, &panner_spec, st->AudioNode_Type) < 0 ||
        add(m, &st->DynamicsCompressorNode_Type, &comp_spec, st->AudioNode_Type) < 0 ||
        add(m, &st->ConvolverNode_Type, &conv_spec, st->AudioNode_Type) < 0 ||
        add(m, &st->AudioListener_Type, &listener_spec, NULL) < 0) {
        return -1;
    }
    return 0;
}

int
lspy_spatial_traverse(lspy_state *st, visitproc visit, void *arg)
{
    Py_VISIT(st->PannerNode_Type);
    Py_VISIT(st->DynamicsCompressorNode_Type);
    Py_VISIT(st->ConvolverNode_Type);
    Py_VISIT(st->AudioListener_Type);
    return 0;
}

void
lspy_spatial_clear(lspy_state *st)
{
    Py_CLEAR(st->PannerNode_Type);
    Py_CLEAR(st->DynamicsCompressorNode_Type);
    Py_CLEAR(st->ConvolverNode_Type);
    Py_CLEAR(st->AudioListener_Type);
}
