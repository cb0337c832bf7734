/*
 * WaveShaperNode's curve, read as a float32 array and set from any sequence
 * of numbers (src/nodes/wave_shaper.c). Its oversample setting and options
 * come from the engine's descriptor.
 */
#include "nodes.h"

static const char *
curve_error(ls_result r)
{
    return r == LS_ERROR_INVALID_STATE ? "a curve needs at least 2 values"
           : r == LS_ERROR_RANGE       ? "the curve's values must be finite"
                                       : NULL;
}

static int
create_error(lspy_state *st, ls_result r, const void *opts, PyObject *const *raw, const char *fn)
{
    const ls_wave_shaper_options *o = opts;
    if (o->curve == NULL || curve_error(r) == NULL) {
        return 0;
    }
    lspy_raise(st, r, "%s(curve): %s", fn, curve_error(r));
    return 1;
}

static PyObject *
get_curve(PyObject *self, void *closure)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    size_t len;
    const float *v = ls_wave_shaper_get_curve(n->node, &len);
    if (v == NULL || len == 0) {
        Py_RETURN_NONE;
    }
    return lspy_float_array(LSPY_STATE(self), (Py_ssize_t)len, v);
}

static int
set_curve(PyObject *self, PyObject *value, void *closure)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    lspy_floats f = {0};
    if (lspy_node_check_live(n) < 0 ||
        (value != NULL && value != Py_None && lspy_floats_get(value, NULL, "curve", 0, &f) < 0)) {
        return -1;
    }
    ls_result r = ls_wave_shaper_set_curve(n->node, f.data, (size_t)f.count);
    lspy_floats_release(&f);
    if (r != LS_OK) {
        const char *what = curve_error(r);
        lspy_raise(LSPY_STATE(self), r, "curve: %s", what ? what : ls_result_string(r));
        return -1;
    }
    return 0;
}

static PyGetSetDef ws_getset[] = {
    {"curve", get_curve, set_curve,
     "The shaping curve (a float32 array, a copy) or None: input -1 maps to curve[0], +1 to "
     "curve[-1].", NULL},
    {NULL}};

const lspy_node_special lspy_wave_shaper_special = {
    "wave_shaper", NULL, ws_getset,
    "Each sample x in [-1, 1] maps to the curve at (x + 1) / 2 * (len - 1), linearly\n"
    "interpolated; values beyond the ends take the end values. No curve: the input\n"
    "passes through. '2x' and '4x' oversampling reduce aliasing.\n"
    "\n"
    "    ws = ctx.create_wave_shaper(curve=np.tanh(np.linspace(-3, 3, 1024)), oversample='4x')\n"
    "    guitar >> ws >> ctx.destination",
    0, NULL, NULL, create_error};
