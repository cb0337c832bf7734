/*
 * StreamSourceNode (include/labsound/streams.h): the node's hand-written
 * binding part. The node and its facts (options, settings) are the engine's
 * (src/nodes/stream_source.c and its descriptor); what a Python user calls,
 * context.create_stream_source(source), is in labsound/_streams.py, which
 * reads the source in blocks and feeds the ring through the methods here.
 *
 * context._create_stream_source(channels, buffer_frames) makes the node;
 * node._write(block) copies a float32 (channels, frames) block into the ring
 * as far as it fits and returns the frames copied (never blocks);
 * node._write_frames(block) does the same from an interleaved (frames,
 * channels) int16, int32 or float32 block, as a sound file is read;
 * node._end(discard=False) ends the stream.
 */
#include "../core.h"

#include <string.h>

/* GC, traverse, clear and dealloc come from the base (AudioNode) */
#define NODE_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE)

static PyTypeObject *Stream_Type;

static ls_node *
node_of(lspy_NodeObject *self)
{
    if (self->node == NULL) {
        PyErr_SetString(PyExc_ValueError, "the StreamSourceNode has been released");
    }
    return self->node;
}

/* The node, and arg's buffer in view: -1 with the exception set when the
 * node was released or arg is no buffer. */
static int
open_block(lspy_NodeObject *self, PyObject *arg, int flags, Py_buffer *view, ls_node **n)
{
    *n = node_of(self);
    return *n == NULL || PyObject_GetBuffer(arg, view, flags) < 0 ? -1 : 0;
}

/* After a write into the ring: the frames copied, or the error r raised. */
static PyObject *
written_or_raise(lspy_NodeObject *self, Py_buffer *view, ls_result r, uint64_t written,
                 const char *fn)
{
    PyBuffer_Release(view);
    if (r != LS_OK) {
        return lspy_raise(LSPY_STATE(self), r, "%s(): the stream has been ended", fn);
    }
    return PyLong_FromUnsignedLongLong(written);
}

static PyObject *
st_write(lspy_NodeObject *self, PyObject *arg)
{
    ls_node *n;
    Py_buffer view;
    if (open_block(self, arg, PyBUF_STRIDES | PyBUF_FORMAT, &view, &n) < 0) {
        return NULL;
    }
    uint32_t ch = ls_stream_source_channels(n);
    if (view.ndim != 2 || view.itemsize != 4 || view.format == NULL || strcmp(view.format, "f") != 0 ||
        view.shape[0] != (Py_ssize_t)ch || view.strides[1] != 4 || view.strides[0] % 4 != 0 ||
        (ch > 1 && view.strides[0] < 4 * view.shape[1])) {
        PyBuffer_Release(&view);
        PyErr_Format(PyExc_ValueError, "_write(block): a float32 (%u, frames) array with "
                     "contiguous rows is needed", ch);
        return NULL;
    }
    size_t stride = ch > 1 ? (size_t)(view.strides[0] / 4) : (size_t)view.shape[1];
    uint64_t written = 0;
    ls_result r = ls_stream_source_write(n, (const float *)view.buf, stride,
                                         (uint64_t)view.shape[1], &written);
    return written_or_raise(self, &view, r, written, "_write");
}

/* _write_frames(block): block a C-contiguous (frames, channels) array of
 * int16, int32 or float32, interleaved as a sound file holds it: converted
 * and split into the ring in one pass; returns the frames copied. */
static PyObject *
st_write_frames(lspy_NodeObject *self, PyObject *arg)
{
    ls_node *n;
    Py_buffer view;
    if (open_block(self, arg, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT, &view, &n) < 0) {
        return NULL;
    }
    uint32_t ch = ls_stream_source_channels(n);
    const char *f = view.format != NULL ? view.format : "B";
    if (*f == '<' || *f == '=' || *f == '@') {
        f++;
    }
    int format = -1;
    if (view.itemsize == 2 && strcmp(f, "h") == 0) {
        format = LS_STREAM_SAMPLE_S16;
    } else if (view.itemsize == 4 && (strcmp(f, "i") == 0 || strcmp(f, "l") == 0)) {
        format = LS_STREAM_SAMPLE_S32;
    } else if (view.itemsize == 4 && strcmp(f, "f") == 0) {
        format = LS_STREAM_SAMPLE_F32;
    }
    if (format < 0 || view.ndim != 2 || view.shape[1] != (Py_ssize_t)ch ||
        ((uintptr_t)view.buf % (uintptr_t)view.itemsize) != 0) {
        PyBuffer_Release(&view);
        PyErr_Format(PyExc_ValueError, "_write_frames(block): an aligned C-contiguous int16, int32 "
                     "or float32 (frames, %u) array is needed", ch);
        return NULL;
    }
    uint64_t written = 0;
    ls_result r = ls_stream_source_write_interleaved(n, view.buf, (ls_stream_sample_format)format,
                                                     (uint64_t)view.shape[0], &written);
    return written_or_raise(self, &view, r, written, "_write_frames");
}

static PyObject *
st_end(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    ls_node *n = node_of(self);
    if (n == NULL) {
        return NULL;
    }
    int discard = 0;
    if (nargs > 1) {
        PyErr_SetString(PyExc_TypeError, "_end() takes at most 1 argument (discard)");
        return NULL;
    }
    if (nargs == 1 && (discard = PyObject_IsTrue(args[0])) < 0) {
        return NULL;
    }
    ls_stream_source_end(n, discard);
    Py_RETURN_NONE;
}

#define STREAM_GETTER(fname, expr)                                \
    static PyObject *fname(lspy_NodeObject *self, void *c)        \
    {                                                             \
        ls_node *n = node_of(self);                               \
        if (n == NULL) {                                          \
            return NULL;                                          \
        }                                                         \
        return expr;                                              \
    }

STREAM_GETTER(get_writable, PyLong_FromUnsignedLongLong(ls_stream_source_writable(n)))
STREAM_GETTER(get_queued, PyLong_FromUnsignedLongLong(ls_stream_source_queued(n)))
STREAM_GETTER(get_underruns, PyLong_FromUnsignedLongLong(ls_stream_source_underruns(n)))
STREAM_GETTER(get_played, PyLong_FromUnsignedLongLong(ls_stream_source_frames_played(n)))
STREAM_GETTER(get_finished, PyBool_FromLong(ls_stream_source_finished(n)))
STREAM_GETTER(get_capacity, PyLong_FromUnsignedLong(ls_stream_source_capacity(n)))
STREAM_GETTER(get_channels, PyLong_FromUnsignedLong(ls_stream_source_channels(n)))

static PyGetSetDef stream_getset[] = {
    {"writable_frames", (getter)get_writable, NULL, "Frames the ring has room for now.", NULL},
    {"queued_frames", (getter)get_queued, NULL, "Frames written and not played yet.", NULL},
    {"underruns", (getter)get_underruns, NULL,
     "Render quanta the ring ran dry in before the stream ended (silence was played).", NULL},
    {"frames_played", (getter)get_played, NULL, "Frames played from the ring so far.", NULL},
    {"finished", (getter)get_finished, NULL,
     "True once the stream ended and everything queued was played.", NULL},
    {"capacity_frames", (getter)get_capacity, NULL, "The ring's size in frames.", NULL},
    {"channels", (getter)get_channels, NULL, "Output channels.", NULL},
    {NULL}};

static PyMethodDef stream_methods[] = {
    {"_write", (PyCFunction)st_write, METH_O,
     "_write($self, block, /)\n--\n\nCopy a float32 (channels, frames) block into the ring as far "
     "as it fits; returns the frames copied."},
    {"_write_frames", (PyCFunction)st_write_frames, METH_O,
     "_write_frames($self, block, /)\n--\n\nCopy an int16, int32 or float32 (frames, channels) "
     "interleaved block into the ring (integers scaled as PCM) as far as it fits; returns the "
     "frames copied."},
    {"_end", (PyCFunction)(void (*)(void))st_end, METH_FASTCALL,
     "_end($self, discard=False, /)\n--\n\nEnd the stream (discard: drop what is queued)."},
    {NULL}};

/* StreamSourceNode(context, source, **options): context.create_stream_source,
 * labsound._streams.create_stream_source */
static PyObject *
st_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    PyObject *mod = PyImport_ImportModule("labsound._streams");
    PyObject *f = mod ? PyObject_GetAttrString(mod, "create_stream_source") : NULL;
    PyObject *res = f ? PyObject_Call(f, args, kw) : NULL;
    Py_XDECREF(f);
    Py_XDECREF(mod);
    return res;
}

static PyType_Slot stream_slots[] = {
    {Py_tp_doc,
     "StreamSourceNode(context, source, *, channels=None, sample_rate=None, buffer_frames=None, "
     "block_frames=4096, onerror=None)\n--\n\n"
     "Plays audio fed from outside the graph; also made by\n"
     "context.create_stream_source(source, **options). source: a file path, a\n"
     "soundfile.SoundFile, an AudioBuffer, an array or an iterable of (channels, frames)\n"
     "NumPy blocks (float, or integer PCM scaled as PCM).\n\n"
     "The render thread reads a bounded lock-free ring that the source is written\n"
     "into and never waits for it: when the ring runs dry the node plays silence\n"
     "and counts an underrun (underruns; context.stats['stream_underruns']). It\n"
     "plays from its creation and ends (onended) when its source is exhausted and\n"
     "everything read from it has played."},
    {Py_tp_new, st_new},
    {Py_tp_getset, stream_getset},
    {Py_tp_methods, stream_methods},
    {0, NULL}};
static PyType_Spec stream_spec = {"labsound.StreamSourceNode", sizeof(lspy_NodeObject), 0,
                                  NODE_FLAGS, stream_slots};

/* context._create_stream_source(channels, capacity_frames) */
static PyObject *
ctx_create_stream_source_node(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    lspy_state *st = LSPY_STATE(self);
    const char *fn = "create_stream_source";
    lspy_ContextObject *c = (lspy_ContextObject *)self;
    if (c->ctx == NULL) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE, "%s(): the context is closed", fn);
    }
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "_create_stream_source() takes 2 arguments (%zd given)", nargs);
        return NULL;
    }
    Py_ssize_t ch, cap;
    if (lspy_arg_index(args[0], fn, "channels", &ch) < 0 ||
        lspy_arg_index(args[1], fn, "buffer_frames", &cap) < 0) {
        return NULL;
    }
    if (ch < 1 || ch > LS_MAX_CHANNELS) {
        return lspy_raise(st, LS_ERROR_NOT_SUPPORTED, "%s(channels): a stream has 1 to %d channels, "
                          "got %zd", fn, LS_MAX_CHANNELS, ch);
    }
    if (cap < LS_RENDER_QUANTUM || cap > (1 << 24)) {
        PyErr_Format(PyExc_ValueError, "%s(buffer_frames): buffer_frames must be between %d and %d, "
                     "got %zd", fn, LS_RENDER_QUANTUM, 1 << 24, cap);
        return NULL;
    }
    ls_stream_source_options o = ls_stream_source_options_default();
    o.channels = (uint32_t)ch;
    o.capacity_frames = (uint32_t)cap;
    ls_node *n = NULL;
    ls_result r = ls_stream_source_create(c->ctx, &o, &n);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, fn);
    }
    return lspy_node_wrap(st, Stream_Type, self, n);
}

static PyMethodDef ctx_create_def = {
    "_create_stream_source", (PyCFunction)(void (*)(void))ctx_create_stream_source_node,
    METH_FASTCALL,
    "_create_stream_source($self, channels, buffer_frames, /)\n--\n\nA StreamSourceNode with an "
    "empty ring (fed by create_stream_source, labsound/_streams.py)."};

int
lspy_stream_source_init(PyObject *m, lspy_state *st)
{
    PyObject *bases = PyTuple_Pack(1, (PyObject *)st->AudioNode_Type);
    if (bases == NULL) {
        return -1;
    }
    PyObject *t = PyType_FromModuleAndSpec(m, &stream_spec, bases);
    Py_DECREF(bases);
    if (t == NULL) {
        return -1;
    }
    Stream_Type = (PyTypeObject *)t;
    if (PyModule_AddObject(m, "StreamSourceNode", t) < 0) {
        Py_DECREF(t);
        return -1;
    }
    PyTypeObject *ctx = st->BaseAudioContext_Type;
    PyObject *descr = PyDescr_NewMethod(ctx, &ctx_create_def);
    int rc = descr ? PyObject_SetAttrString((PyObject *)ctx, ctx_create_def.ml_name, descr) : -1;
    Py_XDECREF(descr);
    return rc;
}
