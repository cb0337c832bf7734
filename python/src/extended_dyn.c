/*
 * The extended node set, monitors and dynamics (include/labsound/extended.h):
 * PowerMonitorNode, SpectralMonitorNode, PeakCompNode and PWMNode.
 *
 * Built as python/src/extended_a.c builds the first block: a constructor
 * `ls.XNode(context, options=None, **keywords)` and a factory
 * `context.create_x(**keywords)` per type, one option table per type.
 */
#include "core.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define NODE(o) ((lspy_NodeObject *)(o))
#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))
#define NODE_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC)
#define XD_MAX_OPTS 8

static PyTypeObject *PowerMonitor_Type, *SpectralMonitor_Type, *PeakComp_Type, *PWM_Type;

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

typedef enum { K_PARAM, K_TIME, K_ENUM, K_SEED, K_BOOL, K_COUNT } xd_okind;

typedef struct {
    const char *name;
    xd_okind kind;
    const char *const *choices;     /* K_ENUM */
} xd_opt;

typedef struct {
    const char *type_name;
    const char *factory;
    const xd_opt *opts;             /* the node's own keywords, NULL-name terminated */
} xd_kind;

/* A parsed option: present, and its value by kind. */
typedef struct {
    int set;
    float f;                        /* K_PARAM, K_TIME */
    int i;                          /* K_ENUM, K_BOOL */
    uint64_t u;                     /* K_SEED, K_COUNT */
} xd_val;

static const char *const channel_names[] = {"channel_count", "channel_count_mode",
                                            "channel_interpretation"};

static int
count_opts(const xd_opt *o)
{
    int n = 0;
    while (o[n].name != NULL) {
        n++;
    }
    return n;
}

static int
convert(const xd_opt *opt, PyObject *v, const char *fn, xd_val *out)
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
xd_parse(lspy_state *st, const xd_kind *k, PyObject *ctx, PyObject *const *args, Py_ssize_t nargs,
         PyObject *kwnames, PyObject *tuple, PyObject *dict, xd_val *vals, ls_node_options *no,
         PyObject **ctx_out, const char **fn)
{
    const int n = count_opts(k->opts);
    const char *names[XD_MAX_OPTS + 6];
    PyObject *raw[XD_MAX_OPTS + 6], *owned[XD_MAX_OPTS + 6];
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
    for (int i = 0; i < XD_MAX_OPTS + 6; i++) {
        Py_XDECREF(owned[i]);
    }
    return rc;
}

static PyObject *
xd_finish(lspy_state *st, PyTypeObject *type, PyObject *ctx, ls_result r, ls_node *n,
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

static const xd_opt pm_opts[] = {{"window_size", K_COUNT, NULL}, {NULL}};
static const xd_kind pm_kind = {"PowerMonitorNode", "create_power_monitor", pm_opts};

static const xd_opt sm_opts[] = {{"window_size", K_COUNT, NULL}, {NULL}};
static const xd_kind sm_kind = {"SpectralMonitorNode", "create_spectral_monitor", sm_opts};

static const xd_opt pc_opts[] = {
    {"threshold", K_PARAM, NULL}, {"ratio", K_PARAM, NULL}, {"attack", K_TIME, NULL},
    {"release", K_TIME, NULL},    {"makeup", K_PARAM, NULL}, {"knee", K_PARAM, NULL},
    {NULL}};
static const xd_kind pc_kind = {"PeakCompNode", "create_peak_comp", pc_opts};

static const xd_opt pwm_opts[] = {{NULL}};
static const xd_kind pwm_kind = {"PWMNode", "create_pwm", pwm_opts};

typedef ls_result (*xd_build)(lspy_state *st, ls_context *c, const xd_val *v,
                              const ls_node_options *no, const char *fn, ls_node **out);

static ls_result
build_pm(lspy_state *st, ls_context *c, const xd_val *v, const ls_node_options *no,
         const char *fn, ls_node **out)
{
    ls_power_monitor_options o = ls_power_monitor_options_default();
    o.node = *no;
    if (v[0].set) {
        if (v[0].u < 1 || v[0].u > LS_POWER_MONITOR_MAX_WINDOW) {
            PyErr_Format(PyExc_ValueError,
                         "%s(window_size): must be between 1 and %u frames, got %llu", fn,
                         LS_POWER_MONITOR_MAX_WINDOW, (unsigned long long)v[0].u);
            return LS_ERROR_RANGE;
        }
        o.window_size = (uint32_t)v[0].u;
    }
    return ls_power_monitor_create(c, &o, out);
}

static ls_result
build_sm(lspy_state *st, ls_context *c, const xd_val *v, const ls_node_options *no,
         const char *fn, ls_node **out)
{
    ls_spectral_monitor_options o = ls_spectral_monitor_options_default();
    o.node = *no;
    if (v[0].set) {
        uint64_t n = v[0].u;
        if (n < LS_SPECTRAL_MONITOR_MIN_WINDOW || n > LS_SPECTRAL_MONITOR_MAX_WINDOW ||
            (n & (n - 1)) != 0) {
            PyErr_Format(PyExc_ValueError,
                         "%s(window_size): must be a power of two between %u and %u, got %llu",
                         fn, LS_SPECTRAL_MONITOR_MIN_WINDOW, LS_SPECTRAL_MONITOR_MAX_WINDOW,
                         (unsigned long long)n);
            return LS_ERROR_RANGE;
        }
        o.window_size = (uint32_t)n;
    }
    return ls_spectral_monitor_create(c, &o, out);
}

static int
range_error(const char *fn, const char *arg, const char *what, float value)
{
    PyObject *d = PyFloat_FromDouble(value);
    if (d != NULL) {
        PyErr_Format(PyExc_ValueError, "%s(%s): must be %s, got %R", fn, arg, what, d);
        Py_DECREF(d);
    }
    return -1;
}

static ls_result
build_pc(lspy_state *st, ls_context *c, const xd_val *v, const ls_node_options *no,
         const char *fn, ls_node **out)
{
    ls_peak_comp_options o = ls_peak_comp_options_default();
    o.node = *no;
    o.threshold = F(0, f, o.threshold);
    o.ratio = F(1, f, o.ratio);
    o.attack = F(2, f, o.attack);
    o.release = F(3, f, o.release);
    o.makeup = F(4, f, o.makeup);
    o.knee = F(5, f, o.knee);
    if (o.ratio < 1.0f) {
        range_error(fn, "ratio", "at least 1", o.ratio);
        return LS_ERROR_RANGE;
    }
    if (o.knee < 0.0f) {
        range_error(fn, "knee", "a non-negative width in dB", o.knee);
        return LS_ERROR_RANGE;
    }
    return ls_peak_comp_create(c, &o, out);
}

static ls_result
build_pwm(lspy_state *st, ls_context *c, const xd_val *v, const ls_node_options *no,
          const char *fn, ls_node **out)
{
    return ls_pwm_create(c, no, out);
}

static PyObject *
xd_create(const xd_kind *k, xd_build build, PyTypeObject *type, PyObject *ctx,
          PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple,
          PyObject *dict)
{
    lspy_state *st = lspy_state_from_type(type);
    if (st == NULL) {
        return NULL;
    }
    xd_val vals[XD_MAX_OPTS];
    ls_node_options no;
    PyObject *context = NULL;
    const char *fn;
    if (xd_parse(st, k, ctx, args, nargs, kwnames, tuple, dict, vals, &no, &context, &fn) < 0) {
        return NULL;
    }
    ls_node *n = NULL;
    ls_result r = build(st, lspy_ctx_of(context), vals, &no, fn, &n);
    if (r != LS_OK && PyErr_Occurred()) {
        return NULL;
    }
    return xd_finish(st, type, context, r, n, fn);
}

#define XD_TYPE_FUNCS(lower, kind, build, slot)                                                 \
    static PyObject *lower##_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)          \
    {                                                                                           \
        return xd_create(&kind, build, type, NULL, NULL, 0, NULL, args, kwargs);               \
    }                                                                                           \
    static PyObject *ctx_create_##lower(PyObject *self, PyObject *const *args, Py_ssize_t nargs, \
                                        PyObject *kw)                                           \
    {                                                                                           \
        return xd_create(&kind, build, slot, self, args, nargs, kw, NULL, NULL);               \
    }

XD_TYPE_FUNCS(power_monitor, pm_kind, build_pm, PowerMonitor_Type)
XD_TYPE_FUNCS(spectral_monitor, sm_kind, build_sm, SpectralMonitor_Type)
XD_TYPE_FUNCS(peak_comp, pc_kind, build_pc, PeakComp_Type)
XD_TYPE_FUNCS(pwm, pwm_kind, build_pwm, PWM_Type)

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
} xd_param;

static PyObject *
get_param(lspy_NodeObject *self, void *closure)
{
    const xd_param *ps = (const xd_param *)closure;
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
    static const xd_param P_##slot##_##name = {slot, #name};
#define PARAM_GETSET(slot, name, doc)                                                           \
    {#name, (getter)get_param, NULL, doc " (AudioParam).", (void *)&P_##slot##_##name}

static PyObject *
pm_get_db(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble(ls_power_monitor_get_db(self->node));
}

static PyObject *
pm_get_window_size(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(ls_power_monitor_get_window_size(self->node));
}

static PyObject *
sm_get_window_size(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(ls_spectral_monitor_get_window_size(self->node));
}

/* spectral_magnitude(): a new float32 array of window_size / 2 + 1 values */
static PyObject *
sm_spectral_magnitude(lspy_NodeObject *self, PyObject *unused)
{
    lspy_state *st = LSPY_STATE(self);
    if (check_live(st, self) < 0 || lspy_need_numpy(st) < 0) {
        return NULL;
    }
    Py_ssize_t n = (Py_ssize_t)ls_spectral_monitor_get_window_size(self->node) / 2 + 1;
    PyObject *shape = Py_BuildValue("(n)", n);
    if (shape == NULL) {
        return NULL;
    }
    PyObject *a = PyObject_CallFunctionObjArgs(st->np_empty, shape, st->np_float32, NULL);
    Py_DECREF(shape);
    if (a == NULL) {
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(a, &view, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0) {
        Py_DECREF(a);
        return NULL;
    }
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_spectral_monitor_get_magnitude(self->node, (float *)view.buf, (uint32_t)n);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (r != LS_OK) {
        Py_DECREF(a);
        return lspy_raise_call(st, r, "spectral_magnitude");
    }
    return a;
}

/* ------------------------------------------------------------------ */
/* Types                                                               */
/* ------------------------------------------------------------------ */

static int
xd_traverse(lspy_NodeObject *self, visitproc visit, void *arg)
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
xd_clear(lspy_NodeObject *self)
{
    Py_CLEAR(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_CLEAR(self->params[i]);
    }
    Py_CLEAR(self->context);
    return 0;
}

#define GC_SLOTS {Py_tp_traverse, xd_traverse}, {Py_tp_clear, xd_clear}

/* PowerMonitorNode */
static PyGetSetDef pm_getset[] = {
    {"db", (getter)pm_get_db, NULL,
     "The RMS level of the latest window_size frames in dB (read-only; -120 for silence). "
     "Readable at any time, also while a real-time context plays.", NULL},
    {"window_size", (getter)pm_get_window_size, NULL, "The window in frames (read-only).", NULL},
    {NULL}};
static PyType_Slot pm_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "PowerMonitorNode(context, options=None, *, window_size=128, channel_count=2, "
                "channel_count_mode='max', channel_interpretation='speakers')\n--\n\n"
                "Passes its input through unchanged; db reads the RMS level, in dB\n"
                "(20 log10 rms, the channels' powers averaged, floored at -120), of the latest\n"
                "window_size frames (1 to 65536, default 128). Readable from any Python thread\n"
                "while a real-time context plays (one atomic load). Also made by\n"
                "context.create_power_monitor(**options).\n"
                "\n"
                "    pm = ctx.create_power_monitor(window_size=1024)\n"
                "    mic >> pm\n"
                "    print(pm.db)\n"
                "\n"
                "Errors: ValueError for window_size outside 1..65536."},
    {Py_tp_new, power_monitor_new},
    {Py_tp_getset, pm_getset},
    {0, NULL}};
static PyType_Spec pm_spec = {"labsound.PowerMonitorNode", sizeof(lspy_NodeObject), 0,
                              NODE_FLAGS, pm_slots};

/* SpectralMonitorNode */
static PyGetSetDef sm_getset[] = {
    {"window_size", (getter)sm_get_window_size, NULL, "The window in frames (read-only).", NULL},
    {NULL}};
static PyMethodDef sm_methods[] = {
    {"spectral_magnitude", (PyCFunction)sm_spectral_magnitude, METH_NOARGS,
     "spectral_magnitude($self, /)\n--\n\nThe magnitude spectrum of the latest window_size "
     "frames (mono down-mix, Blackman window, scaled by 2 / sum(window)): a float32 array of "
     "window_size // 2 + 1 values, bins 0 .. Nyquist."},
    {NULL}};
static PyType_Slot sm_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "SpectralMonitorNode(context, options=None, *, window_size=512, channel_count=2, "
                "channel_count_mode='max', channel_interpretation='speakers')\n--\n\n"
                "Passes its input through unchanged; spectral_magnitude() returns the magnitude\n"
                "spectrum (window_size / 2 + 1 float32 values, linear, a full-scale sine on a\n"
                "bin reads 1) of its latest window_size frames (a power of two, 32 to 32768,\n"
                "default 512), mixed to mono, under a Blackman window. Also made by\n"
                "context.create_spectral_monitor(**options).\n"
                "\n"
                "    sm = ctx.create_spectral_monitor(window_size=1024)\n"
                "    src >> sm\n"
                "    mags = sm.spectral_magnitude()     # bin k is k * sample_rate / 1024 Hz\n"
                "\n"
                "Errors: ValueError for a window_size that is not a power of two in range."},
    {Py_tp_new, spectral_monitor_new},
    {Py_tp_getset, sm_getset},
    {Py_tp_methods, sm_methods},
    {0, NULL}};
static PyType_Spec sm_spec = {"labsound.SpectralMonitorNode", sizeof(lspy_NodeObject), 0,
                              NODE_FLAGS, sm_slots};

/* PeakCompNode */
PARAM(0, threshold, "")
PARAM(1, ratio, "")
PARAM(2, attack, "")
PARAM(3, release, "")
PARAM(4, makeup, "")
PARAM(5, knee, "")
static PyGetSetDef pc_getset[] = {
    PARAM_GETSET(0, threshold, "dB: where compression starts"),
    PARAM_GETSET(1, ratio, "Input dB per output dB above the threshold (>= 1)"),
    PARAM_GETSET(2, attack, "Seconds: the envelope's time constant while the peak rises"),
    PARAM_GETSET(3, release, "Seconds: the envelope's time constant while the peak falls"),
    PARAM_GETSET(4, makeup, "dB of gain after compression"),
    PARAM_GETSET(5, knee, "dB: the soft knee's full width around the threshold (0: hard)"),
    {NULL}};
static PyType_Slot pc_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "PeakCompNode(context, options=None, *, threshold=-20.0, ratio=4.0, "
                "attack=0.001, release=0.1, makeup=0.0, knee=0.0, channel_count=2, "
                "channel_count_mode='max', channel_interpretation='speakers')\n--\n\n"
                "LabSound's feed-forward peak compressor (linked channels, soft knee).\n"
                "threshold (dB), ratio (>= 1), attack and release (seconds), makeup (dB) and\n"
                "knee (dB, the knee's full width; 0 is a hard knee) are a-rate AudioParams.\n"
                "Above the threshold the level rises 1/ratio dB per dB. Also made by\n"
                "context.create_peak_comp(**options).\n"
                "\n"
                "    pc = ctx.create_peak_comp(threshold=-18, ratio=6, attack=0.002, release=0.08)\n"
                "    drums >> pc >> ctx.destination\n"
                "\n"
                "Errors: ValueError for non-finite values, ratio below 1, or a negative time\n"
                "or knee."},
    {Py_tp_new, peak_comp_new},
    {Py_tp_getset, pc_getset},
    {0, NULL}};
static PyType_Spec pc_spec = {"labsound.PeakCompNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS,
                              pc_slots};

/* PWMNode */
static PyType_Slot pwm_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "PWMNode(context, options=None, *, channel_count=1, channel_count_mode='max', "
                "channel_interpretation='speakers')\n--\n\n"
                "Pulse-width modulation: two inputs, carrier (0) and modulator (1); the output\n"
                "is 1 where the carrier is above the modulator, else -1. With nothing connected\n"
                "to input 1 the carrier passes through unchanged (LabSound's behaviour). Also\n"
                "made by context.create_pwm(**options).\n"
                "\n"
                "    pwm = ctx.create_pwm()\n"
                "    saw.connect(pwm, 0, 0); lfo.connect(pwm, 0, 1)\n"
                "    pwm >> ctx.destination"},
    {Py_tp_new, pwm_new},
    {0, NULL}};
static PyType_Spec pwm_spec = {"labsound.PWMNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS,
                               pwm_slots};

/* Factories, added to BaseAudioContext. */
static PyMethodDef ctx_methods[] = {
    {"create_power_monitor", CAST(ctx_create_power_monitor), FAST,
     "create_power_monitor($self, /, **options)\n--\n\nA new PowerMonitorNode (options as its "
     "constructor)."},
    {"create_spectral_monitor", CAST(ctx_create_spectral_monitor), FAST,
     "create_spectral_monitor($self, /, **options)\n--\n\nA new SpectralMonitorNode (options as "
     "its constructor)."},
    {"create_peak_comp", CAST(ctx_create_peak_comp), FAST,
     "create_peak_comp($self, /, **options)\n--\n\nA new PeakCompNode (options as its "
     "constructor)."},
    {"create_pwm", CAST(ctx_create_pwm), FAST,
     "create_pwm($self, /, **options)\n--\n\nA new PWMNode (options as its constructor)."},
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
lspy_extended_dyn_init(PyObject *m, lspy_state *st)
{
    PyTypeObject *node = st->AudioNode_Type;
    if (add(m, &PowerMonitor_Type, &pm_spec, node) < 0 ||
        add(m, &SpectralMonitor_Type, &sm_spec, node) < 0 ||
        add(m, &PeakComp_Type, &pc_spec, node) < 0 || add(m, &PWM_Type, &pwm_spec, node) < 0) {
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
