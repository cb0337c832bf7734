/*
 * AudioBuffer (zero-copy through the buffer protocol) and PeriodicWave.
 *
 * An AudioBuffer exports its engine memory as a C-contiguous
 * (channels, frames) float32 array. A consumer's view holds a reference to
 * the wrapper, and the wrapper holds the engine buffer, so the memory lives
 * as long as any view of it.
 */
#include "core.h"
#include "dlpack.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

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
    if (self->buf != NULL) {
        ls_buffer_release(self->buf);
        self->buf = NULL;
    }
    lspy_dealloc((PyObject *)self, self->weakreflist, NULL);
}

/* Channels, length and rate checked the way the spec's AudioBuffer constructor does. */
PyObject *
lspy_create_buffer(lspy_state *st, const char *fn, PyObject *channels, PyObject *length,
                 PyObject *sample_rate)
{
    Py_ssize_t nch = 1, len;
    double sr;
    if (lspy_arg_channels(st, channels, fn, "number_of_channels", &nch) < 0 ||
        lspy_arg_index(length, fn, "length", &len) < 0) {
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
    if (lspy_arg_sample_rate(st, sample_rate, fn, &sr) < 0) {
        return NULL;
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
/* Lent memory: buffers over NumPy arrays (and so DLPack tensors)      */
/* ------------------------------------------------------------------ */

/*
 * A buffer made by from_numpy (or from_dlpack) without a copy is an engine
 * buffer over memory it borrows (ls_buffer_wrap). The last engine reference
 * may go on any thread (a node freed by the engine on a control thread): when
 * that thread holds the interpreter lock the memory's owner is released at
 * once, otherwise the release is queued and run by Py_AddPendingCall on the
 * main thread, so the engine never waits for the interpreter lock.
 */
typedef struct lent {
    struct lent *next;
    Py_buffer view;                 /* holds the exporter */
} lent;

static _Atomic(lent *) lent_pending;

static void
lent_free(lent *l)
{
    PyBuffer_Release(&l->view);
    LSPY_RAW_FREE(l);
}

static int
lent_drain(void *arg)
{
    (void)arg;
    lent *l = atomic_exchange(&lent_pending, NULL);
    while (l != NULL) {
        lent *next = l->next;
        lent_free(l);
        l = next;
    }
    return 0;
}

/* ls_buffer_wrap's release: any thread, with or without the interpreter lock. */
static void
lent_release(void *user)
{
    lent *l = user;
    if (LSPY_GIL_HELD()) {
        lent_free(l);
        return;
    }
    lent *head = atomic_load(&lent_pending);
    do {
        l->next = head;
    } while (!atomic_compare_exchange_weak(&lent_pending, &head, l));
    Py_AddPendingCall(lent_drain, NULL);
}

/* An AudioBuffer over `data` (channels x frames float32), owned by l; l is
 * released on failure too. */
static PyObject *
lent_buffer(lspy_state *st, const char *fn, lent *l, float *data, Py_ssize_t channels,
            Py_ssize_t frames, double sr)
{
    ls_buffer *b = NULL;
    ls_result r = ls_buffer_wrap((uint32_t)channels, (uint64_t)frames, sr, data, lent_release, l, &b);
    if (r != LS_OK) {
        lent_free(l);
        return lspy_raise_call(st, r, fn);
    }
    return lspy_buffer_wrap(st, b);
}

/* The checks lspy_create_buffer makes, before any memory changes hands. */
static int
check_shape_rate(lspy_state *st, const char *fn, const char *arg, Py_ssize_t channels,
                 Py_ssize_t frames, PyObject *sample_rate, double *sr)
{
    if (channels < 1 || channels > LS_MAX_CHANNELS) {
        lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                   "%s(%s): a 2-D %s is (channels, frames) with 1 to %d channels, got %zd "
                   "channels of %zd frames%s", fn, arg, arg, LS_MAX_CHANNELS, channels, frames,
                   frames >= 1 && frames <= LS_MAX_CHANNELS ? " (transpose a (frames, channels) array)" : "");
        return -1;
    }
    if (frames < 1) {
        lspy_raise(st, LS_ERROR_NOT_SUPPORTED, "%s(%s): length must be at least 1 frame, got an empty %s", fn, arg, arg);
        return -1;
    }
    return lspy_arg_sample_rate(st, sample_rate, fn, sr);
}

/* copy=None (share when the layout allows), True or False (never copy). */
static int
parse_copy(PyObject *o, const char *fn, int *copy)
{
    if (o == NULL || o == Py_None) {
        *copy = -1;
        return 0;
    }
    if (!PyBool_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s(copy): copy must be None, True or False, got %R", fn, o);
        return -1;
    }
    *copy = o == Py_True;
    return 0;
}

/* ------------------------------------------------------------------ */
/* DLPack export: __dlpack__ and __dlpack_device__                      */
/* ------------------------------------------------------------------ */

/* What an exported tensor owns: one engine reference and its shape. */
typedef struct {
    ls_buffer *buf;
    int64_t shape[2];
    int64_t strides[2];
} dl_export;

typedef struct {
    lspy_DLManagedTensor m;
    dl_export x;
} dl_legacy_block;

typedef struct {
    lspy_DLManagedTensorVersioned m;
    dl_export x;
} dl_versioned_block;

/* Deleters: any thread, without the interpreter lock (ls_buffer_release is atomic). */
static void
dl_legacy_delete(lspy_DLManagedTensor *m)
{
    dl_legacy_block *blk = (dl_legacy_block *)m;
    ls_buffer_release(blk->x.buf);
    LSPY_RAW_FREE(blk);
}

static void
dl_versioned_delete(lspy_DLManagedTensorVersioned *m)
{
    dl_versioned_block *blk = (dl_versioned_block *)m;
    ls_buffer_release(blk->x.buf);
    LSPY_RAW_FREE(blk);
}

/* A capsule nobody consumed (still named "dltensor" or "dltensor_versioned",
 * not "used_...") still owns its tensor. */
static void
dl_capsule_destructor(PyObject *cap)
{
    if (PyCapsule_IsValid(cap, "dltensor")) {
        lspy_DLManagedTensor *m = PyCapsule_GetPointer(cap, "dltensor");
        m->deleter(m);
    }
    else if (PyCapsule_IsValid(cap, "dltensor_versioned")) {
        lspy_DLManagedTensorVersioned *m = PyCapsule_GetPointer(cap, "dltensor_versioned");
        m->deleter(m);
    }
}

static void
dl_fill(lspy_DLTensor *t, dl_export *x, ls_buffer *b)
{
    x->buf = b;
    x->shape[0] = (int64_t)ls_buffer_number_of_channels(b);
    x->shape[1] = (int64_t)ls_buffer_length(b);
    x->strides[0] = x->shape[1];
    x->strides[1] = 1;
    t->data = ls_buffer_channel_data(b, 0);
    t->device.device_type = LSPY_DL_CPU;
    t->device.device_id = 0;
    t->ndim = 2;
    t->dtype.code = LSPY_DL_FLOAT;
    t->dtype.bits = 32;
    t->dtype.lanes = 1;
    t->shape = x->shape;
    t->strides = x->strides;
    t->byte_offset = 0;
}

/* (device_type, device_id) from a dl_device argument, or -1 with an exception. */
static int
check_dl_device(PyObject *dev, const char *fn)
{
    if (dev == NULL || dev == Py_None) {
        return 0;
    }
    long type = -1, id = -1;
    if (PyTuple_Check(dev) && LSPY_TUPLE_SIZE(dev) == 2) {
        type = PyLong_AsLong(LSPY_TUPLE_ITEM(dev, 0));
        id = PyLong_AsLong(LSPY_TUPLE_ITEM(dev, 1));
        if ((type == -1 || id == -1) && PyErr_Occurred()) {
            PyErr_Clear();
            type = -1;
        }
    }
    if (type == -1) {
        PyErr_Format(PyExc_TypeError, "%s(dl_device): dl_device must be None or a "
                     "(device_type, device_id) tuple, got %R", fn, dev);
        return -1;
    }
    if (type != LSPY_DL_CPU || id != 0) {
        PyErr_Format(PyExc_BufferError, "%s(dl_device): an AudioBuffer lives in CPU memory "
                     "(device (1, 0), kDLCPU) and cannot be exported to device %R", fn, dev);
        return -1;
    }
    return 0;
}

static PyObject *
buffer_dlpack(lspy_BufferObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *fn = "__dlpack__";
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        return NULL;
    }
    static const char *const names[] = {"stream", "max_version", "dl_device", "copy", NULL};
    static const lspy_argspec spec = {"__dlpack__", names, 0, 0};
    PyObject *v[4];
    if (lspy_parse_fast(&spec, args, nargs, kwnames, v) < 0) {
        return NULL;
    }
    PyObject *stream = v[0], *max_version = v[1], *dl_device = v[2], *copy_o = v[3];
    if (stream != NULL && stream != Py_None) {
        /* the array API lets CPU producers accept -1 ("no synchronisation") */
        long sv = PyLong_Check(stream) ? PyLong_AsLong(stream) : 0;
        if (sv != -1) {
            PyErr_Clear();
            PyErr_Format(PyExc_BufferError, "%s(stream): an AudioBuffer is CPU memory and has no "
                         "stream; stream must be None, got %R", fn, stream);
            return NULL;
        }
    }
    int versioned = 0;
    if (max_version != NULL && max_version != Py_None) {
        long major = -1;
        if (PyTuple_Check(max_version) && LSPY_TUPLE_SIZE(max_version) == 2) {
            major = PyLong_AsLong(LSPY_TUPLE_ITEM(max_version, 0));
            if (major == -1 && PyErr_Occurred()) {
                PyErr_Clear();
                major = -1;
            }
        }
        if (major < 0) {
            PyErr_Format(PyExc_TypeError, "%s(max_version): max_version must be None or a "
                         "(major, minor) tuple, got %R", fn, max_version);
            return NULL;
        }
        versioned = major >= 1;
    }
    int copy;
    if (check_dl_device(dl_device, fn) < 0 || parse_copy(copy_o, fn, &copy) < 0) {
        return NULL;
    }
    if (self->buf == NULL) {
        PyErr_SetString(PyExc_BufferError, "__dlpack__(): the AudioBuffer has no memory");
        return NULL;
    }
    ls_buffer *b = self->buf;
    if (copy == 1) {
        ls_buffer *c = NULL;
        ls_result r = ls_buffer_create(ls_buffer_number_of_channels(b), ls_buffer_length(b),
                                       ls_buffer_sample_rate(b), &c);
        if (r != LS_OK) {
            return lspy_raise_call(st, r, fn);
        }
        memcpy(ls_buffer_channel_data(c, 0), ls_buffer_channel_data(b, 0),
               (size_t)self->shape[0] * (size_t)self->shape[1] * sizeof(float));
        b = c;
    }
    else {
        ls_buffer_retain(b);
    }
    PyObject *cap;
    if (versioned) {
        dl_versioned_block *blk = LSPY_RAW_CALLOC(1, sizeof *blk);
        if (blk == NULL) {
            ls_buffer_release(b);
            return PyErr_NoMemory();
        }
        blk->m.version.major = LSPY_DLPACK_MAJOR;
        blk->m.version.minor = LSPY_DLPACK_MINOR;
        blk->m.manager_ctx = &blk->x;
        blk->m.deleter = dl_versioned_delete;
        blk->m.flags = copy == 1 ? LSPY_DL_FLAG_IS_COPIED : 0;
        dl_fill(&blk->m.dl_tensor, &blk->x, b);
        cap = PyCapsule_New(&blk->m, "dltensor_versioned", dl_capsule_destructor);
        if (cap == NULL) {
            dl_versioned_delete(&blk->m);
        }
    }
    else {
        dl_legacy_block *blk = LSPY_RAW_CALLOC(1, sizeof *blk);
        if (blk == NULL) {
            ls_buffer_release(b);
            return PyErr_NoMemory();
        }
        blk->m.manager_ctx = &blk->x;
        blk->m.deleter = dl_legacy_delete;
        dl_fill(&blk->m.dl_tensor, &blk->x, b);
        cap = PyCapsule_New(&blk->m, "dltensor", dl_capsule_destructor);
        if (cap == NULL) {
            dl_legacy_delete(&blk->m);
        }
    }
    return cap;
}

static PyObject *
buffer_dlpack_device(lspy_BufferObject *self, PyObject *unused)
{
    return Py_BuildValue("(ii)", LSPY_DL_CPU, 0);
}

/* ------------------------------------------------------------------ */
/* DLPack import: AudioBuffer.from_dlpack                               */
/* ------------------------------------------------------------------ */

/* AudioBuffer.from_dlpack: labsound/_dlpack.py (NumPy's DLPack import, then
 * from_numpy) */
LSPY_PY_METHOD(buffer_from_dlpack, "labsound._dlpack", "from_dlpack")

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
    if (lspy_out_array(v[0], fn, "destination", "f", "float32", &view) < 0) {
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

static const char *const from_numpy_names[] = {"array", "sample_rate", "copy", NULL};
static const lspy_argspec from_numpy_spec = {"from_numpy", from_numpy_names, 2, 2};

static PyObject *
buffer_from_numpy(PyTypeObject *cls, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *fn = "from_numpy";
    lspy_state *st = lspy_state_from_type(cls);
    PyObject *v[3];
    int copy;
    if (st == NULL || lspy_parse_fast(&from_numpy_spec, args, nargs, kwnames, v) < 0 ||
        parse_copy(v[2], fn, &copy) < 0 || lspy_need_numpy(st) < 0) {
        return NULL;
    }
    /* integer PCM (an array whose dtype is int8/16/32/64 or uint8/16/32) is
     * scaled to [-1, 1) by labsound._streams.pcm_to_float32 */
    PyObject *scaled = NULL;
    int is_pcm = 0;
    PyObject *dt = PyObject_GetAttrString(v[0], "dtype");
    if (dt == NULL) {
        PyErr_Clear();
    } else {
        PyObject *kind = PyObject_GetAttrString(dt, "kind");
        Py_DECREF(dt);
        if (kind == NULL) {
            PyErr_Clear();
        } else {
            is_pcm = PyUnicode_Check(kind) && (PyUnicode_CompareWithASCIIString(kind, "i") == 0 ||
                                               PyUnicode_CompareWithASCIIString(kind, "u") == 0);
            Py_DECREF(kind);
        }
    }
    if (is_pcm) {
        PyObject *mod = PyImport_ImportModule("labsound._streams");
        if (mod == NULL) {
            return NULL;
        }
        scaled = PyObject_CallMethod(mod, "pcm_to_float32", "O", v[0]);
        Py_DECREF(mod);
        if (scaled == NULL) {
            if (PyErr_ExceptionMatches(PyExc_KeyError)) {
                PyErr_Clear();
                PyErr_Format(PyExc_TypeError, "from_numpy(array): integer PCM must be int8, int16, "
                             "int32, int64, uint8, uint16 or uint32, got %R", v[0]);
            }
            return NULL;
        }
    }
    PyObject *arr = PyObject_CallFunctionObjArgs(st->np_ascontiguousarray, scaled ? scaled : v[0],
                                                 st->np_float32, NULL);
    Py_XDECREF(scaled);
    if (arr == NULL) {
        if (PyErr_ExceptionMatches(PyExc_ValueError) || PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "from_numpy(array): array must be numeric, got %.200s",
                         LSPY_TP_NAME(v[0]));
        }
        return NULL;
    }
    lent *l = LSPY_RAW_CALLOC(1, sizeof *l);
    if (l == NULL) {
        Py_DECREF(arr);
        return PyErr_NoMemory();
    }
    Py_buffer *view = &l->view;
    if (PyObject_GetBuffer(arr, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        Py_DECREF(arr);
        LSPY_RAW_FREE(l);
        return NULL;
    }
    Py_DECREF(arr);     /* the view holds it */
    PyObject *result = NULL;
    Py_ssize_t channels, frames;
    double sr;
    if (view->ndim == 1) {
        channels = 1;
        frames = view->shape[0];
    }
    else if (view->ndim == 2) {
        channels = view->shape[0];
        frames = view->shape[1];
    }
    else {
        PyErr_Format(PyExc_ValueError,
                     "from_numpy(array): array must be 1-D (mono) or 2-D (channels, frames), "
                     "got %d dimensions", view->ndim);
        goto fail;
    }
    if (check_shape_rate(st, fn, "array", channels, frames, v[1], &sr) < 0) {
        goto fail;
    }
    /* did the conversion to a C-contiguous float32 array copy? */
    int converted = 1;
    Py_buffer orig;
    if (PyObject_GetBuffer(v[0], &orig, PyBUF_SIMPLE) == 0) {
        converted = orig.buf != view->buf;
        PyBuffer_Release(&orig);
    }
    else {
        PyErr_Clear();
    }
    int aligned = ((uintptr_t)view->buf % sizeof(float)) == 0;
    if (copy == 0 && (converted || view->readonly || !aligned)) {
        PyErr_Format(PyExc_ValueError, "from_numpy(copy): copy=False but the array cannot be "
                     "shared: %s; pass copy=None to copy it",
                     converted ? "it is not a C-contiguous float32 array"
                     : view->readonly ? "it is read-only" : "its data is not float-aligned");
        goto fail;
    }
    if (copy != 1 && !view->readonly && aligned) {
        return lent_buffer(st, fn, l, (float *)view->buf, channels, frames, sr);
    }
    PyObject *ch = PyLong_FromSsize_t(channels), *fr = PyLong_FromSsize_t(frames);
    if (ch != NULL && fr != NULL) {
        result = lspy_create_buffer(st, fn, ch, fr, v[1]);
    }
    Py_XDECREF(ch);
    Py_XDECREF(fr);
    if (result != NULL) {
        memcpy(ls_buffer_channel_data(BUF(result)->buf, 0), view->buf,
               (size_t)channels * (size_t)frames * sizeof(float));
    }
fail:
    lent_free(l);
    return result;
}

/* save(path, bits=16): labsound/_files.py (the bits argument, the clipping
 * warning) around _core._save_wav */
LSPY_PY_METHOD(buffer_save, "labsound._files", "save")

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
     "from_numpy($type, /, array, sample_rate, copy=None)\n--\n\n"
     "A buffer over array's samples: 1-D is mono, 2-D is (channels, frames).\n\n"
     "A writable C-contiguous float32 array is shared, not copied (writes through\n"
     "either side show in the other; the buffer keeps the array alive); any other\n"
     "array (float64, strided, read-only) is converted into new memory. copy=True\n"
     "always copies; copy=False raises ValueError instead of copying. Errors:\n"
     "TypeError (not numeric), ValueError (not 1-D or 2-D), NotSupportedError\n"
     "(more than 32 channels, no frames, sample_rate outside 3000..768000)."},
    {"from_dlpack", CAST(buffer_from_dlpack), FAST | METH_CLASS,
     "from_dlpack($type, /, tensor, sample_rate, copy=None)\n--\n\n"
     "A buffer over a DLPack tensor's samples (a torch.Tensor, a NumPy array, a JAX\n"
     "or CuPy array on the CPU: anything with __dlpack__): 1-D is mono, 2-D is\n"
     "(channels, frames), float32, in CPU memory.\n\n"
     "A C-contiguous, writable tensor is shared without a copy (the buffer holds the\n"
     "tensor until the buffer and every node using it are gone); a strided or\n"
     "read-only one is copied. copy=True always copies, copy=False raises instead.\n"
     "Errors: TypeError (no __dlpack__, dtype not float32), ValueError (not 1-D or\n"
     "2-D, copy=False when a copy is needed), BufferError (a tensor on a GPU or\n"
     "another device), NotSupportedError (more than 32 channels, no frames,\n"
     "sample_rate outside 3000..768000)."},
    {"__dlpack__", CAST(buffer_dlpack), FAST,
     "__dlpack__($self, /, *, stream=None, max_version=None, dl_device=None, copy=None)\n--\n\n"
     "Export the samples as a DLPack capsule: a 2-D (channels, frames) float32 tensor\n"
     "in CPU memory, shared without a copy (copy=True exports a copy). The capsule\n"
     "holds the buffer's memory, so the tensor stays valid after the AudioBuffer is\n"
     "gone. A versioned ('dltensor_versioned') capsule when max_version >= (1, 0),\n"
     "else a legacy 'dltensor' one. np.from_dlpack(buf) and torch.from_dlpack(buf)\n"
     "call it. Errors: BufferError (stream not None, dl_device not the CPU),\n"
     "TypeError (malformed max_version, dl_device or copy)."},
    {"__dlpack_device__", (PyCFunction)buffer_dlpack_device, METH_NOARGS,
     "__dlpack_device__($self, /)\n--\n\n"
     "(1, 0): the buffer lives in CPU memory (DLPack's kDLCPU, device 0)."},
    {"save", CAST(buffer_save), FAST,
     "save($self, /, path, bits=16)\n--\n\n"
     "Write a WAV file: bits 8, 16 or 24 (PCM, clipped to [-1, 1]), 32 or 'float32',\n"
     "64 or 'float64', or 'pcm32' (32-bit integers). Above two channels the file is\n"
     "WAVE_FORMAT_EXTENSIBLE. An integer format warns (labsound.ClippingWarning, with\n"
     "the peak and the count) when samples beyond full scale were clipped."},
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
lspy_create_periodic_wave(lspy_state *st, PyTypeObject *type, PyObject *ctx, PyObject *real,
                          PyObject *imag, int disable_normalization, const char *fn)
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

/* PeriodicWave(context, real=None, imag=None, disable_normalization=False),
 * or PeriodicWave(context, {"real": ..., "imag": ..., ...}) as in the spec */
static PyObject *
wave_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    PyObject *v[4], *owned[3] = {NULL, NULL, NULL}, *result = NULL;
    if (st == NULL || lspy_parse_tuple(&wave_spec, args, kwargs, v) < 0) {
        return NULL;
    }
    if (v[1] != NULL && PyDict_Check(v[1]) && v[2] == NULL && v[3] == NULL) {
        PyObject *opts = v[1];
        v[1] = NULL;
        if (lspy_merge_options("PeriodicWave", opts, wave_names + 1, 3, v + 1, owned) < 0) {
            goto done;
        }
    }
    int disable = 0;
    if (v[3] == NULL || (disable = PyObject_IsTrue(v[3])) >= 0) {
        result = lspy_create_periodic_wave(st, type, v[0], v[1], v[2], disable, "PeriodicWave");
    }
done:
    for (int i = 0; i < 3; i++) {
        Py_XDECREF(owned[i]);
    }
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
    PyObject_GC_UnTrack(self);
    if (self->wave != NULL) {
        ls_periodic_wave_release(self->wave);
        self->wave = NULL;
    }
    lspy_dealloc((PyObject *)self, self->weakreflist, (inquiry)wave_clear);
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
