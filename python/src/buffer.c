/*
 * AudioBuffer (zero-copy through the buffer protocol) and PeriodicWave.
 *
 * An AudioBuffer exports its engine memory as a C-contiguous
 * (channels, frames) float32 array. A consumer's view holds a reference to
 * the wrapper, and the wrapper holds the engine buffer, so the memory lives
 * as long as any view of it.
 */
#include "core.h"

#include <math.h>

#define BUF(o) ((lspy_BufferObject *)(o))

PyObject *
lspy_buffer_wrap(lspy_state *st, ls_buffer *b)
{
    PyTypeObject *type = st->AudioBuffer_Type;
    lspy_BufferObject *self = (lspy_BufferObject *)LSPY_ALLOC(type);
    if (self == NULL) {
        ls_buffer_release(b);
        return NULL;
    }
    self->buf = b;
    Py_ssize_t frames = (Py_ssize_t)ls_buffer_length(b);
    self->shape[0] = (Py_ssize_t)ls_buffer_number_of_channels(b);
    self->shape[1] = frames;
    self->strides[0] = frames * (Py_ssize_t)sizeof(float);
    self->strides[1] = (Py_ssize_t)sizeof(float);
    return (PyObject *)self;
}

static void
buffer_dealloc(lspy_BufferObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (self->weakreflist != NULL) {
        PyObject_ClearWeakRefs((PyObject *)self);
    }
    if (self->buf != NULL) {
        ls_buffer_release(self->buf);
        self->buf = NULL;
    }
    LSPY_FREE(tp, (PyObject *)self);
    Py_DECREF(tp);
}

/* Channels, length and rate checked the way the spec's AudioBuffer constructor does. */
PyObject *
lspy_create_buffer(lspy_state *st, const char *fn, PyObject *channels, PyObject *length,
                 PyObject *sample_rate)
{
    Py_ssize_t nch = 1, len;
    double sr;
    if (channels != NULL && lspy_arg_index(channels, fn, "number_of_channels", &nch) < 0) {
        return NULL;
    }
    if (nch < 1 || nch > LS_MAX_CHANNELS) {
        return lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                        "%s(number_of_channels): number_of_channels must be between 1 and %d, got %zd",
                        fn, LS_MAX_CHANNELS, nch);
    }
    if (lspy_arg_index(length, fn, "length", &len) < 0) {
        return NULL;
    }
    if (len < 1) {
        return lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                        "%s(length): length must be at least 1, got %zd", fn, len);
    }
    if ((size_t)len > (size_t)PY_SSIZE_T_MAX / (sizeof(float) * (size_t)nch)) {
        return lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                        "%s(length): length %R is too large", fn, length);
    }
    if (lspy_arg_double(sample_rate, fn, "sample_rate", &sr) < 0) {
        return NULL;
    }
    if (!(sr >= 3000.0 && sr <= 768000.0)) {
        return lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                        "%s(sample_rate): sample_rate must be between 3000 and 768000, got %R",
                        fn, sample_rate);
    }
    ls_buffer *b = NULL;
    ls_result r = ls_buffer_create((uint32_t)nch, (uint64_t)len, sr, &b);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, fn);
    }
    return lspy_buffer_wrap(st, b);
}

static const char *const buffer_names[] = {"number_of_channels", "length", "sample_rate", NULL};
static const lspy_argspec buffer_spec = {"AudioBuffer", buffer_names, 3, 0};

static PyObject *
buffer_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    if (st == NULL) {
        return NULL;
    }
    PyObject *v[3];
    PyObject *opts = NULL;
    if (LSPY_TUPLE_SIZE(args) == 1 && PyDict_Check(LSPY_TUPLE_ITEM(args, 0)) &&
        (kwargs == NULL || LSPY_DICT_SIZE(kwargs) == 0)) {
        /* AudioBuffer({"length": ..., "sample_rate": ...}), the spec's options form */
        opts = LSPY_TUPLE_ITEM(args, 0);
        args = NULL;
        kwargs = opts;
    }
    if (lspy_parse_tuple(&buffer_spec, args, kwargs, v) < 0) {
        return NULL;
    }
    if (v[1] == NULL || v[2] == NULL) {
        PyErr_Format(PyExc_TypeError, "AudioBuffer() missing required argument '%s'",
                     v[1] == NULL ? "length" : "sample_rate");
        return NULL;
    }
    PyObject *obj = lspy_create_buffer(st, "AudioBuffer", v[0], v[1], v[2]);
    if (obj != NULL && type != st->AudioBuffer_Type) {
        /* a Python subclass: rewrap with the subclass type */
        lspy_BufferObject *src = BUF(obj);
        lspy_BufferObject *self = (lspy_BufferObject *)LSPY_ALLOC(type);
        if (self == NULL) {
            Py_DECREF(obj);
            return NULL;
        }
        self->buf = src->buf;
        src->buf = NULL;
        memcpy(self->shape, src->shape, sizeof self->shape);
        memcpy(self->strides, src->strides, sizeof self->strides);
        Py_DECREF(obj);
        obj = (PyObject *)self;
    }
    return obj;
}

/* ------------------------------------------------------------------ */
/* Buffer protocol                                                     */
/* ------------------------------------------------------------------ */

static int
buffer_getbuffer(lspy_BufferObject *self, Py_buffer *view, int flags)
{
    if (self->buf == NULL) {
        PyErr_SetString(PyExc_BufferError, "the AudioBuffer has no memory");
        view->obj = NULL;
        return -1;
    }
    view->buf = ls_buffer_channel_data(self->buf, 0);
    view->obj = (PyObject *)self;
    Py_INCREF(self);
    view->len = self->shape[0] * self->shape[1] * (Py_ssize_t)sizeof(float);
    view->readonly = 0;
    view->itemsize = sizeof(float);
    view->format = (flags & PyBUF_FORMAT) ? "f" : NULL;
    if (flags & PyBUF_ND) {
        view->ndim = 2;
        view->shape = self->shape;
        view->strides = (flags & PyBUF_STRIDES) ? self->strides : NULL;
    }
    else {
        view->ndim = 1;
        view->shape = NULL;
        view->strides = NULL;
    }
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Attributes and methods                                              */
/* ------------------------------------------------------------------ */

static PyObject *
buffer_get_sample_rate(lspy_BufferObject *self, void *c)
{
    return PyFloat_FromDouble(ls_buffer_sample_rate(self->buf));
}

static PyObject *
buffer_get_length(lspy_BufferObject *self, void *c)
{
    return PyLong_FromUnsignedLongLong(ls_buffer_length(self->buf));
}

static PyObject *
buffer_get_duration(lspy_BufferObject *self, void *c)
{
    return PyFloat_FromDouble((double)ls_buffer_length(self->buf) / ls_buffer_sample_rate(self->buf));
}

static PyObject *
buffer_get_channels(lspy_BufferObject *self, void *c)
{
    return PyLong_FromUnsignedLong(ls_buffer_number_of_channels(self->buf));
}

static Py_ssize_t
buffer_len(lspy_BufferObject *self)
{
    return self->shape[1];
}

static int
check_channel(lspy_state *st, lspy_BufferObject *self, PyObject *o, const char *fn, const char *arg,
              Py_ssize_t *out)
{
    if (lspy_arg_index(o, fn, arg, out) < 0) {
        return -1;
    }
    if (*out < 0 || *out >= self->shape[0]) {
        lspy_raise(st, LS_ERROR_INDEX_SIZE, "%s(%s): %s %R is out of range for a buffer with %zd channel%s",
                 fn, arg, arg, o, self->shape[0], self->shape[0] == 1 ? "" : "s");
        return -1;
    }
    return 0;
}

static PyObject *
buffer_get_channel_data(lspy_BufferObject *self, PyObject *arg)
{
    lspy_state *st = LSPY_STATE(self);
    Py_ssize_t c;
    if (st == NULL || check_channel(st, self, arg, "get_channel_data", "channel", &c) < 0 ||
        lspy_need_numpy(st) < 0) {
        return NULL;
    }
    PyObject *count = PyLong_FromSsize_t(self->shape[1]);
    PyObject *offset = PyLong_FromSsize_t(c * self->strides[0]);
    PyObject *args = PyTuple_Pack(1, (PyObject *)self);
    PyObject *kw = (count && offset && args) ? PyDict_New() : NULL;
    PyObject *result = NULL;
    if (kw != NULL &&
        PyDict_SetItemString(kw, "dtype", st->np_float32) == 0 &&
        PyDict_SetItemString(kw, "count", count) == 0 &&
        PyDict_SetItemString(kw, "offset", offset) == 0) {
        result = PyObject_Call(st->np_frombuffer, args, kw);
    }
    Py_XDECREF(count);
    Py_XDECREF(offset);
    Py_XDECREF(args);
    Py_XDECREF(kw);
    return result;
}

static const char *const copy_from_names[] = {"destination", "channel_number", "buffer_offset", NULL};
static const lspy_argspec copy_from_spec = {"copy_from_channel", copy_from_names, 3, 2};
static const char *const copy_to_names[] = {"source", "channel_number", "buffer_offset", NULL};
static const lspy_argspec copy_to_spec = {"copy_to_channel", copy_to_names, 3, 2};

static int
check_offset(lspy_state *st, PyObject *o, const char *fn, Py_ssize_t *out)
{
    *out = 0;
    if (o == NULL) {
        return 0;
    }
    if (lspy_arg_index(o, fn, "buffer_offset", out) < 0) {
        return -1;
    }
    if (*out < 0) {
        lspy_raise(st, LS_ERROR_INDEX_SIZE, "%s(buffer_offset): buffer_offset must be non-negative, got %R",
                 fn, o);
        return -1;
    }
    return 0;
}

static PyObject *
buffer_copy_from_channel(lspy_BufferObject *self, PyObject *const *args, Py_ssize_t nargs,
                         PyObject *kwnames)
{
    lspy_state *st = LSPY_STATE(self);
    PyObject *v[3];
    Py_ssize_t c, off;
    const char *fn = copy_from_spec.fname;
    if (st == NULL || lspy_parse_fast(&copy_from_spec, args, nargs, kwnames, v) < 0 ||
        check_channel(st, self, v[1], fn, "channel_number", &c) < 0 ||
        check_offset(st, v[2], fn, &off) < 0) {
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(v[0], &view, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError,
                     "%s(destination): destination must be a writable contiguous float32 array, "
                     "got %.200s", fn, LSPY_TP_NAME(v[0]));
        return NULL;
    }
    const char *f = view.format;
    if (f != NULL && (f[0] == '@' || f[0] == '=' || f[0] == '<')) {
        f++;
    }
    if (f == NULL || strcmp(f, "f") != 0 || view.ndim != 1) {
        PyErr_Format(PyExc_TypeError,
                     "%s(destination): destination must be a one-dimensional float32 array, "
                     "got format %s with %d dimension%s", fn, view.format ? view.format : "B",
                     view.ndim, view.ndim == 1 ? "" : "s");
        PyBuffer_Release(&view);
        return NULL;
    }
    Py_ssize_t nf = view.shape[0];
    Py_ssize_t nb = self->shape[1];
    Py_ssize_t n = nb - off < nf ? nb - off : nf;
    if (n > 0) {
        memcpy(view.buf, ls_buffer_channel_data(self->buf, (uint32_t)c) + off, (size_t)n * sizeof(float));
    }
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

static PyObject *
buffer_copy_to_channel(lspy_BufferObject *self, PyObject *const *args, Py_ssize_t nargs,
                       PyObject *kwnames)
{
    lspy_state *st = LSPY_STATE(self);
    PyObject *v[3];
    Py_ssize_t c, off;
    const char *fn = copy_to_spec.fname;
    if (st == NULL || lspy_parse_fast(&copy_to_spec, args, nargs, kwnames, v) < 0 ||
        check_channel(st, self, v[1], fn, "channel_number", &c) < 0 ||
        check_offset(st, v[2], fn, &off) < 0) {
        return NULL;
    }
    lspy_floats src;
    if (lspy_floats_get(v[0], fn, "source", 0, &src) < 0) {
        return NULL;
    }
    Py_ssize_t nb = self->shape[1];
    Py_ssize_t n = nb - off < src.count ? nb - off : src.count;
    if (n > 0) {
        memmove(ls_buffer_channel_data(self->buf, (uint32_t)c) + off, src.data, (size_t)n * sizeof(float));
    }
    lspy_floats_release(&src);
    Py_RETURN_NONE;
}

static const char *const from_numpy_names[] = {"array", "sample_rate", NULL};
static const lspy_argspec from_numpy_spec = {"from_numpy", from_numpy_names, 2, 2};

static PyObject *
buffer_from_numpy(PyTypeObject *cls, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    lspy_state *st = lspy_state_from_type(cls);
    PyObject *v[2];
    if (st == NULL || lspy_parse_fast(&from_numpy_spec, args, nargs, kwnames, v) < 0 ||
        lspy_need_numpy(st) < 0) {
        return NULL;
    }
    PyObject *arr = PyObject_CallFunctionObjArgs(st->np_ascontiguousarray, v[0], st->np_float32, NULL);
    if (arr == NULL) {
        if (PyErr_ExceptionMatches(PyExc_ValueError) || PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "from_numpy(array): array must be numeric, got %.200s",
                         LSPY_TP_NAME(v[0]));
        }
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(arr, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        Py_DECREF(arr);
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t channels, frames;
    if (view.ndim == 1) {
        channels = 1;
        frames = view.shape[0];
    }
    else if (view.ndim == 2) {
        channels = view.shape[0];
        frames = view.shape[1];
    }
    else {
        PyErr_Format(PyExc_ValueError,
                     "from_numpy(array): array must be 1-D (mono) or 2-D (channels, frames), "
                     "got %d dimensions", view.ndim);
        goto done;
    }
    PyObject *ch = PyLong_FromSsize_t(channels), *fr = PyLong_FromSsize_t(frames);
    if (ch != NULL && fr != NULL) {
        result = lspy_create_buffer(st, "from_numpy", ch, fr, v[1]);
    }
    Py_XDECREF(ch);
    Py_XDECREF(fr);
    if (result != NULL) {
        memcpy(ls_buffer_channel_data(BUF(result)->buf, 0), view.buf,
               (size_t)channels * (size_t)frames * sizeof(float));
    }
done:
    PyBuffer_Release(&view);
    Py_DECREF(arr);
    return result;
}

static const char *const save_names[] = {"path", "bits", NULL};
static const lspy_argspec save_spec = {"save", save_names, 2, 1};

static PyObject *
buffer_save(lspy_BufferObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    lspy_state *st = LSPY_STATE(self);
    PyObject *v[2];
    if (st == NULL || lspy_parse_fast(&save_spec, args, nargs, kwnames, v) < 0) {
        return NULL;
    }
    ls_wav_format fmt = LS_WAV_PCM16;
    PyObject *bits = v[1];
    if (bits != NULL) {
        static const char *const fmt_names[] = {"pcm8", "pcm16", "pcm24", "pcm32", "float32",
                                                "float64", NULL};
        static const ls_wav_format fmt_values[] = {LS_WAV_PCM8, LS_WAV_PCM16, LS_WAV_PCM24,
                                                   LS_WAV_PCM32, LS_WAV_FLOAT32, LS_WAV_FLOAT64};
        int ok = 0;
        if (PyUnicode_Check(bits)) {
            for (int i = 0; fmt_names[i] != NULL; i++) {
                if (PyUnicode_CompareWithASCIIString(bits, fmt_names[i]) == 0) {
                    fmt = fmt_values[i];
                    ok = 1;
                }
            }
        }
        else if (PyIndex_Check(bits)) {
            Py_ssize_t b = PyNumber_AsSsize_t(bits, NULL);
            if (b == -1 && PyErr_Occurred()) {
                return NULL;
            }
            /* 32 is float32, as it always was; 'pcm32' is the integer format */
            if (b == 8 || b == 16 || b == 24 || b == 32 || b == 64) {
                fmt = b == 8 ? LS_WAV_PCM8 : b == 64 ? LS_WAV_FLOAT64 : (ls_wav_format)b;
                ok = 1;
            }
        }
        else {
            PyErr_Format(PyExc_TypeError, "save(bits): bits must be an integer or a format name, got %.200s",
                         LSPY_TP_NAME(bits));
            return NULL;
        }
        if (!ok) {
            PyErr_Format(PyExc_ValueError,
                         "save(bits): bits must be 8, 16, 24, 32 (float), 64 (float) or one of "
                         "'pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64', got %R", bits);
            return NULL;
        }
    }
    PyObject *path = NULL;
    if (!PyUnicode_FSConverter(v[0], &path)) {
        return NULL;
    }
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_buffer_save_wav(self->buf, LSPY_BYTES_DATA(path), fmt);
    Py_END_ALLOW_THREADS
    if (r != LS_OK) {
        if (r == LS_ERROR_IO) {
            PyErr_Format(PyExc_OSError, "save(path): cannot write %R", v[0]);
        }
        else {
            lspy_raise(st, r, "save(path): cannot write %R (%s)", v[0], ls_result_string(r));
        }
        Py_DECREF(path);
        return NULL;
    }
    Py_DECREF(path);
    Py_RETURN_NONE;
}

static PyObject *
buffer_repr(lspy_BufferObject *self)
{
    PyObject *sr = PyFloat_FromDouble(ls_buffer_sample_rate(self->buf));
    if (sr == NULL) {
        return NULL;
    }
    PyObject *r = PyUnicode_FromFormat("<AudioBuffer number_of_channels=%zd length=%zd sample_rate=%R>",
                                       self->shape[0], self->shape[1], sr);
    Py_DECREF(sr);
    return r;
}

static PyMemberDef buffer_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(lspy_BufferObject, weakreflist), READONLY, NULL},
    {NULL}
};

static PyGetSetDef buffer_getset[] = {
    {"sample_rate", (getter)buffer_get_sample_rate, NULL, "Sample rate in Hz.", NULL},
    {"length", (getter)buffer_get_length, NULL, "Frames per channel.", NULL},
    {"duration", (getter)buffer_get_duration, NULL, "Length in seconds.", NULL},
    {"number_of_channels", (getter)buffer_get_channels, NULL, "Number of channels.", NULL},
    {NULL}
};

#define FAST (METH_FASTCALL | METH_KEYWORDS)
#define CAST(f) ((PyCFunction)(void (*)(void))(f))

static PyMethodDef buffer_methods[] = {
    {"get_channel_data", (PyCFunction)buffer_get_channel_data, METH_O,
     "get_channel_data($self, channel, /)\n--\n\n"
     "A float32 NumPy array viewing the channel's samples in place (no copy)."},
    {"copy_from_channel", CAST(buffer_copy_from_channel), FAST,
     "copy_from_channel($self, /, destination, channel_number, buffer_offset=0)\n--\n\n"
     "Copy samples of a channel, from buffer_offset on, into a float32 array."},
    {"copy_to_channel", CAST(buffer_copy_to_channel), FAST,
     "copy_to_channel($self, /, source, channel_number, buffer_offset=0)\n--\n\n"
     "Copy samples from an array or sequence into a channel, from buffer_offset on."},
    {"from_numpy", CAST(buffer_from_numpy), FAST | METH_CLASS,
     "from_numpy($type, /, array, sample_rate)\n--\n\n"
     "A new buffer holding a copy of array: 1-D is mono, 2-D is (channels, frames)."},
    {"save", CAST(buffer_save), FAST,
     "save($self, /, path, bits=16)\n--\n\n"
     "Write a WAV file: bits 8, 16 or 24 (PCM, clipped to [-1, 1]), 32 or 'float32',\n"
     "64 or 'float64', or 'pcm32' (32-bit integers). Above two channels the file is\n"
     "WAVE_FORMAT_EXTENSIBLE."},
    {NULL}
};

static PyType_Slot buffer_slots[] = {
    {Py_tp_doc, "AudioBuffer(number_of_channels=1, length, sample_rate)\n\n"
                "Planar float32 audio in engine memory. np.asarray(buf) is a (channels, frames)\n"
                "view of it, without a copy."},
    {Py_tp_new, buffer_new},
    {Py_tp_dealloc, buffer_dealloc},
    {Py_tp_repr, buffer_repr},
    {Py_tp_members, buffer_members},
    {Py_tp_getset, buffer_getset},
    {Py_tp_methods, buffer_methods},
    {Py_sq_length, buffer_len},
    {Py_mp_length, buffer_len},
    {Py_bf_getbuffer, buffer_getbuffer},
    {0, NULL}
};

PyType_Spec lspy_AudioBuffer_spec = {
    "labsound.AudioBuffer", sizeof(lspy_BufferObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, buffer_slots
};

/* ------------------------------------------------------------------ */
/* PeriodicWave                                                        */
/* ------------------------------------------------------------------ */

PyObject *
lspy_create_periodic_wave(lspy_state *st, PyObject *ctx, PyObject *real, PyObject *imag,
                        int disable_normalization, const char *fn)
{
    if (lspy_context_check(st, ctx, fn) < 0) {
        return NULL;
    }
    if (real == Py_None) {
        real = NULL;
    }
    if (imag == Py_None) {
        imag = NULL;
    }
    lspy_floats fr = {0}, fi = {0};
    float *zeros = NULL;
    const float *rp, *ip;
    Py_ssize_t n;
    static const float default_real[2] = {0.0f, 0.0f};
    static const float default_imag[2] = {0.0f, 1.0f};
    PyObject *result = NULL;

    if (real != NULL && lspy_floats_get(real, fn, "real", 1, &fr) < 0) {
        return NULL;
    }
    if (imag != NULL && lspy_floats_get(imag, fn, "imag", 1, &fi) < 0) {
        goto done;
    }
    if (real == NULL && imag == NULL) {
        rp = default_real;
        ip = default_imag;
        n = 2;
    }
    else if (real != NULL && imag != NULL) {
        if (fr.count != fi.count) {
            lspy_raise(st, LS_ERROR_INDEX_SIZE,
                     "%s(imag): real and imag must have the same length, got %zd and %zd",
                     fn, fr.count, fi.count);
            goto done;
        }
        rp = fr.data;
        ip = fi.data;
        n = fr.count;
    }
    else {
        n = real != NULL ? fr.count : fi.count;
        zeros = PyMem_Calloc(n ? (size_t)n : 1, sizeof(float));
        if (zeros == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        rp = real != NULL ? fr.data : zeros;
        ip = imag != NULL ? fi.data : zeros;
    }
    if (n < 2) {
        lspy_raise(st, LS_ERROR_INDEX_SIZE, "%s(%s): real and imag need at least 2 coefficients, got %zd",
                 fn, real != NULL ? "real" : "imag", n);
        goto done;
    }
    ls_periodic_wave *w = NULL;
    ls_result r = ls_periodic_wave_create(lspy_ctx_of(ctx), rp, ip, (size_t)n, disable_normalization, &w);
    if (r != LS_OK) {
        lspy_raise_call(st, r, fn);
        goto done;
    }
    PyTypeObject *type = st->PeriodicWave_Type;
    lspy_WaveObject *self = (lspy_WaveObject *)LSPY_ALLOC(type);
    if (self == NULL) {
        ls_periodic_wave_release(w);
        goto done;
    }
    self->wave = w;
    Py_INCREF(ctx);
    self->context = ctx;
    result = (PyObject *)self;
done:
    lspy_floats_release(&fr);
    lspy_floats_release(&fi);
    PyMem_Free(zeros);
    return result;
}

static const char *const wave_names[] = {"context", "real", "imag", "disable_normalization", NULL};
static const lspy_argspec wave_spec = {"PeriodicWave", wave_names, 4, 1};

static PyObject *
wave_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    PyObject *v[4];
    if (st == NULL || lspy_parse_tuple(&wave_spec, args, kwargs, v) < 0) {
        return NULL;
    }
    PyObject *real = v[1], *imag = v[2], *dn = v[3];
    PyObject *o_real = NULL, *o_imag = NULL, *o_dn = NULL;
    if (real != NULL && PyDict_Check(real) && imag == NULL && dn == NULL) {
        /* PeriodicWave(context, {"real": ..., "imag": ..., "disable_normalization": ...}) */
        PyObject *opts = real;
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        real = NULL;
        while (PyDict_Next(opts, &pos, &key, &value)) {
            if (PyUnicode_Check(key) && PyUnicode_CompareWithASCIIString(key, "real") == 0) {
                real = value;
            }
            else if (PyUnicode_Check(key) && PyUnicode_CompareWithASCIIString(key, "imag") == 0) {
                imag = value;
            }
            else if (PyUnicode_Check(key) &&
                     PyUnicode_CompareWithASCIIString(key, "disable_normalization") == 0) {
                dn = value;
            }
            else {
                PyErr_Format(PyExc_TypeError, "PeriodicWave(options): unknown option %R", key);
                return NULL;
            }
        }
        Py_XINCREF(real);
        Py_XINCREF(imag);
        Py_XINCREF(dn);
        o_real = real;
        o_imag = imag;
        o_dn = dn;
    }
    int disable = 0;
    PyObject *result = NULL;
    if (dn != NULL && (disable = PyObject_IsTrue(dn)) < 0) {
        goto done;
    }
    result = lspy_create_periodic_wave(st, v[0], real, imag, disable, "PeriodicWave");
    if (result != NULL && type != st->PeriodicWave_Type) {
        lspy_WaveObject *src = (lspy_WaveObject *)result;
        lspy_WaveObject *self = (lspy_WaveObject *)LSPY_ALLOC(type);
        if (self == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        self->wave = src->wave;
        src->wave = NULL;
        self->context = src->context;
        src->context = NULL;
        Py_DECREF(result);
        result = (PyObject *)self;
    }
done:
    Py_XDECREF(o_real);
    Py_XDECREF(o_imag);
    Py_XDECREF(o_dn);
    return result;
}

static int
wave_traverse(lspy_WaveObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->context);
    return 0;
}

static int
wave_clear(lspy_WaveObject *self)
{
    Py_CLEAR(self->context);
    return 0;
}

static void
wave_dealloc(lspy_WaveObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL) {
        PyObject_ClearWeakRefs((PyObject *)self);
    }
    if (self->wave != NULL) {
        ls_periodic_wave_release(self->wave);
        self->wave = NULL;
    }
    wave_clear(self);
    LSPY_FREE(tp, (PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *
wave_get_context(lspy_WaveObject *self, void *c)
{
    if (self->context == NULL) {
        Py_RETURN_NONE;
    }
    Py_INCREF(self->context);
    return self->context;
}

static PyMemberDef wave_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(lspy_WaveObject, weakreflist), READONLY, NULL},
    {NULL}
};

static PyGetSetDef wave_getset[] = {
    {"context", (getter)wave_get_context, NULL, "The context the wave was made for.", NULL},
    {NULL}
};

static PyType_Slot wave_slots[] = {
    {Py_tp_doc, "PeriodicWave(context, real=None, imag=None, disable_normalization=False)\n--\n\n"
                "A waveform for OscillatorNode.set_periodic_wave, from its Fourier series:\n"
                "real[k] and imag[k] are the cosine and sine amplitudes of harmonic k (index 0,\n"
                "the DC term, is ignored). Unless disable_normalization, the wave is scaled so\n"
                "its peak is 1. Also made by context.create_periodic_wave(real, imag).\n"
                "\n"
                "    wave = ctx.create_periodic_wave(real=[0, 0, 0], imag=[0, 1, 0.5])\n"
                "    osc.set_periodic_wave(wave)\n"
                "\n"
                "Errors: IndexError (IndexSizeError) when real and imag differ in length or\n"
                "have fewer than 2 values; TypeError for values that are not numbers."},
    {Py_tp_new, wave_new},
    {Py_tp_dealloc, wave_dealloc},
    {Py_tp_traverse, wave_traverse},
    {Py_tp_clear, wave_clear},
    {Py_tp_members, wave_members},
    {Py_tp_getset, wave_getset},
    {0, NULL}
};

PyType_Spec lspy_PeriodicWave_spec = {
    "labsound.PeriodicWave", sizeof(lspy_WaveObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, wave_slots
};
