/*
 * Audio files for the Python layer: WAV decoding (from bytes or a path),
 * resampling and mixing to mono, the DecodeError exception, and
 * BaseAudioContext.decode_audio_data (which hands over to labsound._files
 * for the formats soundfile reads).
 */
#include "core.h"

#include <math.h>

static PyObject *
decode_error(lspy_state *st, ls_result r, const char *msg, PyObject *what)
{
    if (r == LS_ERROR_NO_MEM) {
        return PyErr_NoMemory();
    }
    if (r == LS_ERROR_IO) {
        PyErr_Format(PyExc_OSError, "%s", msg);
        return NULL;
    }
    if (r == LS_ERROR_FORMAT || r == LS_ERROR_NOT_SUPPORTED) {
        if (what != NULL) {
            PyErr_Format(st->DecodeError, "%R: %s", what, msg);
        }
        else {
            PyErr_Format(st->DecodeError, "%s", msg);
        }
        return NULL;
    }
    return lspy_raise(st, r, "%s", msg[0] ? msg : ls_result_string(r));
}

static lspy_state *
module_state(PyObject *module)
{
    return (lspy_state *)PyModule_GetState(module);
}

/* _decode_wav(data): an AudioBuffer from the bytes of a WAV file. */
static PyObject *
decode_wav(PyObject *module, PyObject *data)
{
    lspy_state *st = module_state(module);
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError,
                     "_decode_wav(data): data must be bytes-like, got %.200s",
                     LSPY_TP_NAME(data));
        return NULL;
    }
    ls_buffer *b = NULL;
    char msg[LS_DECODE_MESSAGE_SIZE];
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_wav_decode(view.buf, (size_t)view.len, &b, NULL, msg);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (r != LS_OK) {
        return decode_error(st, r, msg, NULL);
    }
    return lspy_buffer_wrap(st, b);
}

/* _load_wav(path): an AudioBuffer from a WAV file. */
static PyObject *
load_wav(PyObject *module, PyObject *path)
{
    lspy_state *st = module_state(module);
    PyObject *bytes = NULL;
    if (!PyUnicode_FSConverter(path, &bytes)) {
        return NULL;
    }
    ls_buffer *b = NULL;
    char msg[LS_DECODE_MESSAGE_SIZE];
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_wav_load(LSPY_BYTES_DATA(bytes), &b, NULL, msg);
    Py_END_ALLOW_THREADS
    Py_DECREF(bytes);
    if (r != LS_OK) {
        return decode_error(st, r, msg, r == LS_ERROR_IO ? NULL : path);
    }
    return lspy_buffer_wrap(st, b);
}

static int
check_buffer(lspy_state *st, PyObject *o, const char *fn)
{
    if (!PyObject_TypeCheck(o, st->AudioBuffer_Type) || ((lspy_BufferObject *)o)->buf == NULL) {
        PyErr_Format(PyExc_TypeError, "%s(buffer): buffer must be an AudioBuffer, got %.200s", fn,
                     LSPY_TP_NAME(o));
        return -1;
    }
    return 0;
}

/* _save_wav(buffer, path, format): write a WAV file (AudioBuffer.save,
 * labsound/_files.py); format an ls_wav_format */
static PyObject *
save_wav(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    lspy_state *st = module_state(module);
    PyObject *path = NULL;
    Py_ssize_t fmt;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "_save_wav(buffer, path, format) takes 3 arguments");
        return NULL;
    }
    if (check_buffer(st, args[0], "save") < 0 || lspy_arg_index(args[2], "save", "bits", &fmt) < 0 ||
        !PyUnicode_FSConverter(args[1], &path)) {
        return NULL;
    }
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_buffer_save_wav(((lspy_BufferObject *)args[0])->buf, LSPY_BYTES_DATA(path),
                           (ls_wav_format)fmt);
    Py_END_ALLOW_THREADS
    Py_DECREF(path);
    if (r == LS_ERROR_IO) {
        return PyErr_Format(PyExc_OSError, "save(path): cannot write %R", args[1]);
    }
    if (r != LS_OK) {
        return lspy_raise(st, r, "save(path): cannot write %R (%s)", args[1], ls_result_string(r));
    }
    Py_RETURN_NONE;
}

static const char *const resample_names[] = {"buffer", "sample_rate", NULL};
static const lspy_argspec resample_spec = {"resample", resample_names, 2, 2};

/* resample(buffer, sample_rate): a new AudioBuffer at another rate. */
static PyObject *
resample(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    lspy_state *st = module_state(module);
    PyObject *v[2];
    double sr;
    if (lspy_parse_fast(&resample_spec, args, nargs, kwnames, v) < 0 ||
        check_buffer(st, v[0], "resample") < 0 || lspy_arg_sample_rate(st, v[1], "resample", &sr) < 0) {
        return NULL;
    }
    ls_buffer *in = ((lspy_BufferObject *)v[0])->buf, *out = NULL;
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_buffer_resample(in, sr, &out);
    Py_END_ALLOW_THREADS
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "resample");
    }
    return lspy_buffer_wrap(st, out);
}

/* _mix_to_mono(buffer) */
static PyObject *
mix_to_mono(PyObject *module, PyObject *buf)
{
    lspy_state *st = module_state(module);
    if (check_buffer(st, buf, "mix_to_mono") < 0) {
        return NULL;
    }
    ls_buffer *out = NULL;
    ls_result r = ls_buffer_mix_to_mono(((lspy_BufferObject *)buf)->buf, &out);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "mix_to_mono");
    }
    return lspy_buffer_wrap(st, out);
}

/* decode_audio_data (labsound/_files.py: decode, then resample to the
 * context's rate) and create_buffer_source(path)'s load. */
PyObject *
lspy_ctx_decode_audio_data(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames)
{
    return lspy_py_call("labsound._files", "decode_audio_data", self, args, nargs, kwnames);
}

PyObject *
lspy_load_for_context(PyObject *ctx, PyObject *path)
{
    return lspy_py_call("labsound._files", "decode_audio_data", ctx, &path, 1, NULL);
}

/* WAV files written in blocks (OfflineAudioContext.render_to): a capsule
 * holds the ls_wav_writer; closing it (or dropping it) ends the file. */
#define WAV_WRITER_NAME "labsound.wav_writer"

static void
wav_writer_capsule_free(PyObject *cap)
{
    if (PyCapsule_IsValid(cap, WAV_WRITER_NAME)) {   /* else closed already */
        ls_wav_writer_close(PyCapsule_GetPointer(cap, WAV_WRITER_NAME));
    }
}

/* _wav_writer_open(path, channels, sample_rate, bits) */
static PyObject *
wav_writer_open(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    lspy_state *st = module_state(module);
    const char *fn = "_wav_writer_open";
    if (nargs != 4) {
        PyErr_Format(PyExc_TypeError, "%s() takes 4 arguments (%zd given)", fn, nargs);
        return NULL;
    }
    PyObject *path = NULL;
    Py_ssize_t ch, bits;
    double rate;
    if (!PyUnicode_FSConverter(args[0], &path)) {
        return NULL;
    }
    if (lspy_arg_index(args[1], fn, "channels", &ch) < 0 ||
        lspy_arg_double(args[2], fn, "sample_rate", &rate) < 0 ||
        lspy_arg_index(args[3], fn, "bits", &bits) < 0) {
        Py_DECREF(path);
        return NULL;
    }
    ls_wav_format fmt = bits == 8 ? LS_WAV_PCM8 : bits == 16 ? LS_WAV_PCM16
                      : bits == 24 ? LS_WAV_PCM24 : bits == 32 ? LS_WAV_FLOAT32
                      : bits == 64 ? LS_WAV_FLOAT64 : bits == 0x120 ? LS_WAV_PCM32 : (ls_wav_format)0;
    ls_wav_writer *w = NULL;
    ls_result r = ls_wav_writer_open(LSPY_BYTES_DATA(path), (uint32_t)(ch < 0 ? 0 : ch), rate, fmt, &w);
    if (r != LS_OK) {
        if (r == LS_ERROR_IO) {
            PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, args[0]);
        } else {
            lspy_raise(st, r, "%s(): cannot write %R (%s)", fn, args[0], ls_result_string(r));
        }
        Py_DECREF(path);
        return NULL;
    }
    Py_DECREF(path);
    PyObject *cap = PyCapsule_New(w, WAV_WRITER_NAME, wav_writer_capsule_free);
    if (cap == NULL) {
        ls_wav_writer_close(w);
    }
    return cap;
}

/* _wav_writer_write(writer, block): block a float32 (channels, frames) array
 * with contiguous rows. */
static PyObject *
wav_writer_write(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    lspy_state *st = module_state(module);
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "_wav_writer_write() takes 2 arguments");
        return NULL;
    }
    ls_wav_writer *w = PyCapsule_GetPointer(args[0], WAV_WRITER_NAME);
    if (w == NULL) {
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[1], &view, PyBUF_STRIDES | PyBUF_FORMAT) < 0) {
        return NULL;
    }
    if (view.ndim != 2 || view.itemsize != 4 || view.format == NULL || strcmp(view.format, "f") != 0 ||
        view.strides[1] != 4 || view.strides[0] % 4 != 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "_wav_writer_write(block): a float32 (channels, frames) "
                        "array with contiguous rows is needed");
        return NULL;
    }
    ls_result r;
    size_t stride = view.shape[0] > 1 ? (size_t)(view.strides[0] / 4) : (size_t)view.shape[1];
    Py_BEGIN_ALLOW_THREADS
    r = ls_wav_writer_write(w, (const float *)view.buf, stride, (uint64_t)view.shape[1]);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (r == LS_ERROR_IO) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    if (r != LS_OK) {
        return lspy_raise(st, r, "render_to(): the WAV file would pass 4 GiB (%s)", ls_result_string(r));
    }
    Py_RETURN_NONE;
}

/* _wav_writer_close(writer): fill in the sizes and close (once). */
static PyObject *
wav_writer_close(PyObject *module, PyObject *cap)
{
    ls_wav_writer *w = PyCapsule_GetPointer(cap, WAV_WRITER_NAME);
    if (w == NULL) {
        return NULL;
    }
    if (PyCapsule_SetName(cap, "labsound.wav_writer.closed") < 0) {
        return NULL;
    }
    ls_result r = ls_wav_writer_close(w);
    if (r != LS_OK) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    Py_RETURN_NONE;
}

static PyMethodDef files_methods[] = {
    {"_wav_writer_open", (PyCFunction)(void (*)(void))wav_writer_open, METH_FASTCALL,
     "_wav_writer_open(path, channels, sample_rate, bits, /)\n--\n\nA WAV file written in blocks."},
    {"_wav_writer_write", (PyCFunction)(void (*)(void))wav_writer_write, METH_FASTCALL,
     "_wav_writer_write(writer, block, /)\n--\n\nAppend a float32 (channels, frames) block."},
    {"_wav_writer_close", (PyCFunction)wav_writer_close, METH_O,
     "_wav_writer_close(writer, /)\n--\n\nFill in the sizes and close the file."},
    {"_save_wav", (PyCFunction)(void (*)(void))save_wav, METH_FASTCALL,
     "_save_wav(buffer, path, format, /)\n--\n\nWrite a WAV file (see AudioBuffer.save)."},
    {"_decode_wav", (PyCFunction)decode_wav, METH_O,
     "_decode_wav(data, /)\n--\n\nAn AudioBuffer from the bytes of a WAV file (DecodeError if malformed)."},
    {"_load_wav", (PyCFunction)load_wav, METH_O,
     "_load_wav(path, /)\n--\n\nAn AudioBuffer from a WAV file (DecodeError if malformed)."},
    {"resample", (PyCFunction)(void (*)(void))resample, METH_FASTCALL | METH_KEYWORDS,
     "resample(buffer, sample_rate)\n--\n\n"
     "A new AudioBuffer holding buffer converted to sample_rate with a band-limited\n"
     "(windowed-sinc, Kaiser) filter: flat to 0.9 of the lower Nyquist frequency,\n"
     "at least 120 dB down from it on."},
    {"_mix_to_mono", (PyCFunction)mix_to_mono, METH_O,
     "_mix_to_mono(buffer, /)\n--\n\nA one-channel AudioBuffer: the mean of the channels."},
    {NULL, NULL, 0, NULL}
};

int
lspy_files_init(PyObject *m, lspy_state *st)
{
    return PyModule_AddFunctions(m, files_methods);
}
