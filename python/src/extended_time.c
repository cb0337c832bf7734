/*
 * The extended node set, tempo-synced delays and the sampler
 * (include/labsound/extended.h): BPMDelayNode, PingPongDelayNode and
 * SampledAudioNode.
 *
 * Built as python/src/extended_dyn.c builds its block: a constructor
 * `ls.XNode(context, options=None, **keywords)` and a factory
 * `context.create_x(**keywords)` per type, one option table per type.
 */
#include "core.h"
#include "buffer_nodes.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <labsound/extended.h>

#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))
#define NODE_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC)
#define XT_MAX_OPTS 8

static PyTypeObject *BPMDelay_Type, *PingPongDelay_Type, *SampledAudio_Type;

/* The note values, in ls_note_value order. */
static const char *const note_names[] = {
    "whole", "half", "quarter", "eighth", "sixteenth", "thirty-second",
    "dotted-whole", "dotted-half", "dotted-quarter", "dotted-eighth", "dotted-sixteenth",
    "dotted-thirty-second",
    "whole-triplet", "half-triplet", "quarter-triplet", "eighth-triplet", "sixteenth-triplet",
    "thirty-second-triplet", NULL};

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

typedef enum { K_PARAM, K_TEMPO, K_MAXTIME, K_NOTE, K_BUFFER, K_INTERP } xt_okind;

typedef struct {
    const char *name;
    xt_okind kind;
} xt_opt;

typedef struct {
    const char *type_name;
    const char *factory;
    const xt_opt *opts;             /* NULL-name terminated */
} xt_kind;

typedef struct {
    int set;
    float f;                        /* K_PARAM */
    double d;                       /* K_TEMPO, K_MAXTIME */
    int i;                          /* K_NOTE */
    PyObject *o;                    /* K_BUFFER: a new reference (Py_None for none) */
} xt_val;

static const char *const channel_names[] = {"channel_count", "channel_count_mode",
                                            "channel_interpretation"};

static int
count_opts(const xt_opt *o)
{
    int n = 0;
    while (o[n].name != NULL) {
        n++;
    }
    return n;
}

static int
value_error(const char *fn, const char *arg, const char *what, double value)
{
    PyObject *d = PyFloat_FromDouble(value);
    if (d != NULL) {
        if (fn != NULL) {
            PyErr_Format(PyExc_ValueError, "%s(%s): must be %s, got %R", fn, arg, what, d);
        }
        else {
            PyErr_Format(PyExc_ValueError, "%s: must be %s, got %R", arg, what, d);
        }
        Py_DECREF(d);
    }
    return -1;
}

/* A tempo: a finite number of beats per minute above 0. */
static int
arg_tempo(PyObject *v, const char *fn, const char *arg, double *out)
{
    if (lspy_arg_finite(v, fn, arg, out) < 0) {
        return -1;
    }
    if (!(*out > 0.0)) {
        return value_error(fn, arg, "a tempo in BPM above 0", *out);
    }
    return 0;
}

/* The buffer argument: an AudioBuffer, None, or a path to load at the
 * context's rate. A new reference in *out (Py_None for none). */
static int
buffer_arg(lspy_state *st, PyObject *ctx, PyObject *v, const char *fn, PyObject **out)
{
    if (v == NULL || v == Py_None) {
        Py_INCREF(Py_None);
        *out = Py_None;
        return 0;
    }
    if (PyObject_TypeCheck(v, st->AudioBuffer_Type)) {
        Py_INCREF(v);
        *out = v;
        return 0;
    }
    if (PyUnicode_Check(v) || PyObject_HasAttrString(v, "__fspath__")) {
        PyObject *b = lspy_load_for_context(ctx, v);
        if (b == NULL) {
            return -1;
        }
        *out = b;
        return 0;
    }
    if (fn != NULL) {
        PyErr_Format(PyExc_TypeError,
                     "%s(buffer): buffer must be an AudioBuffer, a path or None, got %.200s", fn,
                     LSPY_TP_NAME(v));
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "buffer: buffer must be an AudioBuffer, a path or None, got %.200s",
                     LSPY_TP_NAME(v));
    }
    return -1;
}

static int
convert(lspy_state *st, PyObject *ctx, const xt_opt *opt, PyObject *v, const char *fn,
        xt_val *out)
{
    out->set = 1;
    switch (opt->kind) {
    case K_PARAM:
        return lspy_arg_float(v, fn, opt->name, &out->f);
    case K_TEMPO:
        return arg_tempo(v, fn, opt->name, &out->d);
    case K_MAXTIME:
        if (lspy_arg_finite(v, fn, opt->name, &out->d) < 0) {
            return -1;
        }
        if (!(out->d > 0.0 && out->d < 180.0)) {
            lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                       "%s(max_delay_time): must be above 0 and below 180 seconds, got %R", fn,
                       v);
            return -1;
        }
        return 0;
    case K_NOTE:
        return lspy_arg_enum(v, fn, opt->name, note_names, &out->i);
    case K_BUFFER:
        return buffer_arg(st, ctx, v, fn, &out->o);
    case K_INTERP:
        return lspy_bn_interpolation(v, fn, opt->name, &out->i);
    }
    return 0;
}

static void
release_vals(xt_val *vals, int n)
{
    for (int i = 0; i < n; i++) {
        Py_CLEAR(vals[i].o);
    }
}

/* Parse a constructor call (tuple/dict) or a factory call (vectorcall on
 * ctx, keywords only) into vals[] and the channel options. */
static int
xt_parse(lspy_state *st, const xt_kind *k, PyObject *ctx, PyObject *const *args,
         Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict, xt_val *vals,
         ls_node_options *no, PyObject **ctx_out, const char **fn)
{
    const int n = count_opts(k->opts);
    const char *names[XT_MAX_OPTS + 6];
    PyObject *raw[XT_MAX_OPTS + 6], *owned[XT_MAX_OPTS + 6];
    int base;
    int rc = -1;
    memset(owned, 0, sizeof owned);
    memset(raw, 0, sizeof raw);
    for (int i = 0; i < n; i++) {
        vals[i].set = 0;
        vals[i].o = NULL;
    }
    if (ctx != NULL) {
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
        if (raw[base + i] != NULL &&
            convert(st, *ctx_out, &k->opts[i], raw[base + i], *fn, &vals[i]) < 0) {
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
    for (int i = 0; i < XT_MAX_OPTS + 6; i++) {
        Py_XDECREF(owned[i]);
    }
    if (rc < 0) {
        release_vals(vals, n);
    }
    return rc;
}

#define F(i, field, fallback) (v[i].set ? v[i].field : (fallback))

/* ------------------------------------------------------------------ */
/* The node types' option tables and constructors                      */
/* ------------------------------------------------------------------ */

static const xt_opt bpm_opts[] = {
    {"tempo", K_TEMPO}, {"note", K_NOTE}, {"max_delay_time", K_MAXTIME}, {NULL}};
static const xt_kind bpm_kind = {"BPMDelayNode", "create_bpm_delay", bpm_opts};

static const xt_opt ppd_opts[] = {
    {"tempo", K_TEMPO},    {"note", K_NOTE}, {"max_delay_time", K_MAXTIME},
    {"feedback", K_PARAM}, {"wet", K_PARAM}, {"dry", K_PARAM},
    {NULL}};
static const xt_kind ppd_kind = {"PingPongDelayNode", "create_ping_pong_delay", ppd_opts};

static const xt_opt sa_opts[] = {
    {"buffer", K_BUFFER}, {"playback_rate", K_PARAM}, {"detune", K_PARAM},
    {"interpolation", K_INTERP}, {NULL}};
static const xt_kind sa_kind = {"SampledAudioNode", "create_sampled_audio", sa_opts};

/* The delay of tempo and note must fit in max_delay_time. */
static int
check_fits(const char *fn, const char *arg, double tempo, int note, double max_delay)
{
    double t = ls_tempo_delay_time(tempo, (ls_note_value)note);
    if (!(t <= max_delay)) {
        PyObject *a = PyFloat_FromDouble(t), *b = PyFloat_FromDouble(max_delay);
        if (a != NULL && b != NULL) {
            if (fn != NULL) {
                PyErr_Format(PyExc_ValueError,
                             "%s(%s): the delay 60 / tempo * beats is %R s, longer than "
                             "max_delay_time (%R s)",
                             fn, arg, a, b);
            }
            else {
                PyErr_Format(PyExc_ValueError,
                             "%s: the delay 60 / tempo * beats is %R s, longer than "
                             "max_delay_time (%R s)",
                             arg, a, b);
            }
        }
        Py_XDECREF(a);
        Py_XDECREF(b);
        return -1;
    }
    return 0;
}

typedef ls_result (*xt_build)(lspy_state *st, ls_context *c, const xt_val *v,
                              const ls_node_options *no, const char *fn, ls_node **out);

static ls_result
build_bpm(lspy_state *st, ls_context *c, const xt_val *v, const ls_node_options *no,
          const char *fn, ls_node **out)
{
    ls_bpm_delay_options o = ls_bpm_delay_options_default();
    o.node = *no;
    o.tempo = F(0, d, o.tempo);
    o.note = (ls_note_value)F(1, i, (int)o.note);
    o.max_delay_time = F(2, d, o.max_delay_time);
    if (check_fits(fn, v[0].set || !v[1].set ? "tempo" : "note", o.tempo, (int)o.note,
                   o.max_delay_time) < 0) {
        return LS_ERROR_RANGE;
    }
    return ls_bpm_delay_create(c, &o, out);
}

static ls_result
build_ppd(lspy_state *st, ls_context *c, const xt_val *v, const ls_node_options *no,
          const char *fn, ls_node **out)
{
    ls_ping_pong_delay_options o = ls_ping_pong_delay_options_default();
    o.node = *no;
    o.tempo = F(0, d, o.tempo);
    o.note = (ls_note_value)F(1, i, (int)o.note);
    o.max_delay_time = F(2, d, o.max_delay_time);
    o.feedback = F(3, f, o.feedback);
    o.wet = F(4, f, o.wet);
    o.dry = F(5, f, o.dry);
    if (check_fits(fn, v[0].set || !v[1].set ? "tempo" : "note", o.tempo, (int)o.note,
                   o.max_delay_time) < 0) {
        return LS_ERROR_RANGE;
    }
    return ls_ping_pong_delay_create(c, &o, out);
}

static ls_result
build_sa(lspy_state *st, ls_context *c, const xt_val *v, const ls_node_options *no,
         const char *fn, ls_node **out)
{
    ls_sampled_audio_options o = ls_sampled_audio_options_default();
    o.node = *no;
    if (v[0].set && v[0].o != Py_None) {
        o.buffer = ((lspy_BufferObject *)v[0].o)->buf;
    }
    o.playback_rate = F(1, f, o.playback_rate);
    o.detune = F(2, f, o.detune);
    o.interpolation = (ls_interpolation)F(3, i, (int)o.interpolation);
    return ls_sampled_audio_create(c, &o, out);
}

static PyObject *
xt_create(const xt_kind *k, xt_build build, PyTypeObject *type, PyObject *ctx,
          PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple,
          PyObject *dict)
{
    lspy_state *st = lspy_state_from_type(type);
    if (st == NULL) {
        return NULL;
    }
    xt_val vals[XT_MAX_OPTS];
    ls_node_options no;
    PyObject *context = NULL;
    const char *fn;
    if (xt_parse(st, k, ctx, args, nargs, kwnames, tuple, dict, vals, &no, &context, &fn) < 0) {
        return NULL;
    }
    ls_node *n = NULL;
    ls_result r = build(st, lspy_ctx_of(context), vals, &no, fn, &n);
    release_vals(vals, count_opts(k->opts));
    if (r != LS_OK) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        if (r == LS_ERROR_INVALID_STATE &&
            ls_context_get_state(lspy_ctx_of(context)) == LS_CONTEXT_STATE_CLOSED) {
            return lspy_raise(st, r, "%s(): the context is closed", fn);
        }
        return lspy_raise_call(st, r, fn);
    }
    return lspy_node_wrap(st, type, context, n);
}

#define XT_TYPE_FUNCS(lower, kind, build, slot)                                                 \
    static PyObject *lower##_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)          \
    {                                                                                           \
        return xt_create(&kind, build, type, NULL, NULL, 0, NULL, args, kwargs);               \
    }                                                                                           \
    static PyObject *ctx_create_##lower(PyObject *self, PyObject *const *args, Py_ssize_t nargs, \
                                        PyObject *kw)                                           \
    {                                                                                           \
        return xt_create(&kind, build, slot, self, args, nargs, kw, NULL, NULL);               \
    }

XT_TYPE_FUNCS(bpm_delay, bpm_kind, build_bpm, BPMDelay_Type)
XT_TYPE_FUNCS(ping_pong_delay, ppd_kind, build_ppd, PingPongDelay_Type)
XT_TYPE_FUNCS(sampled_audio, sa_kind, build_sa, SampledAudio_Type)

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

#define LIVE(self, ret)                                                                         \
    lspy_state *st = LSPY_STATE(self);                                                          \
    if (check_live(st, (self)) < 0) {                                                           \
        return ret;                                                                             \
    }

typedef struct {
    int slot;
    const char *name;               /* the engine's name */
} xt_param;

static PyObject *
get_param(lspy_NodeObject *self, void *closure)
{
    const xt_param *ps = (const xt_param *)closure;
    PyObject *p = self->params[ps->slot];
    if (p == NULL) {
        LIVE(self, NULL);
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

/* Tempo, note and delay time, shared by the two delays through a table. */
typedef struct {
    ls_result (*set_tempo)(ls_node *, double);
    ls_result (*set_note)(ls_node *, ls_note_value);
    double (*tempo)(const ls_node *);
    int (*note)(const ls_node *);
    double (*delay_time)(const ls_node *);
    double (*max_delay_time)(const ls_node *);
} xt_tempo_ops;

static const xt_tempo_ops bpm_ops = {ls_bpm_delay_set_tempo, ls_bpm_delay_set_note,
                                     ls_bpm_delay_tempo,     ls_bpm_delay_note,
                                     ls_bpm_delay_delay_time, ls_bpm_delay_max_delay_time};
static const xt_tempo_ops ppd_ops = {ls_ping_pong_delay_set_tempo, ls_ping_pong_delay_set_note,
                                     ls_ping_pong_delay_tempo,     ls_ping_pong_delay_note,
                                     ls_ping_pong_delay_delay_time,
                                     ls_ping_pong_delay_max_delay_time};

static PyObject *
get_tempo(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    return PyFloat_FromDouble(((const xt_tempo_ops *)c)->tempo(self->node));
}

static int
set_tempo(lspy_NodeObject *self, PyObject *value, void *c)
{
    LIVE(self, -1);
    const xt_tempo_ops *ops = c;
    double t;
    if (no_delete(value, "tempo") < 0 || arg_tempo(value, NULL, "tempo", &t) < 0 ||
        check_fits(NULL, "tempo", t, ops->note(self->node), ops->max_delay_time(self->node)) <
            0) {
        return -1;
    }
    ls_result r = ops->set_tempo(self->node, t);
    if (r != LS_OK) {
        lspy_raise_call(st, r, "tempo");
        return -1;
    }
    return 0;
}

static PyObject *
get_note(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    int n = ((const xt_tempo_ops *)c)->note(self->node);
    if (n < 0 || n >= LS_NOTE_COUNT) {
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(note_names[n]);
}

static int
set_note(lspy_NodeObject *self, PyObject *value, void *c)
{
    LIVE(self, -1);
    const xt_tempo_ops *ops = c;
    int n;
    if (no_delete(value, "note") < 0 || lspy_arg_enum(value, NULL, "note", note_names, &n) < 0 ||
        check_fits(NULL, "note", ops->tempo(self->node), n, ops->max_delay_time(self->node)) <
            0) {
        return -1;
    }
    ls_result r = ops->set_note(self->node, (ls_note_value)n);
    if (r != LS_OK) {
        lspy_raise_call(st, r, "note");
        return -1;
    }
    return 0;
}

static PyObject *
get_delay_time(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    return PyFloat_FromDouble(((const xt_tempo_ops *)c)->delay_time(self->node));
}

static PyObject *
get_max_delay_time(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    return PyFloat_FromDouble(((const xt_tempo_ops *)c)->max_delay_time(self->node));
}

#define TEMPO_GETSET(ops, what)                                                                 \
    {"tempo", (getter)get_tempo, (setter)set_tempo,                                             \
     "The tempo in beats (quarter notes) per minute, above 0. Setting it changes the " what     \
     " at the context's current time; ValueError when not finite, not above 0, or when the "   \
     "delay would exceed max_delay_time.",                                                      \
     (void *)&ops},                                                                             \
    {"note", (getter)get_note, (setter)set_note,                                                \
     "The note value of the delay: 'whole', 'half', 'quarter', 'eighth', 'sixteenth', "         \
     "'thirty-second', each also as 'dotted-...' (1.5 times) and '...-triplet' (2/3 times). "   \
     "ValueError for another string, TypeError for a non-string.",                              \
     (void *)&ops},                                                                             \
    {"delay_time", (getter)get_delay_time, NULL,                                                \
     "The delay in seconds, 60 / tempo * beats(note) (read-only float).", (void *)&ops},        \
    {"max_delay_time", (getter)get_max_delay_time, NULL,                                        \
     "The longest delay the node holds, in seconds (read-only, set at creation).",              \
     (void *)&ops}

static const xt_param P_feedback = {0, "feedback"}, P_wet = {1, "wet"}, P_dry = {2, "dry"};
static const xt_param P_rate = {0, "playbackRate"}, P_detune = {1, "detune"};

/* SampledAudioNode */

static PyObject *
sa_get_buffer(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    ls_buffer *b = ls_sampled_audio_buffer(self->node);
    if (b == NULL) {
        Py_RETURN_NONE;
    }
    return lspy_buffer_wrap(st, b);
}

static int
sa_set_buffer(lspy_NodeObject *self, PyObject *value, void *c)
{
    LIVE(self, -1);
    PyObject *b;
    if (no_delete(value, "buffer") < 0 || buffer_arg(st, self->context, value, NULL, &b) < 0) {
        return -1;
    }
    ls_buffer *lb = b == Py_None ? NULL : ((lspy_BufferObject *)b)->buf;
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_sampled_audio_set_buffer(self->node, lb);
    Py_END_ALLOW_THREADS
    Py_DECREF(b);
    if (r != LS_OK) {
        lspy_raise_call(st, r, "buffer");
        return -1;
    }
    return 0;
}

static const char *const schedule_names[] = {"when", "loop_count", "offset", "duration", NULL};
static const lspy_argspec schedule_spec = {"schedule", schedule_names, 4, 0};

static PyObject *
sa_schedule(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    LIVE(self, NULL);
    PyObject *v[4];
    double when = 0.0, offset = 0.0, duration = -1.0;
    long loops = 0;
    if (lspy_parse_fast(&schedule_spec, args, nargs, kwnames, v) < 0 ||
        (v[0] != NULL && lspy_arg_time(v[0], "schedule", "when", &when) < 0) ||
        (v[2] != NULL && lspy_arg_time(v[2], "schedule", "offset", &offset) < 0) ||
        (v[3] != NULL && v[3] != Py_None &&
         lspy_arg_time(v[3], "schedule", "duration", &duration) < 0)) {
        return NULL;
    }
    if (v[1] != NULL) {
        if (PyBool_Check(v[1]) || !PyLong_Check(v[1])) {
            PyErr_Format(PyExc_TypeError, "schedule(loop_count): expected an int, got %.200s",
                         LSPY_TP_NAME(v[1]));
            return NULL;
        }
        int overflow = 0;
        loops = PyLong_AsLongAndOverflow(v[1], &overflow);
        if (loops == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (overflow || loops < -1 || loops > INT32_MAX) {
            PyErr_Format(PyExc_ValueError,
                         "schedule(loop_count): must be -1 (loop until stop) or a count of "
                         "repeats from 0 to 2**31 - 1, got %R",
                         v[1]);
            return NULL;
        }
    }
    ls_buffer *b = ls_sampled_audio_buffer(self->node);
    if (b == NULL) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE,
                          "schedule(): the node has no buffer (set node.buffer first)");
    }
    ls_buffer_release(b);
    ls_result r = ls_sampled_audio_schedule(self->node, when, (int32_t)loops, offset, duration);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "schedule()");
    }
    self->started = 1;
    if (self->onended != NULL && !self->registered &&
        lspy_context_register((lspy_ContextObject *)self->context, self) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static const char *const when_names[] = {"when", NULL};
static const lspy_argspec stop_spec = {"stop", when_names, 1, 0};

static PyObject *
sa_stop(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    LIVE(self, NULL);
    PyObject *v[1];
    double when = 0.0;
    if (lspy_parse_fast(&stop_spec, args, nargs, kwnames, v) < 0 ||
        (v[0] != NULL && lspy_arg_time(v[0], "stop", "when", &when) < 0)) {
        return NULL;
    }
    ls_result r = ls_sampled_audio_stop(self->node, when);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "stop()");
    }
    Py_RETURN_NONE;
}

static PyObject *
sa_clear_schedules(lspy_NodeObject *self, PyObject *unused)
{
    LIVE(self, NULL);
    ls_result r = ls_sampled_audio_clear_schedules(self->node);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "clear_schedules()");
    }
    Py_RETURN_NONE;
}

static PyObject *
sa_get_schedule_count(lspy_NodeObject *self, void *c)
{
    LIVE(self, NULL);
    return PyLong_FromUnsignedLongLong(ls_sampled_audio_schedule_count(self->node));
}

static PyObject *
sa_get_onended(lspy_NodeObject *self, void *closure)
{
    if (self->onended == NULL) {
        Py_RETURN_NONE;
    }
    Py_INCREF(self->onended);
    return self->onended;
}

static int
sa_set_onended(lspy_NodeObject *self, PyObject *value, void *closure)
{
    if (value == Py_None) {
        value = NULL;
    }
    if (value != NULL && !PyCallable_Check(value)) {
        PyErr_Format(PyExc_TypeError, "onended must be a callable or None, got %.200s",
                     LSPY_TP_NAME(value));
        return -1;
    }
    Py_XINCREF(value);
    Py_XSETREF(self->onended, value);
    if (self->context == NULL || self->node == NULL) {
        return 0;
    }
    lspy_ContextObject *ctx = (lspy_ContextObject *)self->context;
    if (value == NULL) {
        if (self->registered) {
            lspy_context_unregister(ctx, self);
        }
    }
    else if (self->started && !self->registered) {
        return lspy_context_register(ctx, self);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Types                                                               */
/* ------------------------------------------------------------------ */

static int
xt_traverse(lspy_NodeObject *self, visitproc visit, void *arg)
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
xt_clear(lspy_NodeObject *self)
{
    Py_CLEAR(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_CLEAR(self->params[i]);
    }
    Py_CLEAR(self->context);
    return 0;
}

#define GC_SLOTS {Py_tp_traverse, xt_traverse}, {Py_tp_clear, xt_clear}

/* BPMDelayNode */
static PyGetSetDef bpm_getset[] = {TEMPO_GETSET(bpm_ops, "delay"), {NULL}};
static PyType_Slot bpm_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "BPMDelayNode(context, options=None, *, tempo=120.0, note='quarter', "
                "max_delay_time=2.0, channel_count=2, channel_count_mode='max', "
                "channel_interpretation='speakers')\n--\n\n"
                "LabSound's BPMDelay: a DelayNode whose delay time follows a tempo and a note\n"
                "value, 60 / tempo * beats seconds (a quarter note is one beat: 'quarter' at\n"
                "120 BPM delays 0.5 s). The same delay line as DelayNode (linear interpolation,\n"
                "cycles through it allowed); delay_time is read-only, set tempo or note to\n"
                "change it. Also made by context.create_bpm_delay(**options).\n"
                "\n"
                "    echo = ctx.create_bpm_delay(tempo=96, note='dotted-eighth')\n"
                "    src >> echo >> ctx.destination\n"
                "\n"
                "Errors: ValueError for a tempo not above 0 or not finite, an unknown note, or\n"
                "a delay longer than max_delay_time; NotSupportedError for max_delay_time\n"
                "outside (0, 180) seconds; TypeError for a non-number tempo or non-string note."},
    {Py_tp_new, bpm_delay_new},
    {Py_tp_getset, bpm_getset},
    {0, NULL}};
static PyType_Spec bpm_spec = {"labsound.BPMDelayNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS,
                               bpm_slots};

/* PingPongDelayNode */
static PyGetSetDef ppd_getset[] = {
    TEMPO_GETSET(ppd_ops, "echoes' spacing"),
    {"feedback", (getter)get_param, NULL,
     "How much of the right echo goes back into the left delay line (a-rate AudioParam, "
     "default 0.5): each echo after the first pair is scaled by it once more.",
     (void *)&P_feedback},
    {"wet", (getter)get_param, NULL,
     "The echoes' gain in the output (a-rate AudioParam, default 1; LabSound's 'level').",
     (void *)&P_wet},
    {"dry", (getter)get_param, NULL,
     "The input's gain in the output (a-rate AudioParam, default 1).", (void *)&P_dry},
    {NULL}};
static PyType_Slot ppd_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "PingPongDelayNode(context, options=None, *, tempo=120.0, note='eighth', "
                "max_delay_time=2.0, feedback=0.5, wet=1.0, dry=1.0, channel_count=2, "
                "channel_count_mode='clamped-max', channel_interpretation='speakers')\n--\n\n"
                "LabSound's stereo ping-pong delay as one node. The input, mixed to mono, is\n"
                "echoed left after 60 / tempo * beats seconds, then right after as long again,\n"
                "then left again scaled by feedback, and so on. The output always has two\n"
                "channels: L = dry * input L + wet * left echoes, R = dry * input R + wet * right\n"
                "echoes. feedback, wet and dry are a-rate AudioParams. Also made by\n"
                "context.create_ping_pong_delay(**options).\n"
                "\n"
                "    pp = ctx.create_ping_pong_delay(tempo=110, note='eighth', feedback=0.4)\n"
                "    src >> pp >> ctx.destination\n"
                "\n"
                "Errors: as BPMDelayNode; NotSupportedError for channel_count above 2 or the\n"
                "'max' channel_count_mode; ValueError for non-finite feedback, wet or dry."},
    {Py_tp_new, ping_pong_delay_new},
    {Py_tp_getset, ppd_getset},
    {0, NULL}};
static PyType_Spec ppd_spec = {"labsound.PingPongDelayNode", sizeof(lspy_NodeObject), 0,
                               NODE_FLAGS, ppd_slots};

/* SampledAudioNode */
static PyObject *
sa_get_interpolation(lspy_NodeObject *self, void *c)
{
    (void)c;
    lspy_state *st = LSPY_STATE(self);
    if (lspy_bn_live(st, self) < 0) {
        return NULL;
    }
    return lspy_bn_interpolation_name(ls_sampled_audio_interpolation(self->node));
}

static int
sa_set_interpolation(lspy_NodeObject *self, PyObject *value, void *c)
{
    (void)c;
    lspy_state *st = LSPY_STATE(self);
    int m;
    if (lspy_bn_live(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'interpolation'");
        return -1;
    }
    if (lspy_bn_interpolation(value, NULL, "interpolation", &m) < 0) {
        return -1;
    }
    return lspy_bn_interpolation_result(
        st, ls_sampled_audio_set_interpolation(self->node, (ls_interpolation)m), "interpolation");
}

static PyGetSetDef sa_getset[] = {
    {"buffer", (getter)sa_get_buffer, (setter)sa_set_buffer,
     "The AudioBuffer the voices play, or None. It may be replaced at any time (a path "
     "loads a file at the context's rate); voices playing the old buffer stop, voices not "
     "started yet play the new one. TypeError for anything but an AudioBuffer, a path or None.",
     NULL},
    {"playback_rate", (getter)get_param, NULL,
     "The speed of every voice (k-rate AudioParam, default 1; below 0 plays as 0).",
     (void *)&P_rate},
    {"detune", (getter)get_param, NULL,
     "Detune of every voice in cents (k-rate AudioParam, default 0): the rate is "
     "playback_rate * 2 ** (detune / 1200).",
     (void *)&P_detune},
    {"onended", (getter)sa_get_onended, (setter)sa_set_onended,
     "Called with an Event (type 'ended') on a Python thread each time the last voice ends "
     "(ends that fall together make one event); None for no handler.",
     NULL},
    {"schedule_count", (getter)sa_get_schedule_count, NULL,
     "How many schedule() calls the node has had (read-only int).", NULL},
    {"interpolation", (getter)sa_get_interpolation, (setter)sa_set_interpolation,
     "How voices read the buffer between its frames: 'linear', 'cubic' or 'sinc' "
     "(band-limited); the context's choice unless given. ValueError for another string.",
     NULL},
    {NULL}};
static PyMethodDef sa_methods[] = {
    {"schedule", CAST(sa_schedule), FAST,
     "schedule($self, /, when=0.0, loop_count=0, offset=0.0, duration=None)\n--\n\n"
     "Play the buffer as a new voice at context time `when` (seconds; a time already past "
     "plays at once), from `offset` seconds into the buffer for `duration` seconds (None: to "
     "its end), loop_count + 1 times (-1: until stop()). Voices overlap and are summed; at "
     "most 32 play at once, a 33rd replaces the one that started first.\n\n"
     "Errors: ValueError for a negative or non-finite when, offset or duration, or "
     "loop_count below -1; TypeError for a non-int loop_count; InvalidStateError when the "
     "node has no buffer."},
    {"stop", CAST(sa_stop), FAST,
     "stop($self, /, when=0.0)\n--\n\nEnd every voice scheduled so far at context time "
     "`when` (seconds); later schedules are not affected. ValueError for a negative or "
     "non-finite when."},
    {"clear_schedules", (PyCFunction)sa_clear_schedules, METH_NOARGS,
     "clear_schedules($self, /)\n--\n\nDrop the voices that have not started yet; voices "
     "already playing go on."},
    {NULL}};
static PyType_Slot sa_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "SampledAudioNode(context, options=None, *, buffer=None, playback_rate=1.0, "
                "detune=0.0, interpolation=None, channel_count=2, channel_count_mode='max', "
                "channel_interpretation='speakers')\n--\n\n"
                "LabSound's sampler: one buffer, scheduled any number of times. Each\n"
                "schedule(when, loop_count, offset, duration) is a voice; voices overlap and are\n"
                "summed, up to 32 at once (kept in the node: nothing is allocated while it\n"
                "plays). Unlike AudioBufferSourceNode it can be scheduled again after it played.\n"
                "A buffer at another sample rate plays at its own rate, read between its frames\n"
                "with `interpolation` as AudioBufferSourceNode does. Also made by\n"
                "context.create_sampled_audio(**options).\n"
                "\n"
                "    hit = ctx.create_sampled_audio(buffer=snare)\n"
                "    hit >> ctx.destination\n"
                "    for k in range(8):\n"
                "        hit.schedule(k * 0.25)          # eighth notes at 120 BPM\n"
                "\n"
                "Errors: TypeError for a buffer that is not an AudioBuffer, a path or None;\n"
                "ValueError for non-finite playback_rate or detune."},
    {Py_tp_new, sampled_audio_new},
    {Py_tp_getset, sa_getset},
    {Py_tp_methods, sa_methods},
    {0, NULL}};
static PyType_Spec sa_spec = {"labsound.SampledAudioNode", sizeof(lspy_NodeObject), 0,
                              NODE_FLAGS, sa_slots};

/* Factories, added to BaseAudioContext. */
static PyMethodDef ctx_methods[] = {
    {"create_bpm_delay", CAST(ctx_create_bpm_delay), FAST,
     "create_bpm_delay($self, /, **options)\n--\n\nA new BPMDelayNode (options as its "
     "constructor)."},
    {"create_ping_pong_delay", CAST(ctx_create_ping_pong_delay), FAST,
     "create_ping_pong_delay($self, /, **options)\n--\n\nA new PingPongDelayNode (options as "
     "its constructor)."},
    {"create_sampled_audio", CAST(ctx_create_sampled_audio), FAST,
     "create_sampled_audio($self, /, **options)\n--\n\nA new SampledAudioNode (options as its "
     "constructor)."},
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
lspy_extended_time_init(PyObject *m, lspy_state *st)
{
    PyTypeObject *node = st->AudioNode_Type;
    if (add(m, &BPMDelay_Type, &bpm_spec, node) < 0 ||
        add(m, &PingPongDelay_Type, &ppd_spec, node) < 0 ||
        add(m, &SampledAudio_Type, &sa_spec, node) < 0) {
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
