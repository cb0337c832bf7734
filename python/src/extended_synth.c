/*
 * The extended node set, sfxr block (include/labsound/extended.h): SfxrNode.
 *
 * SfxrNode(context, options=None, **keywords) and context.create_sfxr(**keywords):
 * keywords are sfxr's settings (floats; wave_type a string), seed and the
 * channel options. Settings are attributes, read when the sound starts.
 * Presets are methods taking a seed.
 */
#include "core.h"

#include <math.h>
#include <string.h>

#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))
#define NODE_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC)

static PyTypeObject *Sfxr_Type;

static const char *const wave_names[] = {"square", "sawtooth", "sine", "noise", NULL};
static const char *const preset_names[] = {"coin", "laser", "explosion", "power_up", "hit",
                                           "jump", "select", "mutate", "randomize", NULL};

static int
setting_index(const char *name)
{
    for (int i = 0; i < ls_sfxr_setting_count(); i++) {
        if (strcmp(ls_sfxr_setting_name(i), name) == 0) {
            return i;
        }
    }
    return -1;
}

/* A setting's value from Python: -1 with the exception set. */
static int
setting_value(int i, PyObject *v, const char *fn, float *out)
{
    const char *name = ls_sfxr_setting_name(i);
    if (i == 0) {
        int e;
        if (lspy_arg_enum(v, fn, name, wave_names, &e) < 0) {
            return -1;
        }
        *out = (float)e;
        return 0;
    }
    if (lspy_arg_float(v, fn, name, out) < 0) {
        return -1;
    }
    float lo, hi;
    ls_sfxr_setting_range(i, &lo, &hi);
    if (!isfinite(*out) || *out < lo || *out > hi) {
        PyErr_Format(PyExc_ValueError, "%s%s%s: must be between %d and %d, got %R",
                     fn ? fn : "", fn ? "() " : "", name, (int)lo, (int)hi, v);
        return -1;
    }
    return 0;
}

static int
parse_seed(PyObject *v, const char *fn, int *has, uint64_t *seed)
{
    if (v == Py_None) {
        *has = 0;
        return 0;
    }
    if (PyBool_Check(v) || !PyLong_Check(v)) {
        PyErr_Format(PyExc_TypeError, "%s(seed): expected an int, got %.200s", fn,
                     LSPY_TP_NAME(v));
        return -1;
    }
    unsigned long long u = PyLong_AsUnsignedLongLong(v);
    if (u == (unsigned long long)-1 && PyErr_Occurred()) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError, "%s(seed): must be an int in 0 .. 2**64 - 1, got %R", fn, v);
        return -1;
    }
    *has = 1;
    *seed = (uint64_t)u;
    return 0;
}

/* Apply one keyword to the options; -1 with the exception set. */
static int
apply_kw(lspy_state *st, const char *fn, PyObject *key, PyObject *v, ls_sfxr_options *o)
{
    if (!PyUnicode_Check(key)) {
        PyErr_Format(PyExc_TypeError, "%s(): keywords must be strings", fn);
        return -1;
    }
    const char *k = PyUnicode_AsUTF8AndSize(key, NULL);
    if (k == NULL) {
        return -1;
    }
    int i = setting_index(k);
    if (i >= 0) {
        float f;
        if (setting_value(i, v, fn, &f) < 0) {
            return -1;
        }
        if (i == 0) {
            o->wave_type = (ls_sfxr_wave)(int)f;
        }
        else {
            (&o->attack)[i - 1] = f;
        }
        return 0;
    }
    if (strcmp(k, "seed") == 0) {
        return parse_seed(v, fn, &o->has_seed, &o->seed);
    }
    if (strcmp(k, "channel_count") == 0) {
        Py_ssize_t c;
        if (lspy_arg_index(v, fn, "channel_count", &c) < 0) {
            return -1;
        }
        if (c < 1 || c > LS_MAX_CHANNELS) {
            lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                       "%s(channel_count): channel_count must be between 1 and %d, got %R", fn,
                       LS_MAX_CHANNELS, v);
            return -1;
        }
        o->node.channel_count = (int32_t)c;
        return 0;
    }
    int e;
    if (strcmp(k, "channel_count_mode") == 0) {
        if (lspy_arg_enum(v, fn, k, lspy_channel_count_mode_names, &e) < 0) {
            return -1;
        }
        o->node.channel_count_mode = e;
        return 0;
    }
    if (strcmp(k, "channel_interpretation") == 0) {
        if (lspy_arg_enum(v, fn, k, lspy_channel_interpretation_names, &e) < 0) {
            return -1;
        }
        o->node.channel_interpretation = e;
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%s'", fn, k);
    return -1;
}

static int
apply_dict(lspy_state *st, const char *fn, PyObject *d, ls_sfxr_options *o)
{
    PyObject *key, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(d, &pos, &key, &v)) {
        if (apply_kw(st, fn, key, v, o) < 0) {
            return -1;
        }
    }
    return 0;
}

static PyObject *
sfxr_build(lspy_state *st, PyObject *ctx, ls_sfxr_options *o, const char *fn)
{
    ls_node *n = NULL;
    ls_result r = ls_sfxr_create(lspy_ctx_of(ctx), o, &n);
    if (r != LS_OK) {
        if (r == LS_ERROR_INVALID_STATE &&
            ls_context_get_state(lspy_ctx_of(ctx)) == LS_CONTEXT_STATE_CLOSED) {
            return lspy_raise(st, r, "%s(): the context is closed", fn);
        }
        return lspy_raise_call(st, r, fn);
    }
    return lspy_node_wrap(st, Sfxr_Type, ctx, n);
}

static PyObject *
sfxr_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static const char *fn = "SfxrNode";
    lspy_state *st = lspy_state_from_type(type);
    if (st == NULL) {
        return NULL;
    }
    Py_ssize_t na = LSPY_TUPLE_SIZE(args);
    if (na < 1 || na > 2) {
        PyErr_Format(PyExc_TypeError, "%s() takes a context and an optional options dict", fn);
        return NULL;
    }
    PyObject *ctx = LSPY_TUPLE_ITEM(args, 0);
    if (lspy_context_check(st, ctx, fn) < 0) {
        return NULL;
    }
    ls_sfxr_options o = ls_sfxr_options_default();
    if (na == 2 && LSPY_TUPLE_ITEM(args, 1) != Py_None) {
        PyObject *opt = LSPY_TUPLE_ITEM(args, 1);
        if (!PyDict_Check(opt)) {
            PyErr_Format(PyExc_TypeError, "%s(options): expected a dict, got %.200s", fn,
                         LSPY_TP_NAME(opt));
            return NULL;
        }
        if (apply_dict(st, fn, opt, &o) < 0) {
            return NULL;
        }
    }
    if (kwargs != NULL && apply_dict(st, fn, kwargs, &o) < 0) {
        return NULL;
    }
    return sfxr_build(st, ctx, &o, fn);
}

static PyObject *
ctx_create_sfxr(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *fn = "create_sfxr";
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        return NULL;
    }
    if (nargs != 0) {
        PyErr_Format(PyExc_TypeError, "%s() takes keyword arguments only", fn);
        return NULL;
    }
    if (lspy_context_check(st, self, fn) < 0) {
        return NULL;
    }
    ls_sfxr_options o = ls_sfxr_options_default();
    Py_ssize_t nk = kwnames ? LSPY_TUPLE_SIZE(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nk; i++) {
        if (apply_kw(st, fn, LSPY_TUPLE_ITEM(kwnames, i), args[i], &o) < 0) {
            return NULL;
        }
    }
    return sfxr_build(st, self, &o, fn);
}

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

static PyObject *
get_setting(lspy_NodeObject *self, void *closure)
{
    int i = (int)(intptr_t)closure;
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    float v = ls_sfxr_get(self->node, i);
    if (i == 0) {
        return PyUnicode_FromString(wave_names[(int)v]);
    }
    return PyFloat_FromDouble(v);
}

static int
set_setting(lspy_NodeObject *self, PyObject *value, void *closure)
{
    int i = (int)(intptr_t)closure;
    lspy_state *st = LSPY_STATE(self);
    if (check_live(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s'",
                     ls_sfxr_setting_name(i));
        return -1;
    }
    float f;
    if (setting_value(i, value, NULL, &f) < 0) {
        return -1;
    }
    ls_result r = ls_sfxr_set(self->node, i, f);
    if (r != LS_OK) {
        lspy_raise_call(st, r, ls_sfxr_setting_name(i));
        return -1;
    }
    return 0;
}

static PyObject *
get_seed(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(ls_sfxr_get_seed(self->node));
}

static PyObject *
get_length(lspy_NodeObject *self, void *c)
{
    if (check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble((double)ls_sfxr_length_frames(self->node) / 44100.0);
}

/* preset(seed=0): returns self */
static PyObject *
apply_preset(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw,
             int preset)
{
    lspy_state *st = LSPY_STATE(self);
    static const char *const names[] = {"seed", NULL};
    const char *fn = preset_names[preset];
    lspy_argspec spec = {fn, names, 1, 0};
    PyObject *v[1] = {NULL};
    if (check_live(st, self) < 0 || lspy_parse_fast(&spec, args, nargs, kw, v) < 0) {
        return NULL;
    }
    int has = 0;
    uint64_t seed = 0;
    if (v[0] != NULL && parse_seed(v[0], fn, &has, &seed) < 0) {
        return NULL;
    }
    ls_result r = ls_sfxr_apply_preset(self->node, (ls_sfxr_preset)preset, seed);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, fn);
    }
    Py_INCREF(self);
    return (PyObject *)self;
}

#define PRESET(name, idx)                                                                       \
    static PyObject *preset_##name(lspy_NodeObject *self, PyObject *const *a, Py_ssize_t n,     \
                                   PyObject *kw)                                                \
    {                                                                                           \
        return apply_preset(self, a, n, kw, idx);                                               \
    }
PRESET(coin, 0)
PRESET(laser, 1)
PRESET(explosion, 2)
PRESET(power_up, 3)
PRESET(hit, 4)
PRESET(jump, 5)
PRESET(select, 6)
PRESET(mutate, 7)
PRESET(randomize, 8)

#define PM(name, doc)                                                                           \
    {#name, CAST(preset_##name), FAST,                                                          \
     #name "($self, /, seed=0)\n--\n\n" doc " The same seed gives the same settings; returns "  \
           "the node."}
static PyMethodDef sfxr_methods[] = {
    PM(coin, "sfxr's pickup/coin generator."),
    PM(laser, "sfxr's laser/shoot generator."),
    PM(explosion, "sfxr's explosion generator."),
    PM(power_up, "sfxr's power-up generator."),
    PM(hit, "sfxr's hit/hurt generator."),
    PM(jump, "sfxr's jump generator."),
    PM(select, "sfxr's blip/select generator."),
    PM(mutate, "Nudge each setting (but wave_type and volume) by up to +-0.05, at random."),
    PM(randomize, "Random settings."),
    {NULL}};

#define SG(i, name, doc)                                                                        \
    {name, (getter)get_setting, (setter)set_setting, doc, (void *)(intptr_t)(i)}
static PyGetSetDef sfxr_getset[] = {
    SG(0, "wave_type", "'square', 'sawtooth', 'sine' or 'noise'."),
    SG(1, "attack", "0 .. 1; attack^2 * 100000 frames at 44.1 kHz."),
    SG(2, "sustain", "0 .. 1; sustain^2 * 100000 frames."),
    SG(3, "sustain_punch", "0 .. 1; the sustain starts at 1 + 2 * punch."),
    SG(4, "decay", "0 .. 1; decay^2 * 100000 frames."),
    SG(5, "start_frequency", "0 .. 1; 8 * 44100 / floor(100 / (f^2 + 0.001)) Hz."),
    SG(6, "min_frequency", "0 .. 1; the sound ends when the slide falls below it."),
    SG(7, "slide", "-1 .. 1; the frequency's slide."),
    SG(8, "delta_slide", "-1 .. 1; the slide's change."),
    SG(9, "vibrato_depth", "0 .. 1."),
    SG(10, "vibrato_speed", "0 .. 1."),
    SG(11, "change_amount", "-1 .. 1; the arpeggio's frequency jump."),
    SG(12, "change_speed", "0 .. 1; when the jump comes."),
    SG(13, "square_duty", "0 .. 1; the square wave's duty."),
    SG(14, "duty_sweep", "-1 .. 1."),
    SG(15, "repeat_speed", "0 .. 1; 0: no repeat."),
    SG(16, "phaser_offset", "-1 .. 1."),
    SG(17, "phaser_sweep", "-1 .. 1."),
    SG(18, "lpf_cutoff", "0 .. 1; 1: no low-pass."),
    SG(19, "lpf_cutoff_sweep", "-1 .. 1."),
    SG(20, "lpf_resonance", "0 .. 1."),
    SG(21, "hpf_cutoff", "0 .. 1; 0: no high-pass."),
    SG(22, "hpf_cutoff_sweep", "-1 .. 1."),
    SG(23, "volume", "0 .. 1; the output is sfxr's sample times volume."),
    {"seed", (getter)get_seed, NULL, "The noise generator's seed (read-only).", NULL},
    {"duration", (getter)get_length, NULL,
     "Seconds the envelope lasts (attack, sustain, decay), from the current settings.", NULL},
    {NULL}};

static int
sx_traverse(lspy_NodeObject *self, visitproc visit, void *arg)
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
sx_clear(lspy_NodeObject *self)
{
    Py_CLEAR(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_CLEAR(self->params[i]);
    }
    Py_CLEAR(self->context);
    return 0;
}

static PyType_Slot sfxr_slots[] = {
    {Py_tp_traverse, sx_traverse},
    {Py_tp_clear, sx_clear},
    {Py_tp_doc, "SfxrNode(context, options=None, *, wave_type='square', attack=0.0, "
                "sustain=0.3, sustain_punch=0.0, decay=0.4, start_frequency=0.3, "
                "min_frequency=0.0, slide=0.0, delta_slide=0.0, vibrato_depth=0.0, "
                "vibrato_speed=0.0, change_amount=0.0, change_speed=0.0, square_duty=0.0, "
                "duty_sweep=0.0, repeat_speed=0.0, phaser_offset=0.0, phaser_sweep=0.0, "
                "lpf_cutoff=1.0, lpf_cutoff_sweep=0.0, lpf_resonance=0.0, hpf_cutoff=0.0, "
                "hpf_cutoff_sweep=0.0, volume=0.5, seed=None, channel_count=1, "
                "channel_count_mode='max', channel_interpretation='speakers')\n--\n\n"
                "DrPetter's sfxr sound-effect synthesizer; a scheduled source that ends by\n"
                "itself (onended fires). Also made by context.create_sfxr(**options).\n\n"
                "The settings are sfxr's sliders, 0..1 (those that slide or sweep -1..1),\n"
                "not physical units; wave_type is 'square', 'sawtooth', 'sine' or 'noise'.\n"
                "They are read when the sound starts. The preset methods coin(), laser(),\n"
                "explosion(), power_up(), hit(), jump(), select(), mutate() and randomize()\n"
                "set them from a seeded generator (the same seed, the same sound);\n"
                "duration is the sound's length in seconds.\n\n"
                "    fx = ctx.create_sfxr(seed=7)\n"
                "    fx.coin(seed=3)\n"
                "    fx >> ctx.destination; fx.start(0)\n\n"
                "Errors: ValueError for a setting outside its range or not finite, or an\n"
                "unknown wave_type; TypeError for a seed that is not an integer."},
    {Py_tp_new, sfxr_new},
    {Py_tp_getset, sfxr_getset},
    {Py_tp_methods, sfxr_methods},
    {0, NULL}};
static PyType_Spec sfxr_spec = {"labsound.SfxrNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS,
                                sfxr_slots};

static PyMethodDef ctx_methods[] = {
    {"create_sfxr", CAST(ctx_create_sfxr), FAST,
     "create_sfxr($self, /, **options)\n--\n\nA new SfxrNode (options as its constructor)."},
    {NULL}};

int
lspy_extended_synth_init(PyObject *m, lspy_state *st)
{
    PyObject *bases = PyTuple_Pack(1, (PyObject *)st->AudioScheduledSourceNode_Type);
    if (bases == NULL) {
        return -1;
    }
    PyObject *t = PyType_FromModuleAndSpec(m, &sfxr_spec, bases);
    Py_DECREF(bases);
    if (t == NULL) {
        return -1;
    }
    Sfxr_Type = (PyTypeObject *)t;
    if (PyModule_AddObject(m, "SfxrNode", t) < 0) {
        Py_DECREF(t);
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
