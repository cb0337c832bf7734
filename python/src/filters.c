/*
 * Filter, delay, routing and shaping nodes: BiquadFilterNode, IIRFilterNode,
 * DelayNode, ChannelSplitterNode, ChannelMergerNode, StereoPannerNode and
 * WaveShaperNode (over include/labsound/filters.h).
 *
 * Each type has a constructor `ls.XNode(context, options=None, **keywords)`
 * (options is the spec's options dict; keywords win) and a factory
 * `context.create_x(...)` taking the spec's positional arguments (for
 * example create_delay(max_delay_time), create_iir_filter(feedforward,
 * feedback)) and the same keywords. The node objects share lspy_NodeObject
 * and the AudioNode base type with every other node.
 */
#include "core.h"

#include <string.h>

#define NODE(o) ((lspy_NodeObject *)(o))

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */
/* ------------------------------------------------------------------ */

enum { F_CONTEXT = 0, F_OPTIONS, F_CHANNEL_COUNT, F_CHANNEL_COUNT_MODE, F_CHANNEL_INTERP,
       F_FIRST_OWN };
#define F_MAX_ARGS 12

static const char *const biquad_type_names[] = {
    "lowpass", "highpass", "bandpass", "lowshelf", "highshelf", "peaking", "notch", "allpass",
    NULL};
static const char *const oversample_names[] = {"none", "2x", "4x", NULL};

/*
 * A node kind: the constructor's names (context, options, the three channel
 * options, then the node's own keywords), how many of the own keywords the
 * factory takes positionally, and how many of them are required.
 */
typedef struct {
    const char *type_name;
    const char *factory_name;
    const char *const *names;
    const char *const *factory_names;   /* own keywords, then the channel options */
    int factory_npos;
    int nreq_own;
} fl_kind;

static int
count_names(const char *const *names)
{
    int n = 0;
    while (names[n] != NULL) {
        n++;
    }
    return n;
}

/*
 * Collect a constructor call (tuple/dict) or a factory call (vectorcall with
 * `ctx`) into vals[] in constructor order. vals[] are borrowed or in owned[].
 */
static int
fl_collect(lspy_state *st, const fl_kind *k, PyObject *ctx, PyObject *const *args,
           Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict, PyObject **vals,
           PyObject **owned, const char **fn)
{
    int n = count_names(k->names);
    int nown = n - F_FIRST_OWN;
    for (int i = 0; i < F_MAX_ARGS; i++) {
        owned[i] = NULL;
        vals[i] = NULL;
    }
    if (ctx != NULL) {
        PyObject *tmp[F_MAX_ARGS];
        lspy_argspec spec = {k->factory_name, k->factory_names, k->factory_npos, k->nreq_own};
        *fn = k->factory_name;
        if (lspy_parse_fast(&spec, args, nargs, kwnames, tmp) < 0) {
            return -1;
        }
        vals[F_CONTEXT] = ctx;
        for (int i = 0; i < nown; i++) {
            vals[F_FIRST_OWN + i] = tmp[i];
        }
        for (int j = 0; j < 3; j++) {
            vals[F_CHANNEL_COUNT + j] = tmp[nown + j];
        }
        return 0;
    }
    lspy_argspec spec = {k->type_name, k->names, 2, 1};
    *fn = k->type_name;
    if (lspy_parse_tuple(&spec, tuple, dict, vals) < 0) {
        return -1;
    }
    if (lspy_merge_options(k->type_name, vals[F_OPTIONS], k->names + F_CHANNEL_COUNT,
                           n - F_CHANNEL_COUNT, vals + F_CHANNEL_COUNT,
                           owned + F_CHANNEL_COUNT) < 0) {
        return -1;
    }
    for (int i = 0; i < k->nreq_own; i++) {
        if (vals[F_FIRST_OWN + i] == NULL) {
            PyErr_Format(PyExc_TypeError, "%s(): missing required option '%s'", k->type_name,
                         k->names[F_FIRST_OWN + i]);
            return -1;
        }
    }
    return 0;
}

static void
fl_release(PyObject **owned)
{
    for (int i = 0; i < F_MAX_ARGS; i++) {
        Py_XDECREF(owned[i]);
    }
}

static int
fl_node_options(lspy_state *st, PyObject **vals, const char *fn, ls_node_options *o)
{
    int e;
    PyObject *cc = vals[F_CHANNEL_COUNT];
    if (cc != NULL) {
        Py_ssize_t n;
        if (lspy_arg_index(cc, fn, "channel_count", &n) < 0) {
            return -1;
        }
        if (n < 1 || n > LS_MAX_CHANNELS) {
            lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                       "%s(channel_count): channel_count must be between 1 and %d, got %R", fn,
                       LS_MAX_CHANNELS, cc);
            return -1;
        }
        o->channel_count = (int32_t)n;
    }
    if (vals[F_CHANNEL_COUNT_MODE] != NULL) {
        if (lspy_arg_enum(vals[F_CHANNEL_COUNT_MODE], fn, "channel_count_mode",
                          lspy_channel_count_mode_names, &e) < 0) {
            return -1;
        }
        o->channel_count_mode = e;
    }
    if (vals[F_CHANNEL_INTERP] != NULL) {
        if (lspy_arg_enum(vals[F_CHANNEL_INTERP], fn, "channel_interpretation",
                          lspy_channel_interpretation_names, &e) < 0) {
            return -1;
        }
        o->channel_interpretation = e;
    }
    return 0;
}

static PyObject *
fl_finish(lspy_state *st, PyTypeObject *type, PyObject *ctx, ls_result r, ls_node *n,
          const char *fn, const char *what)
{
    if (r != LS_OK) {
        if (r == LS_ERROR_INVALID_STATE &&
            ls_context_get_state(lspy_ctx_of(ctx)) == LS_CONTEXT_STATE_CLOSED) {
            return lspy_raise(st, r, "%s(): the context is closed", fn);
        }
        if (what != NULL) {
            return lspy_raise(st, r, "%s(): %s", fn, what);
        }
        return lspy_raise_call(st, r, fn);
    }
    return lspy_node_wrap(st, type, ctx, n);
}

static int
fl_check_live(lspy_state *st, lspy_NodeObject *self)
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

/* A param getter: closure is the param's name; wrappers are cached in
 * self->params[slot] so `f.frequency is f.frequency`. */
typedef struct {
    int slot;
    const char *name;
} fl_param;

static PyObject *
fl_get_param(lspy_NodeObject *self, void *closure)
{
    const fl_param *ps = (const fl_param *)closure;
    PyObject *p = self->params[ps->slot];
    if (p == NULL) {
        lspy_state *st = LSPY_STATE(self);
        if (fl_check_live(st, self) < 0) {
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

/* A new writable 1-D float32 NumPy array of n elements. */
static PyObject *
new_float_array(lspy_state *st, Py_ssize_t n, const float *data)
{
    if (lspy_need_numpy(st) < 0) {
        return NULL;
    }
    PyObject *bytes = PyByteArray_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(float));
    if (bytes == NULL) {
        return NULL;
    }
    if (data != NULL && n > 0) {
        memcpy(LSPY_BYTEARRAY_DATA(bytes), data, (size_t)n * sizeof(float));
    }
    PyObject *arr = PyObject_CallFunctionObjArgs(st->np_frombuffer, bytes, st->np_float32, NULL);
    Py_DECREF(bytes);
    return arr;
}

/* Sequence of numbers -> doubles (owned by the caller, PyMem_Free). */
static int
get_doubles(PyObject *o, const char *fn, const char *arg, double **out, Py_ssize_t *n)
{
    PyObject *seq = PySequence_Fast(o, "");
    if (seq == NULL) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s(%s): %s must be a sequence of numbers, got %.200s", fn,
                     arg, arg, LSPY_TP_NAME(o));
        return -1;
    }
    Py_ssize_t len = LSPY_FAST_SIZE(seq);
    double *v = PyMem_Malloc(sizeof(double) * (size_t)(len ? len : 1));
    if (v == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *item = LSPY_FAST_ITEM(seq, i);
        double d = PyFloat_AsDouble(item);
        if (d == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "%s(%s): %s[%zd] must be a number, got %.200s", fn, arg,
                         arg, i, LSPY_TP_NAME(item));
            PyMem_Free(v);
            Py_DECREF(seq);
            return -1;
        }
        v[i] = d;
    }
    Py_DECREF(seq);
    *out = v;
    *n = len;
    return 0;
}

/*
 * get_frequency_response(frequencies, mag_out=None, phase_out=None): shared by
 * biquad and IIR. Returns (magnitude, phase); given output arrays (writable
 * float32 buffers as long as frequencies) are filled and returned.
 */
typedef ls_result (*response_fn)(ls_node *, const float *, float *, float *, size_t);

static int
get_out_buffer(PyObject *o, const char *arg, Py_ssize_t n, lspy_state *st, Py_buffer *view)
{
    if (PyObject_GetBuffer(o, view, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError,
                     "get_frequency_response(%s): %s must be a writable float32 array, got %.200s",
                     arg, arg, LSPY_TP_NAME(o));
        return -1;
    }
    if (view->itemsize != 4 || view->format == NULL || strcmp(view->format, "f") != 0) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_TypeError,
                     "get_frequency_response(%s): %s must hold float32 values", arg, arg);
        return -1;
    }
    if (view->len / 4 != n) {
        Py_ssize_t got = view->len / 4;
        PyBuffer_Release(view);
        lspy_raise(st, LS_ERROR_INVALID_ACCESS,
                   "get_frequency_response(%s): %s has %zd elements, frequencies has %zd", arg,
                   arg, got, n);
        return -1;
    }
    return 0;
}

static const char *const response_names[] = {"frequencies", "mag_out", "phase_out", NULL};
static const lspy_argspec response_spec = {"get_frequency_response", response_names, 3, 1};

static PyObject *
frequency_response(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs,
                   PyObject *kwnames, response_fn fnc)
{
    lspy_state *st = LSPY_STATE(self);
    if (fl_check_live(st, self) < 0) {
        return NULL;
    }
    PyObject *v[3];
    if (lspy_parse_fast(&response_spec, args, nargs, kwnames, v) < 0) {
        return NULL;
    }
    lspy_floats f;
    if (lspy_floats_get(v[0], "get_frequency_response", "frequencies", 0, &f) < 0) {
        return NULL;
    }
    PyObject *outs[2] = {NULL, NULL};
    Py_buffer views[2];
    int have[2] = {0, 0};
    PyObject *result = NULL;
    const char *names[2] = {"mag_out", "phase_out"};
    for (int i = 0; i < 2; i++) {
        PyObject *o = v[1 + i];
        if (o != NULL && o != Py_None) {
            if (get_out_buffer(o, names[i], f.count, st, &views[i]) < 0) {
                goto done;
            }
            have[i] = 1;
            Py_INCREF(o);
            outs[i] = o;
        } else {
            outs[i] = new_float_array(st, f.count, NULL);
            if (outs[i] == NULL) {
                goto done;
            }
            if (PyObject_GetBuffer(outs[i], &views[i], PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) {
                goto done;
            }
            have[i] = 1;
        }
    }
    ls_result r = fnc(self->node, f.data, (float *)views[0].buf, (float *)views[1].buf,
                      (size_t)f.count);
    if (r != LS_OK) {
        lspy_raise_call(st, r, "get_frequency_response");
        goto done;
    }
    result = PyTuple_Pack(2, outs[0], outs[1]);
done:
    for (int i = 0; i < 2; i++) {
        if (have[i]) {
            PyBuffer_Release(&views[i]);
        }
        Py_XDECREF(outs[i]);
    }
    lspy_floats_release(&f);
    return result;
}

/* GC: the same references every node wrapper holds (dealloc is AudioNode's). */
static int
fl_traverse(lspy_NodeObject *self, visitproc visit, void *arg)
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
fl_clear(lspy_NodeObject *self)
{
    Py_CLEAR(self->onended);
    for (int i = 0; i < LSPY_NODE_MAX_PARAMS; i++) {
        Py_CLEAR(self->params[i]);
    }
    Py_CLEAR(self->context);
    return 0;
}

#define NODE_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC)
#define GC_SLOTS {Py_tp_traverse, fl_traverse}, {Py_tp_clear, fl_clear}
#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))

/* ------------------------------------------------------------------ */
/* BiquadFilterNode                                                    */
/* ------------------------------------------------------------------ */

static const char *const biquad_names[] = {
    "context", "options", "channel_count", "channel_count_mode", "channel_interpretation",
    "type", "frequency", "detune", "Q", "gain", "q", NULL};
static const char *const biquad_fnames[] = {
    "type", "frequency", "detune", "Q", "gain", "q",
    "channel_count", "channel_count_mode", "channel_interpretation", NULL};
static const fl_kind biquad_kind = {"BiquadFilterNode", "create_biquad_filter", biquad_names,
                                    biquad_fnames, 0, 0};

static PyObject *
create_biquad(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *const *args,
              Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict)
{
    PyObject *vals[F_MAX_ARGS], *owned[F_MAX_ARGS], *result = NULL;
    const char *fn;
    if (fl_collect(st, &biquad_kind, ctx, args, nargs, kwnames, tuple, dict, vals, owned, &fn) < 0) {
        goto done;
    }
    ctx = vals[F_CONTEXT];
    if (lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_biquad_filter_options o = ls_biquad_filter_options_default();
    if (fl_node_options(st, vals, fn, &o.node) < 0) {
        goto done;
    }
    PyObject **own = vals + F_FIRST_OWN;
    if (own[0] != NULL) {
        int t;
        if (lspy_arg_enum(own[0], fn, "type", biquad_type_names, &t) < 0) {
            goto done;
        }
        o.type = (ls_biquad_type)t;
    }
    if (own[3] != NULL && own[5] != NULL) {
        PyErr_Format(PyExc_TypeError, "%s(Q): give Q or q, not both", fn);
        goto done;
    }
    PyObject *q = own[3] ? own[3] : own[5];
    if ((own[1] && lspy_arg_float(own[1], fn, "frequency", &o.frequency) < 0) ||
        (own[2] && lspy_arg_float(own[2], fn, "detune", &o.detune) < 0) ||
        (q && lspy_arg_float(q, fn, "Q", &o.q) < 0) ||
        (own[4] && lspy_arg_float(own[4], fn, "gain", &o.gain) < 0)) {
        goto done;
    }
    ls_node *n = NULL;
    ls_result r = ls_biquad_filter_create(lspy_ctx_of(ctx), &o, &n);
    result = fl_finish(st, type, ctx, r, n, fn, NULL);
done:
    fl_release(owned);
    return result;
}

static PyObject *
biquad_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? create_biquad(st, type, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

PyObject *
lspy_ctx_create_biquad_filter(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL || lspy_context_check(st, self, "create_biquad_filter") < 0) {
        return NULL;
    }
    return create_biquad(st, st->BiquadFilterNode_Type, self, args, nargs, kw, NULL, NULL);
}

static PyObject *
biquad_get_type(lspy_NodeObject *self, void *closure)
{
    if (fl_check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    unsigned t = (unsigned)ls_biquad_filter_get_type(self->node);
    return PyUnicode_FromString(t <= 7 ? biquad_type_names[t] : "lowpass");
}

static int
biquad_set_type(lspy_NodeObject *self, PyObject *value, void *closure)
{
    lspy_state *st = LSPY_STATE(self);
    int t;
    if (fl_check_live(st, self) < 0 || no_delete(value, "type") < 0 ||
        lspy_arg_enum(value, NULL, "type", biquad_type_names, &t) < 0) {
        return -1;
    }
    ls_result r = ls_biquad_filter_set_type(self->node, (ls_biquad_type)t);
    if (r != LS_OK) {
        lspy_raise(st, r, "type: cannot set %R (%s)", value, ls_result_string(r));
        return -1;
    }
    return 0;
}

static PyObject *
biquad_response(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    return frequency_response(self, args, nargs, kw, ls_biquad_filter_get_frequency_response);
}

static const fl_param P_FREQUENCY = {0, "frequency"};
static const fl_param P_DETUNE = {1, "detune"};
static const fl_param P_Q = {2, "Q"};
static const fl_param P_GAIN = {3, "gain"};

static PyGetSetDef biquad_getset[] = {
    {"type", (getter)biquad_get_type, (setter)biquad_set_type,
     "'lowpass', 'highpass', 'bandpass', 'lowshelf', 'highshelf', 'peaking', 'notch' or "
     "'allpass'.", NULL},
    {"frequency", (getter)fl_get_param, NULL, "Frequency in Hz (AudioParam).", (void *)&P_FREQUENCY},
    {"detune", (getter)fl_get_param, NULL, "Detune in cents (AudioParam).", (void *)&P_DETUNE},
    {"Q", (getter)fl_get_param, NULL, "Quality factor (AudioParam; dB for lowpass/highpass).",
     (void *)&P_Q},
    {"q", (getter)fl_get_param, NULL, "Alias of Q.", (void *)&P_Q},
    {"gain", (getter)fl_get_param, NULL, "Gain in dB (AudioParam; shelves and peaking).",
     (void *)&P_GAIN},
    {NULL}
};

static PyMethodDef biquad_methods[] = {
    {"get_frequency_response", CAST(biquad_response), FAST,
     "get_frequency_response($self, /, frequencies, mag_out=None, phase_out=None)\n--\n\n"
     "Magnitude and phase (radians) at each frequency (Hz) for the params' current values,\n"
     "as float32 arrays (NaN outside [0, sample_rate / 2]). Given arrays are filled."},
    {NULL}
};

static PyType_Slot biquad_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "BiquadFilterNode(context, options=None, *, type='lowpass', frequency=350.0, "
                "detune=0.0, Q=1.0, gain=0.0, channel_count=2, channel_count_mode='max', "
                "channel_interpretation='speakers')\n--\n\n"
                "A second-order filter with the Web Audio spec's coefficient formulas.\n\n"
                "type: 'lowpass', 'highpass', 'bandpass', 'lowshelf', 'highshelf', 'peaking',\n"
                "'notch' or 'allpass'. frequency (Hz), detune (cents), Q and gain (dB) are\n"
                "AudioParams: set .value or automate them. Q is the resonance in dB for\n"
                "lowpass/highpass; gain applies to the shelves and peaking only.\n\n"
                "Also made by context.create_biquad_filter(**options). Example:\n\n"
                "    lp = ctx.create_biquad_filter(type='lowpass', frequency=800, Q=4)\n"
                "    src >> lp >> ctx.destination\n"
                "    lp.frequency.exponential_ramp_to_value_at_time(4000, 2.0)\n\n"
                "get_frequency_response(frequencies) gives the magnitude and phase of the\n"
                "current settings without rendering."},
    {Py_tp_new, biquad_new},
    {Py_tp_getset, biquad_getset},
    {Py_tp_methods, biquad_methods},
    {0, NULL}
};

PyType_Spec lspy_BiquadFilterNode_spec = {
    "labsound.BiquadFilterNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS, biquad_slots
};

/* ------------------------------------------------------------------ */
/* IIRFilterNode                                                       */
/* ------------------------------------------------------------------ */

static const char *const iir_names[] = {
    "context", "options", "channel_count", "channel_count_mode", "channel_interpretation",
    "feedforward", "feedback", NULL};
static const char *const iir_fnames[] = {
    "feedforward", "feedback", "channel_count", "channel_count_mode", "channel_interpretation",
    NULL};
static const fl_kind iir_kind = {"IIRFilterNode", "create_iir_filter", iir_names, iir_fnames, 2,
                                 2};

static PyObject *
create_iir(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *const *args,
           Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict)
{
    PyObject *vals[F_MAX_ARGS], *owned[F_MAX_ARGS], *result = NULL;
    double *ff = NULL, *fb = NULL;
    const char *fn;
    if (fl_collect(st, &iir_kind, ctx, args, nargs, kwnames, tuple, dict, vals, owned, &fn) < 0) {
        goto done;
    }
    ctx = vals[F_CONTEXT];
    if (lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_iir_filter_options o = ls_iir_filter_options_default();
    if (fl_node_options(st, vals, fn, &o.node) < 0) {
        goto done;
    }
    Py_ssize_t nff, nfb;
    if (get_doubles(vals[F_FIRST_OWN], fn, "feedforward", &ff, &nff) < 0 ||
        get_doubles(vals[F_FIRST_OWN + 1], fn, "feedback", &fb, &nfb) < 0) {
        goto done;
    }
    const char *what = NULL;
    if (nff < 1 || nff > LS_IIR_MAX_COEFFS) {
        result = lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                            "%s(feedforward): needs 1 to %d coefficients, got %zd", fn,
                            LS_IIR_MAX_COEFFS, nff);
        goto done;
    }
    if (nfb < 1 || nfb > LS_IIR_MAX_COEFFS) {
        result = lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                            "%s(feedback): needs 1 to %d coefficients, got %zd", fn,
                            LS_IIR_MAX_COEFFS, nfb);
        goto done;
    }
    int all_zero = 1;
    for (Py_ssize_t i = 0; i < nff; i++) {
        if (ff[i] != 0.0) {
            all_zero = 0;
        }
    }
    if (all_zero) {
        what = "feedforward: the coefficients must not all be zero";
    }
    else if (fb[0] == 0.0) {
        what = "feedback: feedback[0] must not be zero";
    }
    o.feedforward = ff;
    o.feedforward_count = (size_t)nff;
    o.feedback = fb;
    o.feedback_count = (size_t)nfb;
    ls_node *n = NULL;
    ls_result r = ls_iir_filter_create(lspy_ctx_of(ctx), &o, &n);
    if (r == LS_ERROR_RANGE) {
        what = "the coefficients must be finite";
    }
    result = fl_finish(st, type, ctx, r, n, fn, what);
done:
    PyMem_Free(ff);
    PyMem_Free(fb);
    fl_release(owned);
    return result;
}

static PyObject *
iir_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? create_iir(st, type, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

PyObject *
lspy_ctx_create_iir_filter(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL || lspy_context_check(st, self, "create_iir_filter") < 0) {
        return NULL;
    }
    return create_iir(st, st->IIRFilterNode_Type, self, args, nargs, kw, NULL, NULL);
}

static PyObject *
iir_response(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    return frequency_response(self, args, nargs, kw, ls_iir_filter_get_frequency_response);
}

static PyMethodDef iir_methods[] = {
    {"get_frequency_response", CAST(iir_response), FAST,
     "get_frequency_response($self, /, frequencies, mag_out=None, phase_out=None)\n--\n\n"
     "Magnitude and phase (radians) at each frequency (Hz), as float32 arrays\n"
     "(NaN outside [0, sample_rate / 2]). Given arrays are filled."},
    {NULL}
};

static PyType_Slot iir_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "IIRFilterNode(context, options=None, *, feedforward, feedback, "
                "channel_count=2, channel_count_mode='max', "
                "channel_interpretation='speakers')\n--\n\n"
                "A general IIR filter from its transfer function's coefficients:\n"
                "H(z) = sum(feedforward[k] z^-k) / sum(feedback[k] z^-k), each list 1 to 20\n"
                "values, feedback[0] not zero (the coefficients are normalised by it). The\n"
                "coefficients are fixed once the node exists. Also made by\n"
                "context.create_iir_filter(feedforward, feedback).\n"
                "\n"
                "    iir = ctx.create_iir_filter(feedforward=[0.1, 0.2, 0.1], feedback=[1.0, -0.6, 0.2])\n"
                "    mag, phase = iir.get_frequency_response([100.0, 1000.0, 10000.0])\n"
                "\n"
                "Errors: NotSupportedError for an empty or too long coefficient list;\n"
                "InvalidStateError for feedback[0] == 0 or all feedforward values zero."},
    {Py_tp_new, iir_new},
    {Py_tp_methods, iir_methods},
    {0, NULL}
};

PyType_Spec lspy_IIRFilterNode_spec = {
    "labsound.IIRFilterNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS, iir_slots
};

/* ------------------------------------------------------------------ */
/* DelayNode                                                           */
/* ------------------------------------------------------------------ */

static const char *const delay_names[] = {
    "context", "options", "channel_count", "channel_count_mode", "channel_interpretation",
    "max_delay_time", "delay_time", NULL};
static const char *const delay_fnames[] = {
    "max_delay_time", "delay_time", "channel_count", "channel_count_mode",
    "channel_interpretation", NULL};
static const fl_kind delay_kind = {"DelayNode", "create_delay", delay_names, delay_fnames, 1, 0};

static PyObject *
create_delay(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *const *args,
             Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict)
{
    PyObject *vals[F_MAX_ARGS], *owned[F_MAX_ARGS], *result = NULL;
    const char *fn;
    if (fl_collect(st, &delay_kind, ctx, args, nargs, kwnames, tuple, dict, vals, owned, &fn) < 0) {
        goto done;
    }
    ctx = vals[F_CONTEXT];
    if (lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_delay_options o = ls_delay_options_default();
    if (fl_node_options(st, vals, fn, &o.node) < 0) {
        goto done;
    }
    PyObject *mx = vals[F_FIRST_OWN], *dt = vals[F_FIRST_OWN + 1];
    if ((mx && lspy_arg_double(mx, fn, "max_delay_time", &o.max_delay_time) < 0) ||
        (dt && lspy_arg_float(dt, fn, "delay_time", &o.delay_time) < 0)) {
        goto done;
    }
    if (!(o.max_delay_time > 0.0 && o.max_delay_time < LS_DELAY_MAX_TIME)) {
        result = lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                            "%s(max_delay_time): must be greater than 0 and less than 180 s, "
                            "got %R", fn, mx);
        goto done;
    }
    ls_node *n = NULL;
    ls_result r = ls_delay_create(lspy_ctx_of(ctx), &o, &n);
    result = fl_finish(st, type, ctx, r, n, fn, NULL);
done:
    fl_release(owned);
    return result;
}

static PyObject *
delay_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? create_delay(st, type, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

PyObject *
lspy_ctx_create_delay(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL || lspy_context_check(st, self, "create_delay") < 0) {
        return NULL;
    }
    return create_delay(st, st->DelayNode_Type, self, args, nargs, kw, NULL, NULL);
}

static const fl_param P_DELAY_TIME = {0, "delayTime"};

static PyGetSetDef delay_getset[] = {
    {"delay_time", (getter)fl_get_param, NULL, "Delay in seconds (AudioParam).",
     (void *)&P_DELAY_TIME},
    {NULL}
};

static PyType_Slot delay_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "DelayNode(context, options=None, *, max_delay_time=1.0, delay_time=0.0, "
                "channel_count=2, channel_count_mode='max', "
                "channel_interpretation='speakers')\n--\n\n"
                "A delay line: the input delayed by delay_time seconds (an a-rate AudioParam,\n"
                "0 to max_delay_time; fractional delays interpolate). max_delay_time (seconds,\n"
                "above 0 and below 180, default 1) sizes the line. In a cycle of the graph the\n"
                "delay is at least one render quantum (128 frames), so feedback loops through\n"
                "it work, as the spec requires. Also made by context.create_delay(**options).\n"
                "\n"
                "    d = ctx.create_delay(max_delay_time=2.0, delay_time=0.25)\n"
                "    fb = ctx.create_gain(gain=0.5)\n"
                "    src >> d >> fb >> d          # an echo that decays by half per repeat\n"
                "    d >> ctx.destination\n"
                "\n"
                "Errors: NotSupportedError for max_delay_time outside (0, 180)."},
    {Py_tp_new, delay_new},
    {Py_tp_getset, delay_getset},
    {0, NULL}
};

PyType_Spec lspy_DelayNode_spec = {
    "labsound.DelayNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS, delay_slots
};

/* ------------------------------------------------------------------ */
/* ChannelSplitterNode and ChannelMergerNode                           */
/* ------------------------------------------------------------------ */

static const char *const splitter_names[] = {
    "context", "options", "channel_count", "channel_count_mode", "channel_interpretation",
    "number_of_outputs", NULL};
static const char *const splitter_fnames[] = {
    "number_of_outputs", "channel_count", "channel_count_mode", "channel_interpretation", NULL};
static const fl_kind splitter_kind = {"ChannelSplitterNode", "create_channel_splitter",
                                      splitter_names, splitter_fnames, 1, 0};

static const char *const merger_names[] = {
    "context", "options", "channel_count", "channel_count_mode", "channel_interpretation",
    "number_of_inputs", NULL};
static const char *const merger_fnames[] = {
    "number_of_inputs", "channel_count", "channel_count_mode", "channel_interpretation", NULL};
static const fl_kind merger_kind = {"ChannelMergerNode", "create_channel_merger", merger_names,
                                    merger_fnames, 1, 0};

static int
get_port_count(lspy_state *st, PyObject *o, const char *fn, const char *arg, uint32_t *out)
{
    Py_ssize_t v;
    if (o == NULL) {
        return 0;
    }
    if (lspy_arg_index(o, fn, arg, &v) < 0) {
        return -1;
    }
    if (v < 1 || v > LS_MAX_CHANNELS) {
        lspy_raise(st, LS_ERROR_INDEX_SIZE, "%s(%s): must be between 1 and %d, got %R", fn, arg,
                   LS_MAX_CHANNELS, o);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static PyObject *
create_routing(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *const *args,
               Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict, int merger)
{
    PyObject *vals[F_MAX_ARGS], *owned[F_MAX_ARGS], *result = NULL;
    const char *fn;
    if (fl_collect(st, merger ? &merger_kind : &splitter_kind, ctx, args, nargs, kwnames, tuple,
                   dict, vals, owned, &fn) < 0) {
        goto done;
    }
    ctx = vals[F_CONTEXT];
    if (lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_node_options no = ls_node_options_default();
    if (fl_node_options(st, vals, fn, &no) < 0) {
        goto done;
    }
    ls_node *n = NULL;
    ls_result r;
    const char *what = NULL;
    if (merger) {
        ls_channel_merger_options o = ls_channel_merger_options_default();
        o.node = no;
        if (get_port_count(st, vals[F_FIRST_OWN], fn, "number_of_inputs", &o.number_of_inputs) < 0) {
            goto done;
        }
        r = ls_channel_merger_create(lspy_ctx_of(ctx), &o, &n);
        what = "channel_count must be 1 and channel_count_mode 'explicit'";
    }
    else {
        ls_channel_splitter_options o = ls_channel_splitter_options_default();
        o.node = no;
        if (get_port_count(st, vals[F_FIRST_OWN], fn, "number_of_outputs", &o.number_of_outputs) < 0) {
            goto done;
        }
        r = ls_channel_splitter_create(lspy_ctx_of(ctx), &o, &n);
        what = "channel_count must equal number_of_outputs, channel_count_mode be 'explicit' "
               "and channel_interpretation 'discrete'";
    }
    result = fl_finish(st, type, ctx, r, n, fn, r == LS_ERROR_INVALID_STATE ? what : NULL);
done:
    fl_release(owned);
    return result;
}

static PyObject *
splitter_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? create_routing(st, type, NULL, NULL, 0, NULL, args, kwargs, 0) : NULL;
}

static PyObject *
merger_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? create_routing(st, type, NULL, NULL, 0, NULL, args, kwargs, 1) : NULL;
}

PyObject *
lspy_ctx_create_channel_splitter(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                 PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL || lspy_context_check(st, self, "create_channel_splitter") < 0) {
        return NULL;
    }
    return create_routing(st, st->ChannelSplitterNode_Type, self, args, nargs, kw, NULL, NULL, 0);
}

PyObject *
lspy_ctx_create_channel_merger(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL || lspy_context_check(st, self, "create_channel_merger") < 0) {
        return NULL;
    }
    return create_routing(st, st->ChannelMergerNode_Type, self, args, nargs, kw, NULL, NULL, 1);
}

static PyType_Slot splitter_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "ChannelSplitterNode(context, options=None, *, number_of_outputs=6, "
                "channel_count=6, channel_count_mode='explicit', "
                "channel_interpretation='discrete')\n--\n\n"
                "Output i carries channel i of the input (number_of_outputs outputs, 1 to 32,\n"
                "default 6; outputs past the input's channels are silent). Its channel_count\n"
                "equals number_of_outputs and its channel_interpretation is 'discrete'. Also\n"
                "made by context.create_channel_splitter(number_of_outputs).\n"
                "\n"
                "    split = ctx.create_channel_splitter(2)\n"
                "    stereo_src >> split\n"
                "    split.connect(left_gain, 0); split.connect(right_gain, 1)\n"
                "\n"
                "Errors: IndexError (IndexSizeError) for number_of_outputs outside 1..32;\n"
                "InvalidStateError when its channel settings are changed."},
    {Py_tp_new, splitter_new},
    {0, NULL}
};

PyType_Spec lspy_ChannelSplitterNode_spec = {
    "labsound.ChannelSplitterNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS, splitter_slots
};

static PyType_Slot merger_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "ChannelMergerNode(context, options=None, *, number_of_inputs=6, "
                "channel_count=1, channel_count_mode='explicit', "
                "channel_interpretation='speakers')\n--\n\n"
                "Input i, down-mixed to mono, becomes channel i of the output: number_of_inputs\n"
                "mono inputs (1 to 32, default 6) make one output of that many channels. Its\n"
                "channel_count is 1 and its channel_count_mode 'explicit', as the spec fixes.\n"
                "Also made by context.create_channel_merger(number_of_inputs).\n"
                "\n"
                "    merger = ctx.create_channel_merger(2)\n"
                "    left.connect(merger, 0, 0); right.connect(merger, 0, 1)\n"
                "    merger >> ctx.destination\n"
                "\n"
                "Errors: IndexError (IndexSizeError) for number_of_inputs outside 1..32;\n"
                "InvalidStateError when channel_count or channel_count_mode is changed."},
    {Py_tp_new, merger_new},
    {0, NULL}
};

PyType_Spec lspy_ChannelMergerNode_spec = {
    "labsound.ChannelMergerNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS, merger_slots
};

/* ------------------------------------------------------------------ */
/* StereoPannerNode                                                    */
/* ------------------------------------------------------------------ */

static const char *const panner_names[] = {
    "context", "options", "channel_count", "channel_count_mode", "channel_interpretation",
    "pan", NULL};
static const char *const panner_fnames[] = {
    "pan", "channel_count", "channel_count_mode", "channel_interpretation", NULL};
static const fl_kind panner_kind = {"StereoPannerNode", "create_stereo_panner", panner_names,
                                    panner_fnames, 0, 0};

static PyObject *
create_panner(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *const *args,
              Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict)
{
    PyObject *vals[F_MAX_ARGS], *owned[F_MAX_ARGS], *result = NULL;
    const char *fn;
    if (fl_collect(st, &panner_kind, ctx, args, nargs, kwnames, tuple, dict, vals, owned, &fn) < 0) {
        goto done;
    }
    ctx = vals[F_CONTEXT];
    if (lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_stereo_panner_options o = ls_stereo_panner_options_default();
    if (fl_node_options(st, vals, fn, &o.node) < 0) {
        goto done;
    }
    if (vals[F_FIRST_OWN] && lspy_arg_float(vals[F_FIRST_OWN], fn, "pan", &o.pan) < 0) {
        goto done;
    }
    if (o.node.channel_count > 2) {
        result = lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                            "%s(channel_count): must be 1 or 2, got %R", fn,
                            vals[F_CHANNEL_COUNT]);
        goto done;
    }
    if (o.node.channel_count_mode == LS_CHANNEL_COUNT_MODE_MAX) {
        result = lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                            "%s(channel_count_mode): must be 'clamped-max' or 'explicit', got %R",
                            fn, vals[F_CHANNEL_COUNT_MODE]);
        goto done;
    }
    ls_node *n = NULL;
    ls_result r = ls_stereo_panner_create(lspy_ctx_of(ctx), &o, &n);
    result = fl_finish(st, type, ctx, r, n, fn,
                       r == LS_ERROR_NOT_SUPPORTED
                           ? "channel_count must be 1 or 2 and channel_count_mode not 'max'"
                           : NULL);
done:
    fl_release(owned);
    return result;
}

static PyObject *
panner_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? create_panner(st, type, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

PyObject *
lspy_ctx_create_stereo_panner(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL || lspy_context_check(st, self, "create_stereo_panner") < 0) {
        return NULL;
    }
    return create_panner(st, st->StereoPannerNode_Type, self, args, nargs, kw, NULL, NULL);
}

static const fl_param P_PAN = {0, "pan"};

static PyGetSetDef panner_getset[] = {
    {"pan", (getter)fl_get_param, NULL, "Position in [-1, 1] (AudioParam).", (void *)&P_PAN},
    {NULL}
};

static PyType_Slot panner_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "StereoPannerNode(context, options=None, *, pan=0.0, channel_count=2, "
                "channel_count_mode='clamped-max', channel_interpretation='speakers')\n--\n\n"
                "Equal-power panning of a mono or stereo input to stereo, as the spec's\n"
                "StereoPannerNode: pan is an a-rate AudioParam from -1 (left) to 1 (right).\n"
                "channel_count is at most 2 and channel_count_mode 'clamped-max' or 'explicit'.\n"
                "Also made by context.create_stereo_panner(**options).\n"
                "\n"
                "    p = ctx.create_stereo_panner(pan=-0.5)\n"
                "    src >> p >> ctx.destination\n"
                "    lfo >> p.pan                                 # auto-pan\n"
                "\n"
                "Errors: NotSupportedError for channel_count above 2 or channel_count_mode\n"
                "'max'."},
    {Py_tp_new, panner_new},
    {Py_tp_getset, panner_getset},
    {0, NULL}
};

PyType_Spec lspy_StereoPannerNode_spec = {
    "labsound.StereoPannerNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS, panner_slots
};

/* ------------------------------------------------------------------ */
/* WaveShaperNode                                                      */
/* ------------------------------------------------------------------ */

static const char *const ws_names[] = {
    "context", "options", "channel_count", "channel_count_mode", "channel_interpretation",
    "curve", "oversample", NULL};
static const char *const ws_fnames[] = {
    "curve", "oversample", "channel_count", "channel_count_mode", "channel_interpretation", NULL};
static const fl_kind ws_kind = {"WaveShaperNode", "create_wave_shaper", ws_names, ws_fnames, 0, 0};

static const char *
curve_error(ls_result r)
{
    switch (r) {
    case LS_ERROR_INVALID_STATE: return "a curve needs at least 2 values";
    case LS_ERROR_RANGE: return "the curve's values must be finite";
    default: return NULL;
    }
}

static PyObject *
create_ws(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *const *args,
          Py_ssize_t nargs, PyObject *kwnames, PyObject *tuple, PyObject *dict)
{
    PyObject *vals[F_MAX_ARGS], *owned[F_MAX_ARGS], *result = NULL;
    lspy_floats f;
    int have_f = 0;
    const char *fn;
    if (fl_collect(st, &ws_kind, ctx, args, nargs, kwnames, tuple, dict, vals, owned, &fn) < 0) {
        goto done;
    }
    ctx = vals[F_CONTEXT];
    if (lspy_context_check(st, ctx, fn) < 0) {
        goto done;
    }
    ls_wave_shaper_options o = ls_wave_shaper_options_default();
    if (fl_node_options(st, vals, fn, &o.node) < 0) {
        goto done;
    }
    PyObject *curve = vals[F_FIRST_OWN], *over = vals[F_FIRST_OWN + 1];
    if (over != NULL) {
        int t;
        if (lspy_arg_enum(over, fn, "oversample", oversample_names, &t) < 0) {
            goto done;
        }
        o.oversample = (ls_oversample_type)t;
    }
    if (curve != NULL && curve != Py_None) {
        if (lspy_floats_get(curve, fn, "curve", 0, &f) < 0) {
            goto done;
        }
        have_f = 1;
        o.curve = f.data;
        o.curve_length = (size_t)f.count;
    }
    ls_node *n = NULL;
    ls_result r = ls_wave_shaper_create(lspy_ctx_of(ctx), &o, &n);
    result = fl_finish(st, type, ctx, r, n, fn, curve_error(r));
done:
    if (have_f) {
        lspy_floats_release(&f);
    }
    fl_release(owned);
    return result;
}

static PyObject *
ws_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    return st ? create_ws(st, type, NULL, NULL, 0, NULL, args, kwargs) : NULL;
}

PyObject *
lspy_ctx_create_wave_shaper(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL || lspy_context_check(st, self, "create_wave_shaper") < 0) {
        return NULL;
    }
    return create_ws(st, st->WaveShaperNode_Type, self, args, nargs, kw, NULL, NULL);
}

static PyObject *
ws_get_curve(lspy_NodeObject *self, void *closure)
{
    lspy_state *st = LSPY_STATE(self);
    if (fl_check_live(st, self) < 0) {
        return NULL;
    }
    size_t n;
    const float *v = ls_wave_shaper_get_curve(self->node, &n);
    if (v == NULL || n == 0) {
        Py_RETURN_NONE;
    }
    return new_float_array(st, (Py_ssize_t)n, v);
}

static int
ws_set_curve(lspy_NodeObject *self, PyObject *value, void *closure)
{
    lspy_state *st = LSPY_STATE(self);
    if (fl_check_live(st, self) < 0 || no_delete(value, "curve") < 0) {
        return -1;
    }
    ls_result r;
    if (value == Py_None) {
        r = ls_wave_shaper_set_curve(self->node, NULL, 0);
    }
    else {
        lspy_floats f;
        if (lspy_floats_get(value, NULL, "curve", 0, &f) < 0) {
            return -1;
        }
        r = ls_wave_shaper_set_curve(self->node, f.data, (size_t)f.count);
        lspy_floats_release(&f);
    }
    if (r != LS_OK) {
        const char *what = curve_error(r);
        lspy_raise(st, r, "curve: %s", what ? what : ls_result_string(r));
        return -1;
    }
    return 0;
}

static PyObject *
ws_get_oversample(lspy_NodeObject *self, void *closure)
{
    if (fl_check_live(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    unsigned t = (unsigned)ls_wave_shaper_get_oversample(self->node);
    return PyUnicode_FromString(t <= 2 ? oversample_names[t] : "none");
}

static int
ws_set_oversample(lspy_NodeObject *self, PyObject *value, void *closure)
{
    lspy_state *st = LSPY_STATE(self);
    int t;
    if (fl_check_live(st, self) < 0 || no_delete(value, "oversample") < 0 ||
        lspy_arg_enum(value, NULL, "oversample", oversample_names, &t) < 0) {
        return -1;
    }
    ls_result r = ls_wave_shaper_set_oversample(self->node, (ls_oversample_type)t);
    if (r != LS_OK) {
        lspy_raise(st, r, "oversample: cannot set %R (%s)", value, ls_result_string(r));
        return -1;
    }
    return 0;
}

static PyGetSetDef ws_getset[] = {
    {"curve", (getter)ws_get_curve, (setter)ws_set_curve,
     "The shaping curve (a float32 array, a copy) or None: input -1 maps to curve[0], +1 to "
     "curve[-1].", NULL},
    {"oversample", (getter)ws_get_oversample, (setter)ws_set_oversample,
     "'none', '2x' or '4x'.", NULL},
    {NULL}
};

static PyType_Slot ws_slots[] = {
    GC_SLOTS,
    {Py_tp_doc, "WaveShaperNode(context, options=None, *, curve=None, oversample='none', "
                "channel_count=2, channel_count_mode='max', "
                "channel_interpretation='speakers')\n--\n\n"
                "Non-linear distortion through a curve: each sample x in [-1, 1] maps to the\n"
                "curve at position (x + 1) / 2 * (len - 1), linearly interpolated; values\n"
                "beyond the ends take the end values. oversample: 'none', '2x' or '4x' reduces\n"
                "aliasing. curve None passes the input through. Also made by\n"
                "context.create_wave_shaper(**options).\n"
                "\n"
                "    ws = ctx.create_wave_shaper(curve=np.tanh(np.linspace(-3, 3, 1024)), oversample='4x')\n"
                "    guitar >> ws >> ctx.destination\n"
                "\n"
                "Errors: InvalidStateError for a curve of fewer than 2 values; ValueError for\n"
                "an unknown oversample value; TypeError for a curve that is not numbers."},
    {Py_tp_new, ws_new},
    {Py_tp_getset, ws_getset},
    {0, NULL}
};

PyType_Spec lspy_WaveShaperNode_spec = {
    "labsound.WaveShaperNode", sizeof(lspy_NodeObject), 0, NODE_FLAGS, ws_slots
};
