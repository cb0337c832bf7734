/*
 * SfxrNode's generator buttons and its duration (src/nodes/sfxr.c). The
 * sliders, the wave type and the seed come from the engine's descriptor.
 */
#include "nodes.h"

static const char *const preset_names[] = {"coin", "laser", "explosion", "power_up", "hit",
                                           "jump", "select", "mutate", "randomize", NULL};

static PyObject *
get_duration(PyObject *self, void *c)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble((double)ls_sfxr_length_frames(n->node) / 44100.0);
}

/* preset(seed=0): returns self */
static PyObject *
apply_preset(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw, int preset)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    static const char *const names[] = {"seed", NULL};
    const char *fn = preset_names[preset];
    lspy_argspec spec = {fn, names, 1, 0};
    PyObject *v[1] = {NULL};
    if (lspy_node_check_live(n) < 0 || lspy_parse_fast(&spec, args, nargs, kw, v) < 0) {
        return NULL;
    }
    unsigned long long seed = 0;
    if (v[0] != NULL && v[0] != Py_None) {
        if (PyBool_Check(v[0]) || !PyLong_Check(v[0])) {
            return PyErr_Format(PyExc_TypeError, "%s(seed): expected an int, got %.200s", fn,
                                LSPY_TP_NAME(v[0]));
        }
        seed = PyLong_AsUnsignedLongLong(v[0]);
        if (seed == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            return PyErr_Format(PyExc_ValueError,
                                "%s(seed): must be an int in 0 .. 2**64 - 1, got %R", fn, v[0]);
        }
    }
    ls_result r = ls_sfxr_apply_preset(n->node, (ls_sfxr_preset)preset, (uint64_t)seed);
    if (r != LS_OK) {
        return lspy_raise_call(LSPY_STATE(self), r, fn);
    }
    Py_INCREF(self);
    return self;
}

#define PRESET(name, idx)                                                                     \
    static PyObject *preset_##name(PyObject *self, PyObject *const *a, Py_ssize_t n,          \
                                   PyObject *kw)                                              \
    {                                                                                         \
        return apply_preset(self, a, n, kw, idx);                                             \
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

#define PM(name, doc)                                                                         \
    {#name, (PyCFunction)(void (*)(void))preset_##name, METH_FASTCALL | METH_KEYWORDS,        \
     #name "($self, /, seed=0)\n--\n\n" doc " The same seed gives the same settings; returns " \
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

static PyGetSetDef sfxr_getset[] = {
    {"duration", get_duration, NULL,
     "Seconds the envelope lasts (attack, sustain, decay), from the current settings.", NULL},
    {NULL}};

const lspy_node_special lspy_sfxr_special = {
    "sfxr", sfxr_methods, sfxr_getset,
    "The settings are read when the sound starts; the generator buttons (coin(),\n"
    "laser(), ...) set them all from a seed.\n"
    "\n"
    "    s = ctx.create_sfxr().coin(seed=3)\n"
    "    s >> ctx.destination; s.start(0)"};
