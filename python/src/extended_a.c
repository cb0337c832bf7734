/*
 * The extended node set, first part (include/labsound/extended.h): NoiseNode,
 * ADSRNode, PolyBLEPNode, SupersawNode, ClipNode and DiodeNode.
 *
 * Each type has a constructor `ls.XNode(context, options=None, **keywords)`
 * (options: a dict of the same keywords; keywords win) and a factory
 * `context.create_x(**keywords)` added to BaseAudioContext. One table per
 * type lists its keyword options: AudioParams (their initial value), enum
 * settings (strings), and a few of other kinds. The node objects share
 * lspy_NodeObject and the AudioNode / AudioScheduledSourceNode bases.
 */
#include "core.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define NODE(o) ((lspy_NodeObject *)(o))
#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))
#define NODE_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC)
#define XA_MAX_OPTS 12

/* The types, made by lspy_extended_a_init (owned by the module's dict too). */
static PyTypeObject *Noise_Type, *ADSR_Type, *PolyBLEP_Type, *Supersaw_Type, *Clip_Type,
    *Diode_Type;

static const char *const noise_type_names[] = {"white", "pink", "brown", NULL};
static const char *const polyblep_type_names[] = {
    "triangle", "square", "rectangle", "sawtooth", "ramp", "modified_triangle",
    "modified_square", "half_wave_rectified_sine", "full_wave_rectified_sine",
    "triangular_pulse", "trapezoid_fixed", "trapezoid_variable", NULL};
static const char *const clip_mode_names[] = {"clip", "tanh", NULL};

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

typedef enum { K_PARAM, K_TIME, K_ENUM, K_SEED, K_BOOL, K_COUNT } xa_okind;

typedef struct {
    const char *name;
    xa_okind kind;
    const char *const *choices;     /* K_ENUM */
} xa_opt;

typedef struct {
    const char *type_name;
    const char *factory;
    const xa_opt *opts;             /* the node's own keywords, NULL-name terminated */
} xa_kind;

/* A parsed option: present, and its value by kind. */
typedef struct {
    int set;
    float f;                        /* K_PARAM, K_TIME */
    int i;                          /* K_ENUM, K_BOOL */
    uint64_t u;                     /* K_SEED, K_COUNT */
} xa_val;

static const char *const channel_names[] = {"channel_count", "channel_count_mode",
                                            "channel_interpretation"};

static int
count_opts(const xa_opt *o)
{
    int n = 0;
    while (o[n].name != NULL) {
        n++;
    }
    return n;
}

static int
convert(const xa_opt *opt, PyObject *v, const char *fn, xa_val *out)
{
    out->set = 1;
    switch (opt->kind) {
    case K_PARAM:
        return lspy_arg_float(v, fn, opt->name, &out->f);
    case K_TIME: {
        double d;
        if (lspy_arg_time(v, fn, opt->name, &d) < 0) {
            return -1;
        }
        if (d > FLT_MAX) {
            PyErr_Format(PyExc_ValueError, "%s(%s): must be in the float32 range, got %R", fn,
                         opt->name, v);
            return -1;
        }
        out->f = (float)d;
        return 0;
    }
    case K_ENUM:
        return lspy_arg_enum(v, fn, opt->name, opt->choices, &out->i);
    case K_BOOL:
        if (!PyBool_Check(v)) {
            PyErr_Format(PyExc_TypeError, "%s(%s): expected a bool, got %.200s", fn, opt->name,
                         LSPY_TP_NAME(v));
            return -1;
        }
        out->i = v == Py_True;
        return 0;
    case K_SEED:
        if (v == Py_None) {
            out->set = 0;
            return 0;
        }
        /* fall through */
    case K_COUNT: {
        if (PyBool_Check(v) || !PyLong_Check(v)) {
            PyErr_Format(PyExc_TypeError, "%s(%s): expected an int, got %.200s", fn, opt->name,
                         LSPY_TP_NAME(v));
            return -1;
        }
        unsigned long long u = PyLong_AsUnsignedLongLong(v);
        if (u == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            PyErr_Format(PyExc_ValueError, "%s(%s): must be an int in 0 .. 2**64 - 1, got %R", fn,
                         opt->name, v);
            return -1;
        }
        out->u = (uint64_t)u;
        return 0;
    }
    }
    return 0;
}

/*
 * Parse a constructor call (tuple/dict, ctx NULL) or a factory call
 * (vectorcall on ctx, keywords only) into vals[] (the node's options, in
 * table order) and the channel options. *ctx_out: the context object.
 */
static int
xa_parse(lspy_state *st, const xa_kind *k, PyObject *ctx, PyObject *const *args, Py_ssize_t nargs,
         PyObject *kwnames, PyObject *tuple, PyObject *dict, xa_val *vals, ls_node_options *no,
         PyObject **ctx_out, const char **fn)
{
    const int n = count_opts(k->opts);
    const char *names[XA_MAX_OPTS + 6];
    PyObject *raw[XA_MAX_OPTS + 6], *owned[XA_MAX_OPTS + 6];
    int base;
    int rc = -1;
    memset(owned, 0, sizeof owned);
    memset(raw, 0, sizeof raw);
    if (ctx != NULL) {
        /* factory: own keywords, then the channel options */
        for (int i = 0; i < n; i++) {
            names[i] = k->opts[i].name;
        }
        for (int j = 0; j < 3; j++) {
            names[n + j] = channel_names[j];
        }
        names[n + 3] = NULL;
        lspy_argspec spec = {k->factory, names, 0, 0};
        *fn = k->factory;
        if (lspy_parse_fast(&spec, args, nargs, kwnames, raw) < 0) {
            return -1;
        }
        *ctx_out = ctx;
        base = 0;
        /* move the channel options to raw[n + 2 ..] as in the constructor layout */
        PyObject *ch[3] = {raw[n], raw[n + 1], raw[n + 2]};
        memmove(raw + 2, raw, sizeof(PyObject *) * (size_t)n);
        raw[0] = ctx;
        raw[1] = NULL;
        raw[n + 2] = ch[0];
        raw[n + 3] = ch[1];
        raw[n + 4] = ch[2];
        base = 2;
    }
    else {
        names[0] = "context";
        names[1] = "options";
        for (int i = 0; i < n; i++) {
            names[2 + i] = k->opts[i].name;
        }
        for (int j = 0; j < 3; j++) {
            names[2 + n + j] = channel_names[j];
        }
        names[n + 5] = NULL;
        lspy_argspec spec = {k->type_name, names, 2, 1};
        *fn = k->type_name;
        if (lspy_parse_tuple(&spec, tuple, dict, raw) < 0) {
            return -1;
        }
        if (lspy_merge_options(k->type_name, raw[1], names + 2, n + 3, raw + 2, owned + 2) < 0) {
            goto done;
        }
        *ctx_out = raw[0];
        base = 2;
    }
    if (lspy_context_check(st, *ctx_out, *fn) < 0) {
        goto done;
    }
    for (int i = 0; i < n; i++) {
        vals[i].set = 0;
        if (raw[base + i] != NULL && convert(&k->opts[i], raw[base + i], *fn, &vals[i]) < 0) {
            goto done;
        }
    }
    *no = ls_node_options_default();
    PyObject *cc = raw[base + n], *cm = raw[base + n + 1], *ci = raw[base + n + 2];
    if (cc != NULL) {
        Py_ssize_t c;
        if (lspy_arg_index(cc, *fn, "channel_count", &c) < 0) {
            goto done;
        }
        if (c < 1 || c > LS_MAX_CHANNELS) {
            lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                       "%s(channel_count): channel_count must be between 1 and %d, got %R", *fn,
                       LS_MAX_CHANNELS, cc);
            goto done;
        }
        no->channel_count = (int32_t)c;
    }
    int e;
    if (cm != NULL) {
        if (lspy_arg_enum(cm, *fn, "channel_count_mode", lspy_channel_count_mode_names, &e) < 0) {
            goto done;
        }
        no->channel_count_mode = e;
    }
    if (ci != NULL) {
        if (lspy_arg_enum(ci, *fn, "channel_interpretation", lspy_channel_interpretation_names,
                          &e) < 0) {
            goto done;
        }
        no->channel_interpretation = e;
    }
    rc = 0;
done:
    for (int i = 0; i < XA_MAX_OPTS + 6; i++) {
        Py_XDECREF(owned[i]);
    }
    return rc;
}

static PyObject *
xa_finish(lspy_state *st, PyTypeObject *type, PyObject *ctx, ls_result r, ls_node *n,
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

#define F(i, field, fallback) (v[i].set ? v[i].field : (fallback))

/* ------------------------------------------------------------------ */
/* The node types' option tables and constructors                      */
/* ------------------------------------------------------------------ */

static const xa_opt noise_opts[] = {
    {"type", K_ENUM, noise_type_names}, {"seed", K_SEED, NULL}, {NULL}};
static const xa_kind noise_kind = {"NoiseNode", "create_noise", noise_opts};

static const xa_opt adsr_opts[] = {
    {"attack_time", K_TIME, NULL},  {"attack_level", K_PARAM, NULL},
    {"decay_time", K_TIME, NULL},   {"sustain_time", K_TIME, NULL},
    {"sustain_level", K_PARAM, NULL}, {"release_time", K_TIME, NULL},
    {"one_shot", K_BOOL, NULL},     {NULL}};
static const xa_kind adsr_kind = {"ADSRNode", "create_adsr", adsr_opts};

static const xa_opt pb_opts[] = {
    {"type", K_ENUM, polyblep_type_names}, {"frequency", K_PARAM, NULL},
    {"detune", K_PARAM, NULL}, {"amplitude", K_PARAM, NULL}, {"pulse_width", K_PARAM, NULL},
    {NULL}};
static const xa_kind pb_kind = {"PolyBLEPNode", "create_polyblep", pb_opts};

static const xa_opt ss_opts[] = {
    {"voices", K_COUNT, NULL}, {"frequency", K_PARAM, NULL}, {"detune", K_PARAM, NULL}, {NULL}};
static const xa_kind ss_kind = {"SupersawNode", "create_supersaw", ss_opts};

static const xa_opt clip_opts[] = {
    {"mode", K_ENUM, clip_mode_names}, {"a", K_PARAM, NULL}, {"b", K_PARAM, NULL}, {NULL}};
static const xa_kind clip_kind = {"ClipNode", "create_clip", clip_opts};

static const xa_opt diode_opts[] = {
    {"distortion", K_PARAM, NULL}, {"vb", K_PARAM, NULL}, {"vl", K_PARAM, NULL}, {NULL}};
static const xa_kind diode_kind = {"DiodeNode", "create_diode", diode_opts};

typedef ls_result (*xa_build)(lspy_state *st, ls_context *c, const xa_val *v,
                              const ls_node_options *no, const char *fn, ls_node **out);

static ls_result
build_noise(lspy_state *st, ls_context *c, const xa_val *v, const ls_node_options *no,
            const char *fn, ls_node **out)
{
    ls_noise_options o = ls_noise_options_default();
    o.node = *no;
    o.type = (ls_noise_type)F(0, i, LS_NOISE_WHITE);
    o.has_seed = v[1].set;
    o.seed = v[1].u;
    return ls_noise_create(c, &o, out);
}

static ls_result
build_adsr(lspy_state *st, ls_context *c, const xa_val *v, const ls_node_options *no,
           const char *fn, ls_node **out)
{
    ls_adsr_options o = ls_adsr_options_default();
    o.node = *no;
    o.attack_time = F(0, f, o.attack_time);
    o.attack_level = F(1, f, o.attack_level);
    o.decay_time = F(2, f, o.decay_time);
    o.sustain_time = F(3, f, o.sustain_time);
    o.sustain_level = F(4, f, o.sustain_level);
    o.release_time = F(5, f, o.release_time);
    o.one_shot = F(6, i, 0);
    return ls_adsr_create(c, &o, out);
}

static ls_result
build_pb(lspy_state *st, ls_context *c, const xa_val *v, const ls_node_options *no,
         const char *fn, ls_node **out)
{
    ls_polyblep_options o = ls_polyblep_options_default();
    o.node = *no;
    o.type = (ls_polyblep_type)F(0, i, o.type);
    o.frequency = F(1, f, o.frequency);
    o.detune = F(2, f, o.detune);
    o.amplitude = F(3, f, o.amplitude);
    o.pulse_width = F(4, f, o.pulse_width);
    return ls_polyblep_create(c, &o, out);
}

static ls_result
build_ss(lspy_state *st, ls_context *c, const xa_val *v, const ls_node_options *no,
         const char *fn, ls_node **out)
{
    ls_supersaw_options o = ls_supersaw_options_default();
    o.node = *no;
    if (v[0].set) {
        if (v[0].u < 1 || v[0].u > LS_SUPERSAW_MAX_VOICES) {
            PyErr_Format(PyExc_ValueError, "%s(voices): must be between 1 and %d, got %llu", fn,
                         LS_SUPERSAW_MAX_VOICES, (unsigned long long)v[0].u);
            return LS_ERROR_RANGE;
        }
        o.voices = (uint32_t)v[0].u;
    }
    o.frequency = F(1, f, o.frequency);
    o.detune = F(2, f, o.detune);
    if (o.detune < 0.0f || o.detune > 1200.0f) {
        PyObject *d = PyFloat_FromDouble(o.detune);
        if (d != NULL) {
            PyErr_Format(PyExc_ValueError, "%s(detune): must be between 0 and 1200 cents, got %R",
                         fn, d);
            Py_DECREF(d);
        }
        return LS_ERROR_RANGE;
    }
    return ls_supersaw_create(c, &o, out);
}

static ls_result
build_clip(lspy_state *st, ls_context *c, const xa_val *v, const ls_node_options *no,
           const char *fn, ls_node **out)
{
    ls_clip_options o = ls_clip_options_default();
    o.node = *no;
    o.mode = (ls_clip_mode)F(0, i, o.mode);
    o.a = F(1, f, o.a);
    o.b = F(2, f, o.b);
    return ls_clip_create(c, &o, out);
}

static ls_result
build_diode(lspy_state *st, ls_context *c, const xa_val *v, const ls_node_options *no,
            const char *fn, ls_node **out)
{
    ls_diode_options o = ls_diode_options_default();
    o.node = *no;
    o.distortion = F(0, f, o.distortion);
    o.vb = F(1, f, o.vb);
    o.vl = F(2, f, o.vl);
    return ls_diode_create(c, &o, out);
}

static PyObject *
xa_create(const xa_kind *k, xa_build build, PyTypeObject *type, PyObject *ctx,
          PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple,
          PyObject *dict)
{
    lspy_state *st = lspy_state_from_type(type);
    if (st == NULL) {
        return NULL;
    }
    xa_val vals[XA_MAX_OPTS];
    ls_node_options no;
    PyObject *context = NULL;
    const char *fn;
    if (xa_parse(st, k, ctx, args, nargs, kwnames, tuple, dict, vals, &no, &context, &fn) < 0) {
        return NULL;
    }
    ls_node *n = NULL;
    ls_result r = build(st, lspy_ctx_of(context), vals, &no, fn, &n);
    if (r != LS_OK && PyErr_Occurred()) {
        return NULL;
    }
    return xa_finish(st, type, context, r, n, fn);
}

#define XA_TYPE_FUNCS(lower, kind, build, slot)                                                 \
    static PyObject *lower##_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)          \
    {                                                                                           \
        return xa_create(&kind, build, type, NULL, NULL, 0, NULL, args, kwargs);               \
    }                                                                                           \
    static PyObject *ctx_create_##lower(PyObject *self, PyObject *const *args, Py_ssize_t nargs, \
                                        PyObject *kw)                                           \
    {                                                                                           \
        return xa_create(&kind, build, slot, self, args, nargs, kw, NULL, NULL);               \
    }

XA_TYPE_FUNCS(noise, noise_kind, build_noise, Noise_Type)
XA_TYPE_FUNCS(adsr, adsr_kind, build_adsr, ADSR_Type)
XA_TYPE_FUNCS(polyblep, pb_kind, build_pb, PolyBLEP_Type)
XA_TYPE_FUNCS(supersaw, ss_kind, build_ss, Supersaw_Type)
XA_TYPE_FUNCS(clip, clip_kind, build_clip, Clip_Type)
XA_TYPE_FUNCS(diode, diode_kind, build_diode, Diode_Type)

/* ------------------------------------------------------------------ */
/* Attributes                                                          */
/* ------------------------------------------------------------------ */

static int
check_live(lspy_state *st, lspy_NodeObject *self)
{
    if (st == NULL) {
        return -1;
    }
    if (self->node == NULL || self->context == NULL) {
        lspy_raise(st, LS_ERROR_INVALID_STATE, "the node has been released");
        return -1;
    }
    return 0;
}

typedef struct {
    int slot;
    const char *name;
} xa_param;

static PyObject *
get_param(lspy_NodeObject *self, void *closure)
{
    const xa_param *ps = (const xa_param *)closure;
    PyObject *p = self->params[ps->slot];
    if (p == NULL) {
        lspy_state *st = LSPY_STATE(self);
        if (check_live(st, self) < 0) {
            return NULL;
        }
        ls_param *lp = ls_node_param_by_name(self->node, ps->name);
        if (lp == NULL) {
            return lspy_raise(st, LS_ERROR_INVALID_STATE, "%s: the node has no such parameter",
                              ps->name);
        }
        p = lspy_param_wrap(st, lp, self->context);
        if (p == NULL) {
            return NULL;
        }
        self->params[ps->slot] = p;
    }
    Py_INCREF(p);
    return p;
}

static int
no_delete(PyObject *value, const char *name)
{
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s'", name);
        return -1;
    }
    return 0;
}

#define PARAM(slot, name, doc)                                                                  \
    static const xa_param P_##slot##_##name = {slot, #name};
#define PARAM_GETSET(slot, name, doc)                                                           \
    {#name, (getter)get_param, NULL, doc " (AudioParam).", (void *)&P_##slot##_##name}

/* enum settings: one getter/setter pair per type */
#define ENUM_SETTING(lower, attr, names, get_fn, set_fn, ctype)                                 \
    static PyObject *lower##_get_##attr(lspy_NodeObject *self, void *c)                       \
    {                                                                                           \
        if (check_live(LSPY_STATE(self), self) < 0) {                                           \
            return NULL;                                                                        \
        }                                                                                       \
        return PyUnicode_FromString(names[(int)get_fn(self->node)]);                           \
    }                                                                                           \
    static int lower##_set_##attr(lspy_NodeObject *self, PyObject *value, void *c)            \
    {                                                                                           \
        lspy_state *st = LSPY_STATE(self);                                                      \
        int t;                                                                                  \
        if (check_live(st, self) < 0 || no_delete(value, #attr) < 0 ||                          \
            lspy_arg_enum(value, NULL, #attr, names, &t) < 0) {                                 \
            return -1;                                                                          \
        }                                                                                       \
        ls_result r = set_fn(self->node, (ctype)t);                                             \
        if (r != LS_OK) {                                                                       \
            lspy_raise(st, r, #attr ": cannot set %R (%s)", value, ls_result_string(r));      \
            return -1;                                                                          \
        }                                                                                       \
        return 0;                                                                               \
    }

ENUM_SETTING(noise, type, noise_type_names, ls_noise_get_type, ls_noise_set_type, ls_noise_type)
ENUM_SETTING(pb, type, polyblep_type_names, ls_polyblep_get_type, ls_polyblep_set_type,
             ls_polyblep_type)
ENUM_SETTING(clip, mode, clip_mode_names, ls_clip_get_mode, ls_clip_set_mode, ls_clip_mode)

static PyObject *
noise_get_seed(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(ls_noise_get_seed(self->node));
}

static PyObject *
adsr_get_one_shot(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyBool_FromLong(ls_adsr_get_one_shot(self->node));
}

static int
adsr_set_one_shot(lspy_NodeObject *self, PyObject *value, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (check_live(st, self) < 0 || no_delete(value, "one_shot") < 0) {
        return -1;
    }
    if (!PyBool_Check(value)) {
        PyErr_Format(PyExc_TypeError, "one_shot: expected a bool, got %.200s",
                     LSPY_TP_NAME(value));
        return -1;
    }
    ls_result r = ls_adsr_set_one_shot(self->node, value == Py_True);
    if (r != LS_OK) {
        lspy_raise_call(st, r, "one_shot");
        return -1;
    }
    return 0;
}

static PyObject *
ss_get_voices(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(ls_supersaw_get_voices(self->node));
}

static int
ss_set_voices(lspy_NodeObject *self, PyObject *value, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (check_live(st, self) < 0 || no_delete(value, "voices") < 0) {
        return -1;
    }
    if (PyBool_Check(value) || !PyLong_Check(value)) {
        PyErr_Format(PyExc_TypeError, "voices: expected an int, got %.200s",
                     LSPY_TP_NAME(value));
        return -1;
    }
    long n = PyLong_AsLong(value);
    if (n == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        n = -1;
    }
    if (n < 1 || n > LS_SUPERSAW_MAX_VOICES) {
        PyErr_Format(PyExc_ValueError, "voices: must be between 1 and %d, got %R",
                     LS_SUPERSAW_MAX_VOICES, value);
        return -1;
    }
    ls_result r = ls_supersaw_set_voices(self->node, (uint32_t)n);
    if (r != LS_OK) {
        lspy_raise_call(st, r, "voices");
        return -1;
    }
    return 0;
}

/* gate_on(when=0) / gate_off(when=0) */
static const char *const when_names[] = {"when", NULL};

static PyObject *
adsr_gate(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw, int on)
{
    lspy_state *st = LSPY_STATE(self);
    const char *fn = on ? "gate_on" : "gate_off";
    lspy_argspec spec = {fn, when_names, 1, 0};
    PyObject *v[1];
    if (check_live(st, self) < 0 || lspy_parse_fast(&spec, args, nargs, kw, v) < 0) {
        return NULL;
    }
    double when = 0.0;
    if (v[0] != NULL && lspy_arg_time(v[0], fn, "when", &when) < 0) {
        return NULL;
    }
    ls_result r = on ? ls_adsr_gate_on(self->node, when) : ls_adsr_gate_off(self->node, when);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, fn);
    }
    Py_RETURN_NONE;
}

static PyObject *
adsr_gate_on(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    return adsr_gate(self, args, nargs, kw, 1);
}

static PyObject *
adsr_gate_off(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    return adsr_gate(self, args, nargs, kw, 0);
}

/* ------------------------------------------------------------------ */
/* Types                                                               */
/* ------------------------------------------------------------------ */

static int
xa_traverse(lspy_NodeObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->context);
    Py_VISIT(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_VISIT(self->params[i]);
    }
    return 0;
}

static int
xa_clear(lspy_NodeObject *self)
{
    Py_CLEAR(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_CLEAR(self->params[i]);
    }
    Py_CLEAR(self->context);
    return 0;
}

#define GC_SLOTS {Py_tp_traverse, xa_traverse}, {Py_tp_clear, xa_clear}

/* NoiseNode */
static PyGetSetDef noise_getset[] = {
    {"type", (getter)noise_get_type, (setter)noise_set_type, "'white', 'pink' or 'brown'.", NULL},
    {"seed", (getter)noise_get_seed, NULL, "The generator's seed (read-only).", NULL},
    {NULL}};
static PyType_Slot noise_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "NoiseNode(context, options=None, *, type='white', seed=None, channel_count=1, "
                "channel_count_mode='max', channel_interpretation='speakers')\n--\n\n"
                "LabSound's noise generator; a scheduled source (start, stop, onended).\n"
                "type: 'white' (flat), 'pink' (-3 dB/octave) or 'brown' (-6 dB/octave).\n"
                "seed: an integer; the same seed renders the same samples (None: the engine\n"
                "picks one). Also made by context.create_noise(**options).\n"
                "\n"
                "    n = ctx.create_noise(type='pink', seed=42)\n"
                "    n >> ctx.destination; n.start(0)\n"
                "\n"
                "Errors: ValueError for an unknown type; TypeError for a seed that is not an\n"
                "integer."},
    {Py_tp_new, noise_new},
    {Py_tp_getset, noise_getset},
    {0, NULL}};
static PyType_Spec noise_spec = {"labsound.NoiseNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS,
                                 noise_slots};

/* ADSRNode */
PARAM(0, gate, "")
PARAM(1, attack_time, "")
PARAM(2, attack_level, "")
PARAM(3, decay_time, "")
PARAM(4, sustain_time, "")
PARAM(5, sustain_level, "")
PARAM(6, release_time, "")
static PyGetSetDef adsr_getset[] = {
    PARAM_GETSET(0, gate, "The gate: above 0 is on"),
    PARAM_GETSET(1, attack_time, "Seconds from 0 to attack_level"),
    PARAM_GETSET(2, attack_level, "The attack's peak"),
    PARAM_GETSET(3, decay_time, "Seconds from attack_level to sustain_level"),
    PARAM_GETSET(4, sustain_time, "One-shot mode: seconds the sustain lasts"),
    PARAM_GETSET(5, sustain_level, "The level held while the gate is on"),
    PARAM_GETSET(6, release_time, "Seconds from the current level to 0"),
    {"one_shot", (getter)adsr_get_one_shot, (setter)adsr_set_one_shot,
     "True: the envelope sustains for sustain_time and releases by itself.", NULL},
    {NULL}};
static PyMethodDef adsr_methods[] = {
    {"gate_on", CAST(adsr_gate_on), FAST,
     "gate_on($self, /, when=0.0)\n--\n\nOpen the gate at `when` (context seconds): "
     "gate.set_value_at_time(1, when)."},
    {"gate_off", CAST(adsr_gate_off), FAST,
     "gate_off($self, /, when=0.0)\n--\n\nClose the gate at `when`: "
     "gate.set_value_at_time(0, when)."},
    {NULL}};
static PyType_Slot adsr_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "ADSRNode(context, options=None, *, attack_time=0.125, attack_level=1.0, "
                "decay_time=0.125, sustain_time=0.125, sustain_level=0.5, release_time=0.125, "
                "one_shot=False, channel_count=2, channel_count_mode='max', "
                "channel_interpretation='speakers')\n--\n\n"
                "LabSound's attack-decay-sustain-release envelope, applied to its input (or to\n"
                "a constant 1 while nothing is connected, so it works as an envelope source).\n"
                "Also made by context.create_adsr(**options).\n"
                "\n"
                "gate (an AudioParam) opens the envelope when it rises above 0 and releases it\n"
                "when it falls; gate_on(when) and gate_off(when) schedule that (seconds of\n"
                "context time). attack_time, decay_time, sustain_time and release_time\n"
                "(seconds), attack_level and sustain_level (linear gain) are AudioParams.\n"
                "one_shot: the envelope runs attack-decay-sustain-release on gate_on alone.\n"
                "\n"
                "    env = ctx.create_adsr(attack_time=0.01, decay_time=0.1, sustain_level=0.6)\n"
                "    osc >> env >> ctx.destination\n"
                "    env.gate_on(0.0); env.gate_off(1.0)\n"
                "\n"
                "Errors: ValueError for negative or non-finite times or levels."},
    {Py_tp_new, adsr_new},
    {Py_tp_getset, adsr_getset},
    {Py_tp_methods, adsr_methods},
    {0, NULL}};
static PyType_Spec adsr_spec = {"labsound.ADSRNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS,
                                adsr_slots};

/* PolyBLEPNode */
PARAM(0, frequency, "")
PARAM(1, detune, "")
PARAM(2, amplitude, "")
PARAM(3, pulse_width, "")
static PyGetSetDef pb_getset[] = {
    {"type", (getter)pb_get_type, (setter)pb_set_type, "The waveform.", NULL},
    PARAM_GETSET(0, frequency, "Hz"),
    PARAM_GETSET(1, detune, "Cents"),
    PARAM_GETSET(2, amplitude, "Output scale"),
    PARAM_GETSET(3, pulse_width, "0 .. 1, for the waveforms that have one"),
    {NULL}};
static PyType_Slot pb_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "PolyBLEPNode(context, options=None, *, type='sawtooth', frequency=440.0, "
                "detune=0.0, amplitude=1.0, pulse_width=0.5, channel_count=2, "
                "channel_count_mode='max', channel_interpretation='speakers')\n--\n\n"
                "LabSound's quasi-band-limited classic waveforms (PolyBLEP corrections at each\n"
                "discontinuity, so far less aliasing than naive waveforms); a scheduled source.\n"
                "type: 'sawtooth', 'ramp', 'square', 'rectangle' (with pulse_width),\n"
                "'triangle', 'modified_triangle', 'modified_square',\n"
                "'half_wave_rectified_sine', 'full_wave_rectified_sine', 'triangular_pulse',\n"
                "'trapezoid_fixed' or 'trapezoid_variable'. frequency (Hz), detune (cents),\n"
                "amplitude (linear) and pulse_width (0..1) are AudioParams. Also made by\n"
                "context.create_polyblep(**options).\n"
                "\n"
                "    pb = ctx.create_polyblep(type='square', frequency=110)\n"
                "    pb >> ctx.destination; pb.start(0)\n"
                "\n"
                "Errors: ValueError for an unknown type or non-finite values."},
    {Py_tp_new, polyblep_new},
    {Py_tp_getset, pb_getset},
    {0, NULL}};
static PyType_Spec pb_spec = {"labsound.PolyBLEPNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS,
                              pb_slots};

/* SupersawNode */
static PyGetSetDef ss_getset[] = {
    {"voices", (getter)ss_get_voices, (setter)ss_set_voices, "Number of sawtooths, 1 .. 32.",
     NULL},
    PARAM_GETSET(0, frequency, "Hz"),
    PARAM_GETSET(1, detune, "Spread in cents: voices from -detune to +detune"),
    {NULL}};
static PyType_Slot ss_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "SupersawNode(context, options=None, *, voices=7, frequency=440.0, detune=12.0, "
                "channel_count=2, channel_count_mode='max', "
                "channel_interpretation='speakers')\n--\n\n"
                "The supersaw: the mean of `voices` band-limited sawtooths (1 to 32, default 7)\n"
                "spread evenly over +/- detune cents around frequency (Hz); a scheduled source.\n"
                "frequency and detune are AudioParams. Also made by\n"
                "context.create_supersaw(**options).\n"
                "\n"
                "    ss = ctx.create_supersaw(voices=7, frequency=110, detune=25)\n"
                "    ss >> ctx.destination; ss.start(0)\n"
                "\n"
                "Errors: ValueError for voices outside 1..32 or non-finite values."},
    {Py_tp_new, supersaw_new},
    {Py_tp_getset, ss_getset},
    {0, NULL}};
static PyType_Spec ss_spec = {"labsound.SupersawNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS,
                              ss_slots};

/* ClipNode */
PARAM(0, a, "")
PARAM(1, b, "")
static PyGetSetDef clip_getset[] = {
    {"mode", (getter)clip_get_mode, (setter)clip_set_mode, "'clip' or 'tanh'.", NULL},
    PARAM_GETSET(0, a, "clip: the lower bound; tanh: the output gain"),
    PARAM_GETSET(1, b, "clip: the upper bound; tanh: the input gain"),
    {NULL}};
static PyType_Slot clip_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "ClipNode(context, options=None, *, mode='clip', a=-1.0, b=1.0, channel_count=2, "
                "channel_count_mode='max', channel_interpretation='speakers')\n--\n\n"
                "LabSound's clipper. mode 'clip': y = min(max(x, a), b) (defaults a = -1,\n"
                "b = 1); mode 'tanh': y = a * tanh(b * x). a and b are AudioParams. Also made by\n"
                "context.create_clip(**options).\n"
                "\n"
                "    c = ctx.create_clip(mode='tanh', a=0.8, b=3.0)\n"
                "    guitar >> c >> ctx.destination\n"
                "\n"
                "Errors: ValueError for an unknown mode or non-finite values."},
    {Py_tp_new, clip_new},
    {Py_tp_getset, clip_getset},
    {0, NULL}};
static PyType_Spec clip_spec = {"labsound.ClipNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS,
                                clip_slots};

/* DiodeNode */
PARAM(0, distortion, "")
PARAM(1, vb, "")
PARAM(2, vl, "")
static PyGetSetDef diode_getset[] = {
    PARAM_GETSET(0, distortion, "The linear part's slope h"),
    PARAM_GETSET(1, vb, "Bias voltage: below it the output is 0"),
    PARAM_GETSET(2, vl, "Where the curve turns linear"),
    {NULL}};
static PyType_Slot diode_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "DiodeNode(context, options=None, *, distortion=1.0, vb=0.2, vl=0.4, "
                "channel_count=2, channel_count_mode='max', "
                "channel_interpretation='speakers')\n--\n\n"
                "Parker's diode model (the ring modulator's diode, as LabSound's DiodeNode):\n"
                "a waveshaper of |x| whose curve is 0 below vb, quadratic between vb and vl\n"
                "and linear above, scaled by distortion. distortion, vb and vl (volts of the model)\n"
                "are AudioParams. Also made by context.create_diode(**options); the dalek\n"
                "example builds a ring modulator from two of them.\n"
                "\n"
                "Errors: ValueError for non-finite values."},
    {Py_tp_new, diode_new},
    {Py_tp_getset, diode_getset},
    {0, NULL}};
static PyType_Spec diode_spec = {"labsound.DiodeNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS,
                                 diode_slots};

/* Factories, added to BaseAudioContext. */
static PyMethodDef ctx_methods[] = {
    {"create_noise", CAST(ctx_create_noise), FAST,
     "create_noise($self, /, **options)\n--\n\nA new NoiseNode (options as its constructor)."},
    {"create_adsr", CAST(ctx_create_adsr), FAST,
     "create_adsr($self, /, **options)\n--\n\nA new ADSRNode (options as its constructor)."},
    {"create_polyblep", CAST(ctx_create_polyblep), FAST,
     "create_polyblep($self, /, **options)\n--\n\nA new PolyBLEPNode (options as its "
     "constructor)."},
    {"create_supersaw", CAST(ctx_create_supersaw), FAST,
     "create_supersaw($self, /, **options)\n--\n\nA new SupersawNode (options as its "
     "constructor)."},
    {"create_clip", CAST(ctx_create_clip), FAST,
     "create_clip($self, /, **options)\n--\n\nA new ClipNode (options as its constructor)."},
    {"create_diode", CAST(ctx_create_diode), FAST,
     "create_diode($self, /, **options)\n--\n\nA new DiodeNode (options as its constructor)."},
    {NULL}};

static int
add(PyObject *m, PyTypeObject **slot, PyType_Spec *spec, PyTypeObject *base)
{
    PyObject *bases = PyTuple_Pack(1, (PyObject *)base);
    if (bases == NULL) {
        return -1;
    }
    PyObject *t = PyType_FromModuleAndSpec(m, spec, bases);
    Py_DECREF(bases);
    if (t == NULL) {
        return -1;
    }
    *slot = (PyTypeObject *)t;   /* borrowed from the module from here on */
    if (PyModule_AddObject(m, strrchr(spec->name, '.') + 1, t) < 0) {
        Py_DECREF(t);
        return -1;
    }
    return 0;
}

int
lspy_extended_a_init(PyObject *m, lspy_state *st)
{
    PyTypeObject *src = st->AudioScheduledSourceNode_Type, *node = st->AudioNode_Type;
    if (add(m, &Noise_Type, &noise_spec, src) < 0 || add(m, &ADSR_Type, &adsr_spec, node) < 0 ||
        add(m, &PolyBLEP_Type, &pb_spec, src) < 0 || add(m, &Supersaw_Type, &ss_spec, src) < 0 ||
        add(m, &Clip_Type, &clip_spec, node) < 0 || add(m, &Diode_Type, &diode_spec, node) < 0) {
        return -1;
    }
    PyTypeObject *ctx = st->BaseAudioContext_Type;
    for (PyMethodDef *d = ctx_methods; d->ml_name != NULL; d++) {
        PyObject *descr = PyDescr_NewMethod(ctx, d);
        if (descr == NULL) {
            return -1;
        }
        int rc = PyObject_SetAttrString((PyObject *)ctx, d->ml_name, descr);
        Py_DECREF(descr);
        if (rc < 0) {
            return -1;
        }
    }
    return 0;
}
