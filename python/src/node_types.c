/*
 * The node classes, built at module init from the engine's node type
 * descriptors (include/labsound/descriptor.h).
 *
 * For every node type the engine lists, this makes (in the module state, as
 * heap types) the class `labsound.<Name>Node` and the factory
 * `BaseAudioContext.create_<key>`, both taking the same keyword options:
 *
 *   - one argument parser for both: each option by its descriptor's kind
 *     (a float, an int in its range, a bool, one of the enum's names, ...),
 *     plus the three channel options, errors naming the call and the option
 *     and echoing the bad value;
 *   - the params as properties (`node.frequency`), the settings as
 *     properties converted by kind, read-only when the engine has no setter;
 *   - the docstring, from the descriptor's docs.
 *
 * What is special to a node (methods such as ADSR's gate_on, readings that
 * are not a number, buffers) is written by hand in python/src/nodes/<node>.c
 * and named in the `specials` table below. Types bound elsewhere still (a
 * class of that name already in the module) are left alone.
 */
#include "core.h"
#include "nodes/nodes.h"

#include <float.h>
#include <math.h>

/* What each node type needs at run time, one per class. */
typedef struct lspy_attr {
    const ls_node_descriptor *desc;
    int index;                      /* the param's or the setting's index */
    char name[48];                  /* the Python name (snake_case) */
} lspy_attr;

struct lspy_node_class {
    const ls_node_descriptor *desc;
    const lspy_node_special *special;
    PyTypeObject *type;             /* strong, cleared with the module state */
    char *type_name;                /* "labsound.GainNode" (the type keeps a pointer) */
    char *factory;                  /* "create_gain" */
    char *doc;
    PyGetSetDef *getset;
    PyMethodDef *methods;           /* the special's, and get_frequency_response */
    lspy_attr *attrs;
    const char **kw;                /* options, channel options, then aliases */
    int n_kw;
    int n_own;                      /* the node's own options among them */
    int n_alias;                    /* the special's aliases, last */
};

static const lspy_node_special *const specials[] = {
    &lspy_adsr_special,         &lspy_analyser_special,      &lspy_biquad_filter_special,
    &lspy_bpm_delay_special,    &lspy_buffer_source_special, &lspy_channel_merger_special,
    &lspy_channel_splitter_special, &lspy_convolver_special, &lspy_delay_special,
    &lspy_granulation_special,  &lspy_iir_filter_special,    &lspy_oscillator_special,
    &lspy_panner_special,       &lspy_ping_pong_delay_special, &lspy_recorder_special,
    &lspy_sampled_audio_special, &lspy_sfxr_special,         &lspy_spectral_monitor_special,
    &lspy_stereo_panner_special, &lspy_wave_shaper_special,
};

static const char *const channel_names[] = {"channel_count", "channel_count_mode",
                                            "channel_interpretation"};

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

/* playbackRate -> playback_rate; Q and snake_case names stay */
static void
snake_case(const char *in, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; in[i] && j + 2 < cap; i++) {
        char c = in[i];
        if (c >= 'A' && c <= 'Z' && i > 0 && in[i - 1] >= 'a' && in[i - 1] <= 'z') {
            out[j++] = '_';
            c = (char)(c - 'A' + 'a');
        }
        out[j++] = c;
    }
    out[j] = 0;
}

static char *
dup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    PyObject *s = PyUnicode_FromFormatV(fmt, ap);
    va_end(ap);
    if (s == NULL) {
        return NULL;
    }
    Py_ssize_t n;
    const char *u = PyUnicode_AsUTF8AndSize(s, &n);
    char *out = u ? PyMem_Malloc((size_t)n + 1) : NULL;
    if (out != NULL) {
        memcpy(out, u, (size_t)n + 1);
    }
    else if (u != NULL) {
        PyErr_NoMemory();
    }
    Py_DECREF(s);
    return out;
}

/* ------------------------------------------------------------------ */
/* Values by kind                                                      */
/* ------------------------------------------------------------------ */

/* an enum whose first name is "default" (the engine's choice, such as the
 * context's interpolation): None in Python, the other names the choices */
static int
default_first(const char *const *names)
{
    return names != NULL && strcmp(names[0], "default") == 0;
}


static PyObject *
subject(const char *fn, const char *arg)
{
    return fn ? PyUnicode_FromFormat("%s(%s)", fn, arg) : PyUnicode_FromString(arg);
}

/* "<fn>(<arg>): must be between lo and hi, got <got>", raised as the
 * engine's error r (ValueError when r is LS_OK) */
static int
raise_range_as(lspy_state *st, ls_result r, const char *fn, const char *arg, double lo,
               double hi, int above, PyObject *got)
{
    PyObject *s = subject(fn, arg);
    if (s == NULL) {
        return -1;
    }
    char lo_s[32], hi_s[32], what[96];
    PyOS_snprintf(lo_s, sizeof lo_s, "%.9g", lo);
    PyOS_snprintf(hi_s, sizeof hi_s, "%.9g", hi);
    if (hi >= FLT_MAX) {
        PyOS_snprintf(what, sizeof what, "%s %s", above ? "above" : "at least", lo_s);
    }
    else if (lo <= -FLT_MAX) {
        PyOS_snprintf(what, sizeof what, "at most %s", hi_s);
    }
    else {
        PyOS_snprintf(what, sizeof what, "between %s and %s", lo_s, hi_s);
    }
    if (r == LS_OK || st == NULL) {
        PyErr_Format(PyExc_ValueError, "%U: must be %s, got %R", s, what, got);
    }
    else {
        lspy_raise(st, r, "%U: must be %s, got %R", s, what, got);
    }
    Py_DECREF(s);
    return -1;
}

static int
raise_range(const char *fn, const char *arg, double lo, double hi, PyObject *got)
{
    return raise_range_as(NULL, LS_OK, fn, arg, lo, hi, 0, got);
}

static int
raise_kind(PyObject *exc, const char *fn, const char *arg, const char *what, PyObject *got)
{
    PyObject *s = subject(fn, arg);
    if (s != NULL) {
        PyErr_Format(exc, "%U: expected %s, got %.200s", s, what, LSPY_TP_NAME(got));
        Py_DECREF(s);
    }
    return -1;
}

/* A ValueError just raised for a value out of its range, raised instead as
 * the error the node's hand-written part names (an AnalyserNode's fft_size:
 * IndexError, as the spec's IndexSizeError). Returns -1. */
static int
retype_range_error(lspy_state *st, const lspy_node_special *sp)
{
    if (sp == NULL || sp->option_error == LS_OK || !PyErr_ExceptionMatches(PyExc_ValueError)) {
        return -1;
    }
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *msg = value != NULL ? PyObject_Str(value) : NULL;
    if (msg != NULL) {
        lspy_raise(st, sp->option_error, "%U", msg);
        Py_DECREF(msg);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return -1;
}

/* An int of an integer kind (INT, UINT, UINT64) into *out, as the bits of
 * its C type; `lo`/`hi` the accepted range when hi > lo. */
static int
to_integer(PyObject *v, ls_value_kind kind, double lo, double hi, const char *fn,
           const char *arg, int64_t *out)
{
    if (PyBool_Check(v) || !PyLong_Check(v)) {
        return raise_kind(PyExc_TypeError, fn, arg, "an int", v);
    }
    if (kind == LS_VALUE_UINT64) {
        unsigned long long u = PyLong_AsUnsignedLongLong(v);
        if (u == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            PyObject *s = subject(fn, arg);
            if (s != NULL) {
                PyErr_Format(PyExc_ValueError, "%U: must be an int in 0 .. 2**64 - 1, got %R", s,
                             v);
                Py_DECREF(s);
            }
            return -1;
        }
        *out = (int64_t)u;
        return 0;
    }
    int overflow;
    long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (x == -1 && PyErr_Occurred()) {
        return -1;
    }
    double c_lo = kind == LS_VALUE_UINT ? 0.0 : (double)INT32_MIN;
    double c_hi = kind == LS_VALUE_UINT ? (double)UINT32_MAX : (double)INT32_MAX;
    if (hi > lo) {
        c_lo = lo;
        c_hi = hi;
    }
    if (overflow || (double)x < c_lo || (double)x > c_hi) {
        return raise_range(fn, arg, c_lo, c_hi, v);
    }
    *out = x;
    return 0;
}

/* A Python value of `kind` as an ls_value. Objects are borrowed from v. */
static int
to_value(lspy_state *st, PyObject *v, ls_value_kind kind, const char *const *enum_names,
         double lo, double hi, int time_like, const char *fn, const char *arg, ls_value *out)
{
    switch (kind) {
    case LS_VALUE_FLOAT: {
        float f;
        if (time_like) {
            double d;
            if (lspy_arg_time(v, fn, arg, &d) < 0) {
                return -1;
            }
            if (d > FLT_MAX) {
                return raise_range(fn, arg, 0.0, FLT_MAX, v);
            }
            out->f = d;
            return 0;
        }
        if (lspy_arg_float(v, fn, arg, &f) < 0) {
            return -1;
        }
        out->f = f;
        return 0;
    }
    case LS_VALUE_DOUBLE:
        return lspy_arg_finite(v, fn, arg, &out->f);
    case LS_VALUE_INT:
    case LS_VALUE_UINT:
    case LS_VALUE_UINT64:
        return to_integer(v, kind, lo, hi, fn, arg, &out->i);
    case LS_VALUE_BOOL:
        if (!PyBool_Check(v)) {
            return raise_kind(PyExc_TypeError, fn, arg, "a bool", v);
        }
        out->i = v == Py_True;
        return 0;
    case LS_VALUE_ENUM: {
        int e;
        if (lspy_arg_enum(v, fn, arg, enum_names, &e) < 0) {
            return -1;
        }
        out->i = e;
        return 0;
    }
    case LS_VALUE_BUFFER:
    case LS_VALUE_PERIODIC_WAVE: {
        int buf = kind == LS_VALUE_BUFFER;
        if (v == Py_None) {
            out->p = NULL;
            return 0;
        }
        if (!PyObject_TypeCheck(v, buf ? st->AudioBuffer_Type : st->PeriodicWave_Type)) {
            return raise_kind(PyExc_TypeError, fn, arg,
                              buf ? "an AudioBuffer, a path or None" : "a PeriodicWave or None",
                              v);
        }
        out->p = buf ? (void *)((lspy_BufferObject *)v)->buf : (void *)((lspy_WaveObject *)v)->wave;
        return 0;
    }
    default:
        PyErr_Format(PyExc_TypeError, "%s(%s): this option cannot be given from Python",
                     fn ? fn : "", arg);
        return -1;
    }
}

PyObject *
lspy_setting_to_py(const ls_setting_descriptor *s, const ls_value *v)
{
    switch (s->kind) {
    case LS_VALUE_FLOAT:
    case LS_VALUE_DOUBLE:
        return PyFloat_FromDouble(v->f);
    case LS_VALUE_INT:
    case LS_VALUE_UINT:
        return PyLong_FromLongLong(v->i);
    case LS_VALUE_UINT64:
        return PyLong_FromUnsignedLongLong((unsigned long long)v->i);
    case LS_VALUE_BOOL:
        return PyBool_FromLong(v->i != 0);
    case LS_VALUE_ENUM: {
        int n = 0;
        while (s->enum_names[n] != NULL) {
            n++;
        }
        if (v->i < 0 || v->i >= n) {
            return PyErr_Format(PyExc_RuntimeError, "%s: the engine answered %lld", s->name,
                                (long long)v->i);
        }
        if (v->i == 0 && default_first(s->enum_names)) {
            Py_RETURN_NONE;
        }
        return PyUnicode_FromString(s->enum_names[v->i]);
    }
    default:
        return PyErr_Format(PyExc_TypeError, "%s cannot be read from Python", s->name);
    }
}

/* the param an option feeds, or NULL */
static const ls_param_descriptor *
fed_param(const ls_node_descriptor *d, const ls_option_descriptor *o)
{
    return o->param ? ls_node_type_param(d, o->param) : NULL;
}

/* an option of such an enum */
static int
none_first(const ls_option_descriptor *o)
{
    return o->kind == LS_VALUE_ENUM && default_first(o->enum_names);
}

/* a time in seconds that cannot be negative: a param of unit "s" from 0 */
static int
time_like(const ls_param_descriptor *p)
{
    return p != NULL && p->min_value == 0.0f && strcmp(p->unit, "s") == 0;
}

/* the default follows other options (a granulator's position_end): None
 * stands for it */
static int
default_follows(const ls_node_descriptor *d, const ls_option_descriptor *o)
{
    const ls_param_descriptor *p = fed_param(d, o);
    return p != NULL && (p->flags & LS_PARAM_DEFAULT_FROM_OPTIONS);
}

/* A BUFFER value as the object kept: a path (str or os.PathLike) is loaded
 * at the context's rate, anything else is v itself. A new reference. */
static PyObject *
buffer_object(lspy_state *st, PyObject *context, PyObject *v)
{
    if (v != Py_None && !PyObject_TypeCheck(v, st->AudioBuffer_Type) &&
        (PyUnicode_Check(v) || PyObject_HasAttrString(v, "__fspath__"))) {
        return lspy_load_for_context(context, v);
    }
    Py_INCREF(v);
    return v;
}

/* store a converted option into the options struct */
static int
store_option(const ls_option_descriptor *o, void *opts, const ls_value *v)
{
    switch (o->kind) {
    case LS_VALUE_FLOAT:
    case LS_VALUE_DOUBLE:
        return ls_option_set_number(o, opts, v->f) == LS_OK ? 0 : -1;
    case LS_VALUE_UINT64: {
        /* all 64 bits: not through a double */
        uint64_t u = (uint64_t)v->i;
        memcpy((char *)opts + o->offset, &u, sizeof u);
        if (o->flags & LS_OPTION_OPTIONAL) {
            int given = 1;
            memcpy((char *)opts + o->aux_offset, &given, sizeof given);
        }
        return 0;
    }
    case LS_VALUE_INT:
    case LS_VALUE_UINT:
    case LS_VALUE_BOOL:
    case LS_VALUE_ENUM:
        return ls_option_set_number(o, opts, (double)v->i) == LS_OK ? 0 : -1;
    default:
        return ls_option_set_pointer(o, opts, v->p, 0) == LS_OK ? 0 : -1;
    }
}

/* a sequence of numbers as doubles (PyMem memory the caller frees) */
static int
to_doubles(PyObject *o, const char *fn, const char *arg, double **out, Py_ssize_t *n)
{
    PyObject *seq = PySequence_Fast(o, "");
    if (seq == NULL) {
        PyErr_Clear();
        return raise_kind(PyExc_TypeError, fn, arg, "a sequence of numbers", o);
    }
    Py_ssize_t len = LSPY_FAST_SIZE(seq);
    double *v = PyMem_Malloc(sizeof(double) * (size_t)(len ? len : 1));
    for (Py_ssize_t i = 0; v != NULL && i < len; i++) {
        PyObject *item = LSPY_FAST_ITEM(seq, i);
        v[i] = PyFloat_AsDouble(item);
        if (v[i] == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "%s(%s): %s[%zd] must be a number, got %.200s",
                         fn ? fn : "", arg, arg, i, LSPY_TP_NAME(item));
            PyMem_Free(v);
            Py_DECREF(seq);
            return -1;
        }
    }
    Py_DECREF(seq);
    if (v == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *out = v;
    *n = len;
    return 0;
}

/* an array option (FLOAT_ARRAY, DOUBLE_ARRAY) into opts, in memory *owned
 * holds until the node is made (the engine copies it) */
static int
store_array(const ls_option_descriptor *o, PyObject *v, const char *fn, void *opts, void **owned)
{
    Py_ssize_t n;
    if (o->kind == LS_VALUE_DOUBLE_ARRAY) {
        if (to_doubles(v, fn, o->name, (double **)owned, &n) < 0) {
            return -1;
        }
    }
    else {
        lspy_floats f;
        if (lspy_floats_get(v, fn, o->name, 0, &f) < 0) {
            return -1;
        }
        n = f.count;
        *owned = PyMem_Malloc(sizeof(float) * (size_t)(n ? n : 1));
        if (*owned != NULL) {
            memcpy(*owned, f.data, sizeof(float) * (size_t)n);
        }
        lspy_floats_release(&f);
        if (*owned == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    return ls_option_set_pointer(o, opts, *owned, (size_t)n) == LS_OK ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Making a node                                                       */
/* ------------------------------------------------------------------ */

static int
channel_options(lspy_state *st, PyObject *const *raw, const char *fn, ls_node_options *no)
{
    if (raw[0] != NULL) {
        Py_ssize_t c;
        if (lspy_arg_index(raw[0], fn, "channel_count", &c) < 0) {
            return -1;
        }
        if (c < 1 || c > LS_MAX_CHANNELS) {
            lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                       "%s(channel_count): channel_count must be between 1 and %d, got %R", fn,
                       LS_MAX_CHANNELS, raw[0]);
            return -1;
        }
        no->channel_count = (int32_t)c;
    }
    int e;
    if (raw[1] != NULL) {
        if (lspy_arg_enum(raw[1], fn, "channel_count_mode", lspy_channel_count_mode_names,
                          &e) < 0) {
            return -1;
        }
        no->channel_count_mode = e;
    }
    if (raw[2] != NULL) {
        if (lspy_arg_enum(raw[2], fn, "channel_interpretation",
                          lspy_channel_interpretation_names, &e) < 0) {
            return -1;
        }
        no->channel_interpretation = e;
    }
    return 0;
}

/* After create failed: the option whose value lies outside its range (its
 * own or its param's) names the error; else the engine's description. */
static PyObject *
raise_create(lspy_state *st, const lspy_node_class *cls, PyObject *context, PyObject *const *raw,
             const void *opts, ls_result r, const char *fn)
{
    const ls_node_descriptor *d = cls->desc;
    if (r == LS_ERROR_INVALID_STATE &&
        ls_context_get_state(lspy_ctx_of(context)) == LS_CONTEXT_STATE_CLOSED) {
        return lspy_raise(st, r, "%s(): the context is closed", fn);
    }
    for (uint32_t i = 0; i < d->option_count; i++) {
        const ls_option_descriptor *o = &d->options[i];
        const ls_param_descriptor *p = fed_param(d, o);
        double x, lo = o->min_value, hi = o->max_value;
        if (p != NULL && !(p->flags & (LS_PARAM_RANGE_NYQUIST | LS_PARAM_RANGE_FROM_OPTIONS))) {
            lo = p->min_value;
            hi = p->max_value;
        }
        if (raw[i] == NULL || !(hi > lo) || ls_option_get_number(o, opts, &x) != LS_OK) {
            continue;
        }
        int above = (o->flags & LS_OPTION_ABOVE_MIN) != 0;
        if (x < lo || x > hi || (above && x == lo)) {
            raise_range_as(st, r, fn, o->name, lo, hi, above, raw[i]);
            return NULL;
        }
    }
    /* no single option is out of range: name the ones given, with their values */
    PyObject *given = PyUnicode_FromString("");
    for (uint32_t i = 0; given != NULL && i < d->option_count; i++) {
        if (raw[i] != NULL) {
            PyObject *more = PyUnicode_FromFormat("%U%s%s=%R", given,
                                                  PyUnicode_GetLength(given) ? ", " : "",
                                                  d->options[i].name, raw[i]);
            Py_DECREF(given);
            given = more;
        }
    }
    if (given == NULL) {
        return NULL;
    }
    if (PyUnicode_GetLength(given) == 0) {
        Py_DECREF(given);
        return lspy_raise_call(st, r, fn);
    }
    lspy_raise(st, r, "%s(%U): %s", fn, given, ls_result_string(r));
    Py_DECREF(given);
    return NULL;
}

/* an alias given: its value goes to the option it stands for */
static int
fold_aliases(const lspy_node_class *cls, PyObject **raw, const char *fn)
{
    const char *const *al = cls->special ? cls->special->aliases : NULL;
    for (int j = 0; j < cls->n_alias; j++) {
        PyObject *v = raw[cls->n_kw - cls->n_alias + j];
        const ls_option_descriptor *o = ls_node_type_option(cls->desc, al[2 * j + 1]);
        int i = (int)(o - cls->desc->options);
        if (v != NULL && raw[i] != NULL) {
            PyErr_Format(PyExc_TypeError, "%s(%s): give %s or %s, not both", fn, o->name,
                         o->name, al[2 * j]);
            return -1;
        }
        raw[i] = v != NULL ? v : raw[i];
    }
    return 0;
}

/*
 * The one constructor: raw[] holds the node's own options (descriptor order),
 * the three channel options, then the aliases, each borrowed or NULL.
 */
static PyObject *
make_node(lspy_state *st, const lspy_node_class *cls, PyTypeObject *type, PyObject *context,
          PyObject **raw, const char *fn)
{
    const ls_node_descriptor *d = cls->desc;
    const lspy_node_special *sp = cls->special;
    if (lspy_context_check(st, context, fn) < 0 || fold_aliases(cls, raw, fn) < 0) {
        return NULL;
    }
    /* the options struct and the arrays given, on the stack when they fit */
    union {
        double align;
        void *p;
        char bytes[512];
    } opts_stack;
    void *arrays_stack[16] = {NULL};
    int big = d->options_size > sizeof opts_stack || d->option_count > 16;
    void *opts = big ? PyMem_Calloc(1, d->options_size) : &opts_stack;
    void **arrays = big ? PyMem_Calloc(d->option_count + 1, sizeof(void *)) : arrays_stack;
    if (opts == NULL || arrays == NULL) {
        if (big) {
            PyMem_Free(opts);
            PyMem_Free(arrays);
        }
        return PyErr_NoMemory();
    }
    memset(opts, 0, d->options_size);
    d->options_init(opts);
    PyObject *result = NULL, *buffer = NULL;   /* the BUFFER option's object */
    for (uint32_t i = 0; i < d->option_count; i++) {
        const ls_option_descriptor *o = &d->options[i];
        int is_buffer = o->kind == LS_VALUE_BUFFER;
        if (raw[i] == NULL || (is_buffer && raw[i] == Py_None)) {
            if (o->flags & LS_OPTION_REQUIRED) {
                PyErr_Format(PyExc_TypeError, is_buffer ? "%s(%s): an AudioBuffer is required"
                                                        : "%s() missing required option '%s'",
                             fn, o->name);
                goto done;
            }
            continue;
        }
        int nf = none_first(o);
        if ((o->flags & LS_OPTION_OPTIONAL || nf || default_follows(d, o)) && raw[i] == Py_None) {
            continue;
        }
        if (o->kind == LS_VALUE_FLOAT_ARRAY || o->kind == LS_VALUE_DOUBLE_ARRAY) {
            if (raw[i] != Py_None && store_array(o, raw[i], fn, opts, &arrays[i]) < 0) {
                goto done;
            }
            continue;
        }
        if (is_buffer) {
            Py_XDECREF(buffer);
            if ((buffer = buffer_object(st, context, raw[i])) == NULL) {
                goto done;
            }
        }
        const ls_param_descriptor *p = fed_param(d, o);
        ls_value v = {0};
        if (to_value(st, is_buffer ? buffer : raw[i], o->kind,
                     o->enum_names ? o->enum_names + nf : NULL, o->min_value, o->max_value,
                     time_like(p), fn, o->name, &v) < 0) {
            retype_range_error(st, cls->special);
            goto done;
        }
        v.i += nf;
        if ((o->flags & LS_OPTION_POWER_OF_TWO) && (v.i & (v.i - 1)) != 0) {
            PyErr_Format(PyExc_ValueError, "%s(%s): must be a power of two from %d to %d, got %R",
                         fn, o->name, (int)o->min_value, (int)o->max_value, raw[i]);
            retype_range_error(st, cls->special);
            goto done;
        }
        if (store_option(o, opts, &v) < 0) {
            raise_range(fn, o->name, o->min_value, o->max_value, raw[i]);
            retype_range_error(st, cls->special);
            goto done;
        }
    }
    if (!(d->flags & LS_NODE_TYPE_FIXED_CHANNELS) &&
        channel_options(st, raw + d->option_count, fn, (ls_node_options *)opts) < 0) {
        goto done;
    }
    ls_node *n = NULL;
    ls_result r = d->create(lspy_ctx_of(context), opts, &n);
    if (r != LS_OK) {
        if (!(sp && sp->create_error && sp->create_error(st, r, opts, raw, fn))) {
            raise_create(st, cls, context, raw, opts, r, fn);
        }
        goto done;
    }
    result = lspy_node_wrap(st, type, context, n);
    if (result != NULL && buffer != NULL) {
        /* node.buffer is the object given (or loaded) */
        Py_XSETREF(((lspy_NodeObject *)result)->buffer, buffer);
        buffer = NULL;
    }
done:
    Py_XDECREF(buffer);
    for (uint32_t i = 0; i < d->option_count; i++) {
        PyMem_Free(arrays[i]);
    }
    if (big) {
        PyMem_Free(arrays);
        PyMem_Free(opts);
    }
    return result;
}

static const lspy_node_class *
class_of(lspy_state *st, PyTypeObject *type)
{
    for (int i = 0; i < st->n_node_classes; i++) {
        const lspy_node_class *c = &st->node_classes[i];
        if (c->type != NULL && PyType_IsSubtype(type, c->type)) {
            return c;
        }
    }
    return NULL;
}

/* NodeType(context, options=None, **options) */
static PyObject *
node_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    const lspy_node_class *cls = st ? class_of(st, type) : NULL;
    if (cls == NULL) {
        return PyErr_Format(PyExc_TypeError, "%s cannot be instantiated", lspy_type_name(type));
    }
    const char *fn = strrchr(cls->type_name, '.') + 1;
    int n = cls->n_kw;
    const char **names = PyMem_Calloc((size_t)n + 3, sizeof(char *));
    PyObject **raw = PyMem_Calloc((size_t)n + 2, sizeof(PyObject *));
    PyObject **owned = PyMem_Calloc((size_t)n + 2, sizeof(PyObject *));
    PyObject *result = NULL;
    if (names == NULL || raw == NULL || owned == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    names[0] = "context";
    names[1] = "options";
    memcpy(names + 2, cls->kw, sizeof(char *) * (size_t)n);
    lspy_argspec spec = {fn, names, 2, 1};
    if (lspy_parse_tuple(&spec, args, kwargs, raw) < 0 ||
        lspy_merge_options(fn, raw[1], names + 2, n, raw + 2, owned + 2) < 0) {
        goto done;
    }
    result = make_node(st, cls, type, raw[0], raw + 2, fn);
done:
    if (owned != NULL) {
        for (int i = 0; i < n + 2; i++) {
            Py_XDECREF(owned[i]);
        }
    }
    PyMem_Free(owned);
    PyMem_Free(raw);
    PyMem_Free(names);
    return result;
}

/* ------------------------------------------------------------------ */
/* Params and settings as properties                                   */
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

int
lspy_node_check_live(lspy_NodeObject *self)
{
    return check_live(LSPY_STATE(self), self);
}

PyObject *
lspy_source_started(lspy_NodeObject *self, ls_result r, const char *fn)
{
    lspy_state *st = LSPY_STATE(self);
    if (r == LS_ERROR_INVALID_STATE && self->started) {
        return lspy_raise(st, r, "%s(): the node has already been started", fn);
    }
    if (r != LS_OK) {
        return lspy_raise(st, r, "%s(): %s", fn, ls_result_string(r));
    }
    self->started = 1;
    if (self->onended != NULL && !self->registered &&
        lspy_context_register((lspy_ContextObject *)self->context, self) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
get_param(lspy_NodeObject *self, void *closure)
{
    const lspy_attr *a = (const lspy_attr *)closure;
    PyObject *p = a->index < LSPY_NODE_MAX_PARAMS ? self->params[a->index] : NULL;
    if (p == NULL) {
        lspy_state *st = LSPY_STATE(self);
        if (check_live(st, self) < 0) {
            return NULL;
        }
        ls_param *lp = ls_node_param_by_name(self->node, a->desc->params[a->index].name);
        if (lp == NULL) {
            return lspy_raise(st, LS_ERROR_INVALID_STATE, "%s: the node has no such parameter",
                              a->name);
        }
        p = lspy_param_wrap(st, lp, self->context);
        if (p == NULL) {
            return NULL;
        }
        if (a->index >= LSPY_NODE_MAX_PARAMS) {
            return p;
        }
        self->params[a->index] = p;
    }
    Py_INCREF(p);
    return p;
}

static PyObject *
get_setting(lspy_NodeObject *self, void *closure)
{
    const lspy_attr *a = (const lspy_attr *)closure;
    const ls_setting_descriptor *s = &a->desc->settings[a->index];
    lspy_state *st = LSPY_STATE(self);
    if (check_live(st, self) < 0) {
        return NULL;
    }
    ls_value v = {0};
    ls_result r = s->get(self->node, &v);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, a->name);
    }
    return lspy_setting_to_py(s, &v);
}

/* a BUFFER setting: the AudioBuffer object given or set last */
PyObject *
lspy_node_get_buffer(PyObject *self, void *closure)
{
    PyObject *b = ((lspy_NodeObject *)self)->buffer;
    return Py_NewRef(b != NULL ? b : Py_None);
}

static int
set_setting(lspy_NodeObject *self, PyObject *value, void *closure)
{
    const lspy_attr *a = (const lspy_attr *)closure;
    const ls_setting_descriptor *s = &a->desc->settings[a->index];
    lspy_state *st = LSPY_STATE(self);
    if (check_live(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s'", a->name);
        return -1;
    }
    const ls_option_descriptor *o = ls_node_type_option(a->desc, s->option);
    double lo = o ? o->min_value : 0.0, hi = o ? o->max_value : 0.0;
    ls_value v = {0};
    ls_result r;
    if (s->kind != LS_VALUE_BUFFER) {
        /* an enum whose first name is "default": None, the other names */
        int nf = s->kind == LS_VALUE_ENUM && default_first(s->enum_names);
        if (!(nf && value == Py_None) &&
            to_value(st, value, s->kind, s->enum_names ? s->enum_names + nf : NULL, lo, hi, 0,
                     NULL, a->name, &v) < 0) {
            const lspy_node_class *cls = class_of(st, Py_TYPE(self));
            return retype_range_error(st, cls ? cls->special : NULL);
        }
        v.i += nf && value != Py_None;
        r = s->set(self->node, &v);
    }
    else {
        /* a path loads; the engine may resample, without the interpreter lock */
        PyObject *b = buffer_object(st, self->context, value);
        if (b == NULL || to_value(st, b, s->kind, NULL, 0, 0, 0, NULL, a->name, &v) < 0) {
            Py_XDECREF(b);
            return -1;
        }
        Py_BEGIN_ALLOW_THREADS
        r = s->set(self->node, &v);
        Py_END_ALLOW_THREADS
        if (r == LS_OK && b != Py_None) {
            Py_XSETREF(self->buffer, b);
        }
        else {
            if (r == LS_OK) {
                Py_CLEAR(self->buffer);
            }
            Py_DECREF(b);
        }
    }
    if (r != LS_OK) {
        lspy_raise(st, r, "%s: cannot set %R (%s)", a->name, value, ls_result_string(r));
        return -1;
    }
    return 0;
}

int
lspy_node_setting_set(PyObject *self, const char *name, PyObject *value)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    lspy_attr a = {n->node ? ls_node_type_of(n->node) : NULL, 0, ""};
    const ls_setting_descriptor *s = a.desc ? ls_node_type_setting(a.desc, name) : NULL;
    if (s == NULL || s->set == NULL) {
        return check_live(LSPY_STATE(self), n) < 0
                   ? -1
                   : (PyErr_Format(PyExc_AttributeError, "cannot set attribute '%s'", name), -1);
    }
    a.index = (int)(s - a.desc->settings);
    snake_case(name, a.name, sizeof a.name);
    return set_setting(n, value, &a);
}

/* ------------------------------------------------------------------ */
/* Helpers for the hand-written parts (nodes/nodes.h)                  */
/* ------------------------------------------------------------------ */

PyObject *
lspy_float_array(lspy_state *st, Py_ssize_t n, const float *data)
{
    if (lspy_need_numpy(st) < 0) {
        return NULL;
    }
    PyObject *bytes = PyByteArray_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(float));
    if (bytes == NULL) {
        return NULL;
    }
    if (n > 0) {
        char *b = LSPY_BYTEARRAY_DATA(bytes);
        if (data != NULL) {
            memcpy(b, data, (size_t)n * sizeof(float));
        }
        else {
            memset(b, 0, (size_t)n * sizeof(float));
        }
    }
    PyObject *arr = PyObject_CallFunctionObjArgs(st->np_frombuffer, bytes, st->np_float32, NULL);
    Py_DECREF(bytes);
    return arr;
}

/* a caller's output array: writable float32, as long as the input */
static int
response_out(lspy_state *st, PyObject *o, const char *arg, Py_ssize_t n, Py_buffer *view)
{
    if (PyObject_GetBuffer(o, view, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Clear();
        return raise_kind(PyExc_TypeError, "get_frequency_response", arg,
                          "a writable float32 array", o);
    }
    if (view->itemsize != 4 || view->format == NULL || strcmp(view->format, "f") != 0) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_TypeError, "get_frequency_response(%s): %s must hold float32 values",
                     arg, arg);
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

static PyObject *frequency_response(PyObject *, PyObject *const *, Py_ssize_t, PyObject *);
static const PyMethodDef response_method = {
    "get_frequency_response", (PyCFunction)(void (*)(void))frequency_response,
    METH_FASTCALL | METH_KEYWORDS,
    "get_frequency_response($self, /, frequencies, mag_out=None, phase_out=None)\n--\n\n"
    "Magnitude and phase (radians) at each frequency (Hz) for the node's current values,\n"
    "as float32 arrays (NaN outside [0, sample_rate / 2]). Given arrays are filled."};

static const char *const response_names[] = {"frequencies", "mag_out", "phase_out", NULL};
static const lspy_argspec response_spec = {"get_frequency_response", response_names, 3, 1};

/* get_frequency_response(frequencies, mag_out=None, phase_out=None): over
 * the engine's function the node's special names */
static PyObject *
frequency_response(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    lspy_NodeObject *node = (lspy_NodeObject *)self;
    lspy_state *st = LSPY_STATE(self);
    const lspy_node_class *cls = st ? class_of(st, Py_TYPE(self)) : NULL;
    PyObject *v[3];
    lspy_floats f;
    if (cls == NULL || check_live(st, node) < 0 || lspy_parse_fast(&response_spec, args, nargs, kwnames, v) < 0 ||
        lspy_floats_get(v[0], "get_frequency_response", "frequencies", 0, &f) < 0) {
        return NULL;
    }
    PyObject *outs[2] = {NULL, NULL}, *result = NULL;
    Py_buffer views[2];
    int have = 0;
    for (; have < 2; have++) {
        PyObject *o = v[1 + have];
        if (o != NULL && o != Py_None) {
            Py_INCREF(o);
            outs[have] = o;
            if (response_out(st, o, have ? "phase_out" : "mag_out", f.count, &views[have]) < 0) {
                goto done;
            }
        }
        else if ((outs[have] = lspy_float_array(st, f.count, NULL)) == NULL ||
                 PyObject_GetBuffer(outs[have], &views[have], PyBUF_WRITABLE) < 0) {
            goto done;
        }
    }
    ls_result r = cls->special->response(node->node, f.data, (float *)views[0].buf,
                                         (float *)views[1].buf, (size_t)f.count);
    result = r == LS_OK ? PyTuple_Pack(2, outs[0], outs[1])
                        : lspy_raise_call(st, r, "get_frequency_response");
done:
    for (int i = 0; i < 2; i++) {
        if (i < have) {
            PyBuffer_Release(&views[i]);
        }
        Py_XDECREF(outs[i]);
    }
    lspy_floats_release(&f);
    return result;
}

/* ------------------------------------------------------------------ */
/* Factories: BaseAudioContext.create_<key>                            */
/* ------------------------------------------------------------------ */

/* A non-data descriptor on the context class: ctx.create_gain is bound to
 * ctx; calling it makes the node with the keyword options. */
typedef struct {
    PyObject_HEAD
    int index;                      /* into the state's node classes */
    PyObject *context;              /* bound: the context; else NULL */
#ifndef Py_LIMITED_API
    vectorcallfunc vectorcall;      /* factory_vectorcall: no argument tuple or dict */
#endif
} lspy_FactoryObject;

#ifndef Py_LIMITED_API
static PyObject *factory_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                                    PyObject *kwnames);
#endif

static lspy_FactoryObject *
factory_new(PyTypeObject *tp, int index, PyObject *context)
{
    lspy_FactoryObject *f = (lspy_FactoryObject *)LSPY_ALLOC(tp);
    if (f != NULL) {
        f->index = index;
        Py_XINCREF(context);
        f->context = context;
#ifndef Py_LIMITED_API
        f->vectorcall = factory_vectorcall;
#endif
    }
    return f;
}

static const lspy_node_class *
factory_class(lspy_FactoryObject *self, lspy_state **st_out)
{
    lspy_state *st = LSPY_STATE(self);
    *st_out = st;
    return st && self->index < st->n_node_classes ? &st->node_classes[self->index] : NULL;
}

static PyObject *
factory_get(PyObject *self, PyObject *obj, PyObject *type)
{
    lspy_FactoryObject *f = (lspy_FactoryObject *)self;
    if (obj == NULL || obj == Py_None || f->context != NULL) {
        Py_INCREF(self);
        return self;
    }
    return (PyObject *)factory_new(Py_TYPE(self), f->index, obj);
}

#ifdef Py_LIMITED_API
static PyObject *
factory_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    lspy_FactoryObject *f = (lspy_FactoryObject *)self;
    lspy_state *st;
    const lspy_node_class *cls = factory_class(f, &st);
    if (cls == NULL) {
        return NULL;
    }
    PyObject *context = f->context;
    PyObject *rest = NULL;
    if (context == NULL) {
        /* unbound, as a method read from the class: the context comes first */
        if (args == NULL || LSPY_TUPLE_SIZE(args) < 1) {
            return PyErr_Format(PyExc_TypeError, "%s() must be called on a context",
                                cls->factory);
        }
        context = LSPY_TUPLE_ITEM(args, 0);
        rest = PyTuple_GetSlice(args, 1, LSPY_TUPLE_SIZE(args));
        if (rest == NULL) {
            return NULL;
        }
        args = rest;
    }
    int n = cls->n_kw;
    const char **names = PyMem_Calloc((size_t)n + 1, sizeof(char *));
    PyObject **raw = PyMem_Calloc((size_t)n + 1, sizeof(PyObject *));
    PyObject *result = NULL;
    if (names == NULL || raw == NULL) {
        PyErr_NoMemory();
    }
    else {
        memcpy(names, cls->kw, sizeof(char *) * (size_t)n);
        lspy_argspec spec = {cls->factory, names, cls->special ? cls->special->factory_npos : 0,
                             0};
        if (lspy_parse_tuple(&spec, args, kwargs, raw) == 0) {
            result = make_node(st, cls, cls->type, context, raw, cls->factory);
        }
    }
    Py_XDECREF(rest);
    PyMem_Free(raw);
    PyMem_Free(names);
    return result;
}
#endif

static int
factory_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(((lspy_FactoryObject *)self)->context);
    return 0;
}

static int
factory_clear(PyObject *self)
{
    Py_CLEAR(((lspy_FactoryObject *)self)->context);
    return 0;
}

static void
factory_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    factory_clear(self);
    LSPY_FREE(tp, self);
    Py_DECREF(tp);
}

static PyObject *
factory_doc(PyObject *self, void *c)
{
    lspy_state *st;
    const lspy_node_class *cls = factory_class((lspy_FactoryObject *)self, &st);
    if (cls == NULL) {
        return NULL;
    }
    return PyUnicode_FromFormat("%s(**options)\n\nA new %s (options as its constructor): %s.",
                                cls->factory, strrchr(cls->type_name, '.') + 1, cls->desc->doc);
}

static PyObject *
factory_name(PyObject *self, void *c)
{
    lspy_state *st;
    const lspy_node_class *cls = factory_class((lspy_FactoryObject *)self, &st);
    return cls ? PyUnicode_FromString(cls->factory) : NULL;
}

static PyObject *
factory_self(PyObject *self, void *c)
{
    PyObject *ctx = ((lspy_FactoryObject *)self)->context;
    if (ctx == NULL) {
        Py_RETURN_NONE;
    }
    Py_INCREF(ctx);
    return ctx;
}

static PyGetSetDef factory_getset[] = {
    {"__doc__", factory_doc, NULL, NULL, NULL},
    {"__name__", factory_name, NULL, NULL, NULL},
    {"__qualname__", factory_name, NULL, NULL, NULL},
    {"__self__", factory_self, NULL, NULL, NULL},
    {NULL}};

#ifndef Py_LIMITED_API
/* called as vectorcall, and as a method descriptor: `ctx.create_gain(...)`
 * calls the unbound factory with ctx first, making no bound object */
static PyObject *
factory_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    lspy_FactoryObject *f = (lspy_FactoryObject *)self;
    lspy_state *st;
    const lspy_node_class *cls = factory_class(f, &st);
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *context = f->context, *stack[16], *result = NULL;
    if (cls == NULL) {
        return NULL;
    }
    if (context == NULL) {
        if (nargs < 1) {
            return PyErr_Format(PyExc_TypeError, "%s() must be called on a context",
                                cls->factory);
        }
        context = args[0];
        args++;
        nargs--;
    }
    PyObject **raw = cls->n_kw < 16 ? stack : PyMem_Calloc((size_t)cls->n_kw + 1, sizeof(PyObject *));
    if (raw == NULL) {
        return PyErr_NoMemory();
    }
    lspy_argspec spec = {cls->factory, cls->kw, cls->special ? cls->special->factory_npos : 0, 0};
    if (lspy_parse_fast(&spec, args, nargs, kwnames, raw) == 0) {
        result = make_node(st, cls, cls->type, context, raw, cls->factory);
    }
    if (raw != stack) {
        PyMem_Free(raw);
    }
    return result;
}

static PyMemberDef factory_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(lspy_FactoryObject, vectorcall), READONLY},
    {NULL}};
#define FACTORY_FLAGS (Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR)
#else
#define FACTORY_FLAGS 0
#endif

static PyType_Slot factory_slots[] = {
    {Py_tp_descr_get, factory_get},
#ifndef Py_LIMITED_API
    {Py_tp_call, PyVectorcall_Call},
    {Py_tp_members, factory_members},
#else
    {Py_tp_call, factory_call},
#endif
    {Py_tp_traverse, factory_traverse},
    {Py_tp_clear, factory_clear},
    {Py_tp_dealloc, factory_dealloc},
    {Py_tp_getset, factory_getset},
    {0, NULL}};

static PyType_Spec factory_spec = {"labsound.NodeFactory", sizeof(lspy_FactoryObject), 0,
                                   Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | FACTORY_FLAGS,
                                   factory_slots};

/* ------------------------------------------------------------------ */
/* Building the classes                                                */
/* ------------------------------------------------------------------ */

static const char *
enum_default(const ls_node_descriptor *d, const ls_option_descriptor *o)
{
    int i = (int)ls_option_default(d, o);
    return o->enum_names[i];
}

/* the default as Python source, for the signature and the stubs */
static PyObject *
default_repr(const ls_node_descriptor *d, const ls_option_descriptor *o)
{
    double x = ls_option_default(d, o);
    if ((o->flags & LS_OPTION_OPTIONAL) || (none_first(o) && x == 0.0)) {
        return PyUnicode_FromString("None");
    }
    switch (o->kind) {
    case LS_VALUE_FLOAT:
    case LS_VALUE_DOUBLE: {
        PyObject *f = PyFloat_FromDouble(o->kind == LS_VALUE_FLOAT ? (double)(float)x : x);
        PyObject *r = f ? PyObject_Repr(f) : NULL;
        Py_XDECREF(f);
        return r;
    }
    case LS_VALUE_INT:
    case LS_VALUE_UINT:
    case LS_VALUE_UINT64:
        return PyUnicode_FromFormat("%lld", (long long)x);
    case LS_VALUE_BOOL:
        return PyUnicode_FromString(x != 0.0 ? "True" : "False");
    case LS_VALUE_ENUM:
        return PyUnicode_FromFormat("'%s'", enum_default(d, o));
    default:
        return PyUnicode_FromString("None");
    }
}

static const char *const count_mode_names_doc[] = {"max", "clamped-max", "explicit"};
static const char *const interp_names_doc[] = {"speakers", "discrete"};

static char *
build_doc(const lspy_node_class *cls, const char *short_name)
{
    const ls_node_descriptor *d = cls->desc;
    PyObject *sig = PyUnicode_FromFormat("%s(context, options=None, *", short_name);
    for (uint32_t i = 0; sig && i < d->option_count; i++) {
        PyObject *r = default_repr(d, &d->options[i]);
        PyObject *s = r ? PyUnicode_FromFormat("%U, %s=%U", sig, d->options[i].name, r) : NULL;
        Py_XDECREF(r);
        Py_XSETREF(sig, s);
    }
    if (sig && !(d->flags & LS_NODE_TYPE_FIXED_CHANNELS)) {
        const ls_node_options *c = &d->channel_defaults;
        Py_XSETREF(sig, PyUnicode_FromFormat(
                           "%U, channel_count=%d, channel_count_mode='%s', "
                           "channel_interpretation='%s'",
                           sig, (int)c->channel_count, count_mode_names_doc[c->channel_count_mode],
                           interp_names_doc[c->channel_interpretation]));
    }
    if (sig == NULL) {
        return NULL;
    }
    PyObject *body = PyUnicode_FromFormat(
        "%U)\n--\n\n%c%s%s.\n", sig, (int)(d->doc[0] >= 'a' && d->doc[0] <= 'z' ? d->doc[0] - 32
                                                                              : d->doc[0]),
        d->doc + 1, d->flags & LS_NODE_TYPE_SCHEDULED_SOURCE ? " (a scheduled source: start, stop, "
                                                             "onended)"
                                                           : "");
    Py_DECREF(sig);
    if (body) {
        Py_XSETREF(body, PyUnicode_FromFormat("%U%s%d input%s, %d output%s.\n", body,
                                              d->flags & LS_NODE_TYPE_VARIABLE_IO ? "By default "
                                                                                  : "",
                                              (int)d->number_of_inputs,
                                              d->number_of_inputs == 1 ? "" : "s",
                                              (int)d->number_of_outputs,
                                              d->number_of_outputs == 1 ? "" : "s"));
    }
    if (body && d->param_count) {
        Py_XSETREF(body, PyUnicode_FromFormat("%U\nAudioParams:", body));
        for (uint32_t i = 0; body && i < d->param_count; i++) {
            char name[48];
            snake_case(d->params[i].name, name, sizeof name);
            if (d->params[i].flags & LS_PARAM_DRIVEN) {
                continue;
            }
            const char *u = d->params[i].unit;
            Py_XSETREF(body, PyUnicode_FromFormat("%U\n    %s: %s%s%s%s", body, name,
                                                 d->params[i].doc, *u ? " (" : "", u,
                                                 *u ? ")" : ""));
        }
        if (body) {
            Py_XSETREF(body, PyUnicode_FromFormat("%U\n", body));
        }
    }
    if (body && d->option_count) {
        Py_XSETREF(body, PyUnicode_FromFormat("%U\nOptions:", body));
        for (uint32_t i = 0; body && i < d->option_count; i++) {
            const ls_option_descriptor *o = &d->options[i];
            Py_XSETREF(body, PyUnicode_FromFormat("%U\n    %s: %s", body, o->name, o->doc));
            for (int k = none_first(o); body && o->enum_names && o->enum_names[k]; k++) {
                Py_XSETREF(body, PyUnicode_FromFormat("%U%s'%s'%s", body, k > none_first(o) ? ", "
                                                      : " (", o->enum_names[k],
                                                      o->enum_names[k + 1] ? "" : ")"));
            }
        }
        if (body) {
            Py_XSETREF(body, PyUnicode_FromFormat("%U\n", body));
        }
    }
    if (body) {
        Py_XSETREF(body, PyUnicode_FromFormat("%U\nAlso made by context.%s(**options).", body,
                                             cls->factory));
    }
    if (body && cls->special && cls->special->doc) {
        Py_XSETREF(body, PyUnicode_FromFormat("%U\n\n%s", body, cls->special->doc));
    }
    if (body == NULL) {
        return NULL;
    }
    char *out = dup_printf("%U", body);
    Py_DECREF(body);
    return out;
}

/* the hand-written part of a node type, or NULL */
static const lspy_node_special *
special_of(const ls_node_descriptor *d)
{
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        if (strcmp(specials[i]->key, d->key) == 0) {
            return specials[i];
        }
    }
    return NULL;
}

/* the hand-written part defines an attribute of this name */
static int
special_has(const lspy_node_special *sp, const char *name)
{
    for (int i = 0; sp && sp->getset && sp->getset[i].name; i++) {
        if (strcmp(sp->getset[i].name, name) == 0) {
            return 1;
        }
    }
    return 0;
}

static int
build_class(PyObject *m, lspy_state *st, lspy_node_class *cls, PyTypeObject *factory_type,
            int index)
{
    const ls_node_descriptor *d = cls->desc;
    cls->special = special_of(d);
    cls->type_name = dup_printf("labsound.%sNode", d->name);
    cls->factory = dup_printf("create_%s", d->key);
    if (cls->type_name == NULL || cls->factory == NULL) {
        return -1;
    }
    const char *short_name = strrchr(cls->type_name, '.') + 1;
    cls->doc = build_doc(cls, short_name);
    if (cls->doc == NULL) {
        return -1;
    }
    /* keywords: own options, then the channel options */
    const char *const *al = cls->special ? cls->special->aliases : NULL;
    while (al && al[2 * cls->n_alias]) {
        cls->n_alias++;
    }
    cls->n_own = (int)d->option_count;
    int n_chan = d->flags & LS_NODE_TYPE_FIXED_CHANNELS ? 0 : 3;
    cls->n_kw = cls->n_own + n_chan + cls->n_alias;
    cls->kw = PyMem_Calloc((size_t)cls->n_kw + 1, sizeof(char *));
    int n_attr = (int)(d->param_count + d->setting_count) + cls->n_alias;
    cls->attrs = PyMem_Calloc((size_t)n_attr + 1, sizeof(lspy_attr));
    int n_extra = 0;
    while (cls->special && cls->special->getset && cls->special->getset[n_extra].name) {
        n_extra++;
    }
    cls->getset = PyMem_Calloc((size_t)(n_attr + n_extra) + 1, sizeof(PyGetSetDef));
    int n_meth = 0;
    while (cls->special && cls->special->methods && cls->special->methods[n_meth].ml_name) {
        n_meth++;
    }
    cls->methods = PyMem_Calloc((size_t)n_meth + 2, sizeof(PyMethodDef));
    if (cls->kw == NULL || cls->attrs == NULL || cls->getset == NULL || cls->methods == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (int i = 0; i < cls->n_own; i++) {
        cls->kw[i] = d->options[i].name;
    }
    for (int i = 0; i < n_chan; i++) {
        cls->kw[cls->n_own + i] = channel_names[i];
    }
    for (int j = 0; j < cls->n_alias; j++) {
        cls->kw[cls->n_own + n_chan + j] = al[2 * j];
    }
    int g = 0;
    for (uint32_t i = 0; i < d->param_count; i++) {
        if (d->params[i].flags & LS_PARAM_DRIVEN) {
            continue;
        }
        lspy_attr *a = &cls->attrs[g];
        a->desc = d;
        a->index = (int)i;
        snake_case(d->params[i].name, a->name, sizeof a->name);
        cls->getset[g] = (PyGetSetDef){a->name, (getter)get_param, NULL, d->params[i].doc, a};
        g++;
    }
    for (uint32_t i = 0; i < d->setting_count; i++) {
        const ls_setting_descriptor *s = &d->settings[i];
        if (s->kind > LS_VALUE_BUFFER || special_has(cls->special, s->name)) {
            continue;               /* written by hand in python/src/nodes/<node>.c */
        }
        lspy_attr *a = &cls->attrs[g];
        a->desc = d;
        a->index = (int)i;
        snake_case(s->name, a->name, sizeof a->name);
        getter get = s->kind == LS_VALUE_BUFFER ? lspy_node_get_buffer : (getter)get_setting;
        cls->getset[g] = (PyGetSetDef){a->name, get, s->set ? (setter)set_setting : NULL, s->doc,
                                       a};
        g++;
    }
    for (int j = 0; j < cls->n_alias; j++) {
        /* an alias of an option that feeds a param: the param under that name too */
        const ls_option_descriptor *o = ls_node_type_option(d, al[2 * j + 1]);
        const ls_param_descriptor *p = o ? fed_param(d, o) : NULL;
        if (p != NULL) {
            lspy_attr *a = &cls->attrs[g];
            a->desc = d;
            a->index = (int)(p - d->params);
            snprintf(a->name, sizeof a->name, "%s", al[2 * j]);
            cls->getset[g++] = (PyGetSetDef){a->name, (getter)get_param, NULL, p->doc, a};
        }
    }
    for (int i = 0; i < n_extra; i++) {
        cls->getset[g++] = cls->special->getset[i];
    }
    for (int i = 0; i < n_meth; i++) {
        cls->methods[i] = cls->special->methods[i];
    }
    if (cls->special && cls->special->response) {
        cls->methods[n_meth] = response_method;
    }

    PyType_Slot slots[] = {
        {Py_tp_doc, cls->doc},
        {Py_tp_new, node_new},
        {Py_tp_getset, cls->getset},
        {Py_tp_methods, cls->methods},
        {0, NULL}};
    /* GC, traverse, clear and dealloc come from the base (one object layout) */
    PyType_Spec spec = {cls->type_name, sizeof(lspy_NodeObject), 0,
                        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    PyTypeObject *base = d->flags & LS_NODE_TYPE_SCHEDULED_SOURCE
                             ? st->AudioScheduledSourceNode_Type
                             : st->AudioNode_Type;
    cls->type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &spec, (PyObject *)base);
    if (cls->type == NULL) {
        return -1;
    }
    Py_INCREF(cls->type);
    if (PyModule_AddObject(m, short_name, (PyObject *)cls->type) < 0) {
        Py_DECREF(cls->type);
        return -1;
    }
    lspy_FactoryObject *f = factory_new(factory_type, index, NULL);
    if (f == NULL) {
        return -1;
    }
    const char *alias = cls->special ? cls->special->factory_alias : NULL;
    int rc = PyObject_SetAttrString((PyObject *)st->BaseAudioContext_Type, cls->factory,
                                    (PyObject *)f);
    if (rc == 0 && alias != NULL) {
        rc = PyObject_SetAttrString((PyObject *)st->BaseAudioContext_Type, alias, (PyObject *)f);
    }
    Py_DECREF(f);
    return rc;
}

/* skip the types bound by hand elsewhere (a class of the name already in
 * the module), the engine's own and those that need more than options */
static int
generic(PyObject *m, const ls_node_descriptor *d)
{
    if (d->flags & (LS_NODE_TYPE_INTERNAL | LS_NODE_TYPE_EXTERNAL)) {
        return 0;
    }
    char name[96];
    PyOS_snprintf(name, sizeof name, "%sNode", d->name);
    PyObject *dict = PyModule_GetDict(m);
    return PyDict_GetItemString(dict, name) == NULL;
}

int
lspy_node_types_init(PyObject *m, lspy_state *st)
{
    uint32_t n = ls_node_type_count();
    st->node_classes = PyMem_Calloc(n ? n : 1, sizeof(lspy_node_class));
    if (st->node_classes == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyTypeObject *factory_type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &factory_spec, NULL);
    if (factory_type == NULL) {
        return -1;
    }
    st->NodeFactory_Type = factory_type;
    for (uint32_t i = 0; i < n; i++) {
        const ls_node_descriptor *d = ls_node_type_info(i);
        if (!generic(m, d)) {
            continue;
        }
        lspy_node_class *cls = &st->node_classes[st->n_node_classes];
        cls->desc = d;
        if (build_class(m, st, cls, factory_type, st->n_node_classes++) < 0) {
            return -1;
        }
    }
    return 0;
}

int
lspy_node_types_traverse(lspy_state *st, visitproc visit, void *arg)
{
    Py_VISIT(st->NodeFactory_Type);
    for (int i = 0; i < st->n_node_classes; i++) {
        Py_VISIT(st->node_classes[i].type);
    }
    return 0;
}

void
lspy_node_types_clear(lspy_state *st)
{
    Py_CLEAR(st->NodeFactory_Type);
    for (int i = 0; i < st->n_node_classes; i++) {
        Py_CLEAR(st->node_classes[i].type);
    }
}

void
lspy_node_types_free(lspy_state *st)
{
    for (int i = 0; i < st->n_node_classes; i++) {
        lspy_node_class *c = &st->node_classes[i];
        PyMem_Free(c->type_name);
        PyMem_Free(c->factory);
        PyMem_Free(c->doc);
        PyMem_Free(c->getset);
        PyMem_Free(c->methods);
        PyMem_Free(c->attrs);
        PyMem_Free((void *)c->kw);
    }
    PyMem_Free(st->node_classes);
    st->node_classes = NULL;
    st->n_node_classes = 0;
}

/* ------------------------------------------------------------------ */
/* _core.node_descriptors(): the descriptors as plain data              */
/* ------------------------------------------------------------------ */

static const char *const kind_names[] = {"float", "double", "int", "uint", "uint64", "bool",
                                         "enum", "buffer", "periodic_wave", "float_array",
                                         "double_array", "object"};

/* Append e (a new reference, or NULL after an error) to list, releasing
 * e: 0, or -1 with the exception set. */
static int
append_steal(PyObject *list, PyObject *e)
{
    int rc = e != NULL ? PyList_Append(list, e) : -1;
    Py_XDECREF(e);
    return rc;
}

static PyObject *
enum_tuple(const char *const *names)
{
    PyObject *t = PyList_New(0);
    for (int i = 0; t && names && names[i]; i++) {
        if (append_steal(t, PyUnicode_FromString(names[i])) < 0) {
            Py_CLEAR(t);
        }
    }
    PyObject *out = t ? PyList_AsTuple(t) : NULL;
    Py_XDECREF(t);
    return out;
}

/* a float32 as the shortest decimal that reads back as it (0.003, not
 * 0.003000000026077032) */
static PyObject *
short_float(float f)
{
    char buf[40];
    for (int digits = 1; digits <= 9; digits++) {
        PyOS_snprintf(buf, sizeof buf, "%.*g", digits, (double)f);
        if ((float)PyOS_string_to_double(buf, NULL, NULL) == f) {
            break;
        }
    }
    return PyFloat_FromDouble(PyOS_string_to_double(buf, NULL, NULL));
}

/* the default as a Python value: None for pointers, optional values and a
 * default that follows other options */
static PyObject *
default_value(const ls_node_descriptor *d, const ls_option_descriptor *o)
{
    double x = ls_option_default(d, o);
    const ls_param_descriptor *p = fed_param(d, o);
    if ((o->flags & LS_OPTION_OPTIONAL) || (p && (p->flags & LS_PARAM_DEFAULT_FROM_OPTIONS)) ||
        (none_first(o) && x == 0.0)) {
        Py_RETURN_NONE;
    }
    switch (o->kind) {
    case LS_VALUE_FLOAT:
        return short_float((float)x);
    case LS_VALUE_DOUBLE:
        return PyFloat_FromDouble(x);
    case LS_VALUE_INT:
    case LS_VALUE_UINT:
    case LS_VALUE_UINT64:
        return PyLong_FromLongLong((long long)x);
    case LS_VALUE_BOOL:
        return PyBool_FromLong(x != 0.0);
    case LS_VALUE_ENUM:
        return PyUnicode_FromString(o->enum_names[(int)x]);
    default:
        Py_RETURN_NONE;
    }
}

static PyObject *
describe(const ls_node_descriptor *d)
{
    PyObject *params = PyList_New(0), *options = PyList_New(0), *settings = PyList_New(0);
    PyObject *out = NULL;
    if (params == NULL || options == NULL || settings == NULL) {
        goto done;
    }
    for (uint32_t i = 0; i < d->param_count; i++) {
        const ls_param_descriptor *p = &d->params[i];
        char name[48];
        snake_case(p->name, name, sizeof name);
        PyObject *dflt = p->flags & LS_PARAM_DEFAULT_FROM_OPTIONS
                             ? PyFloat_FromDouble(Py_NAN)
                             : short_float(p->default_value);
        PyObject *lo = short_float(p->min_value), *hi = short_float(p->max_value);
        PyObject *e = dflt && lo && hi ? Py_BuildValue(
            "{s:s,s:s,s:O,s:O,s:O,s:s,s:s,s:s,s:O,s:O,s:O}", "name", name, "engine_name",
            p->name, "default", dflt, "min_value", lo, "max_value", hi, "automation_rate",
            p->automation_rate == LS_AUTOMATION_RATE_A_RATE ? "a-rate" : "k-rate", "unit",
            p->unit, "doc", p->doc, "nyquist",
            p->flags & LS_PARAM_RANGE_NYQUIST ? Py_True : Py_False, "rate_fixed",
            p->flags & LS_PARAM_RATE_FIXED ? Py_True : Py_False, "driven",
            p->flags & LS_PARAM_DRIVEN ? Py_True : Py_False) : NULL;
        Py_XDECREF(dflt);
        Py_XDECREF(lo);
        Py_XDECREF(hi);
        if (append_steal(params, e) < 0) {
            goto done;
        }
    }
    for (uint32_t i = 0; i < d->option_count; i++) {
        const ls_option_descriptor *o = &d->options[i];
        PyObject *names = enum_tuple(o->enum_names ? o->enum_names + none_first(o) : NULL);
        PyObject *dflt = default_value(d, o);
        PyObject *e = names && dflt
                          ? Py_BuildValue("{s:s,s:s,s:O,s:O,s:s,s:d,s:d,s:O}", "name", o->name,
                                          "kind", kind_names[o->kind], "default", dflt,
                                          "enum_names", names, "doc", o->doc, "min_value",
                                          o->min_value, "max_value", o->max_value, "required",
                                          o->flags & LS_OPTION_REQUIRED ? Py_True : Py_False)
                          : NULL;
        Py_XDECREF(names);
        Py_XDECREF(dflt);
        if (append_steal(options, e) < 0) {
            goto done;
        }
    }
    for (uint32_t i = 0; i < d->setting_count; i++) {
        const ls_setting_descriptor *s = &d->settings[i];
        char name[48];
        snake_case(s->name, name, sizeof name);
        PyObject *names = enum_tuple(s->enum_names ? s->enum_names + default_first(s->enum_names)
                                                   : NULL);
        PyObject *e = names ? Py_BuildValue("{s:s,s:s,s:O,s:O,s:s}", "name", name, "kind",
                                            kind_names[s->kind], "enum_names", names, "writable",
                                            s->set ? Py_True : Py_False, "doc", s->doc)
                            : NULL;
        Py_XDECREF(names);
        if (append_steal(settings, e) < 0) {
            goto done;
        }
    }
    const ls_node_options *c = &d->channel_defaults;
    const lspy_node_special *sp = special_of(d);
    out = Py_BuildValue(
        "{s:s,s:s,s:s,s:I,s:I,s:O,s:O,s:O,s:O,s:(iss),s:O,s:O,s:O,s:i}", "name", d->name, "key",
        d->key,
        "doc", d->doc, "number_of_inputs", (unsigned)d->number_of_inputs, "number_of_outputs",
        (unsigned)d->number_of_outputs, "is_source",
        d->flags & LS_NODE_TYPE_SCHEDULED_SOURCE ? Py_True : Py_False, "internal",
        d->flags & LS_NODE_TYPE_INTERNAL ? Py_True : Py_False, "external",
        d->flags & LS_NODE_TYPE_EXTERNAL ? Py_True : Py_False, "channel_options",
        d->flags & LS_NODE_TYPE_FIXED_CHANNELS ? Py_False : Py_True, "channel_defaults",
        (int)c->channel_count, count_mode_names_doc[c->channel_count_mode],
        interp_names_doc[c->channel_interpretation], "params", params, "options", options,
        "settings", settings, "factory_positional", sp ? sp->factory_npos : 0);
done:
    Py_XDECREF(params);
    Py_XDECREF(options);
    Py_XDECREF(settings);
    return out;
}

PyObject *
lspy_node_descriptors(PyObject *module, PyObject *ignored)
{
    uint32_t n = ls_node_type_count();
    PyObject *list = PyList_New(0);
    for (uint32_t i = 0; list && i < n; i++) {
        if (append_steal(list, describe(ls_node_type_info(i))) < 0) {
            Py_CLEAR(list);
        }
    }
    return list;
}
