/*
 * Audio devices: labsound.devices(), the device side of AudioContext
 * (device=, latency_hint=, the fallback to the null sink with one warning,
 * base_latency / output_latency, the backend counters in ctx.stats),
 * create_microphone() and MediaStreamAudioSourceNode. A lost device's
 * statechange reaches Python through the context's ordinary event dispatch.
 */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#define CTX(o) ((lspy_ContextObject *)(o))

/* One warning per process when AudioContext() falls back to the null sink. */
static int warned_fallback;

static const char *const hint_names[] = {"interactive", "balanced", "playback", NULL};

/* ------------------------------------------------------------------ */
/* devices()                                                           */
/* ------------------------------------------------------------------ */

static PyObject *
device_dict(const ls_device_info *d)
{
    return Py_BuildValue(
        "{sisssssIsIsdsdsdsdsdsOsO}",
        "index", (int)d->index,
        "name", d->name,
        "host_api", d->host_api,
        "max_input_channels", (unsigned)d->max_input_channels,
        "max_output_channels", (unsigned)d->max_output_channels,
        "default_sample_rate", d->default_sample_rate,
        "default_low_output_latency", d->default_low_output_latency,
        "default_high_output_latency", d->default_high_output_latency,
        "default_low_input_latency", d->default_low_input_latency,
        "default_high_input_latency", d->default_high_input_latency,
        "is_default_output", d->is_default_output ? Py_True : Py_False,
        "is_default_input", d->is_default_input ? Py_True : Py_False);
}

PyObject *
lspy_devices_list(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    lspy_state *st = (lspy_state *)PyModule_GetState(module);
    ls_device_info *list = NULL;
    uint32_t count = 0;
    ls_result r;
    char why[512];
    Py_BEGIN_ALLOW_THREADS
    r = ls_devices_list(&list, &count);
    snprintf(why, sizeof why, "%s", ls_devices_last_error());
    Py_END_ALLOW_THREADS
    if (r != LS_OK) {
        return lspy_raise(st, r, "devices(): %s", why[0] ? why : ls_result_string(r));
    }
    PyObject *out = PyList_New(0);
    for (uint32_t i = 0; out != NULL && i < count; i++) {
        PyObject *d = device_dict(&list[i]);
        if (d == NULL || PyList_Append(out, d) < 0) {
            Py_CLEAR(out);
        }
        Py_XDECREF(d);
    }
    ls_devices_free(list);
    return out;
}

PyObject *
lspy_devices_available(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    int ok;
    char why[512] = "";
    Py_BEGIN_ALLOW_THREADS
    ok = ls_devices_available();
    if (!ok) {
        ls_device_info *list = NULL;
        uint32_t n = 0;
        ls_devices_list(&list, &n);     /* fails, and says why */
        ls_devices_free(list);
        snprintf(why, sizeof why, "%s", ls_devices_last_error());
    }
    Py_END_ALLOW_THREADS
    return Py_BuildValue("(Os)", ok ? Py_True : Py_False, why);
}

/* ------------------------------------------------------------------ */
/* AudioContext(device=..., latency_hint=...)                          */
/* ------------------------------------------------------------------ */

int
lspy_device_context_new(lspy_state *st, const ls_context_options *o, PyObject *device,
                        PyObject *latency_hint, ls_context **out)
{
    const char *fn = "AudioContext";
    ls_device_options d = ls_device_options_default();
    if (latency_hint != NULL && latency_hint != Py_None) {
        if (PyUnicode_Check(latency_hint)) {
            int h;
            if (lspy_arg_enum(latency_hint, fn, "latency_hint", hint_names, &h) < 0) {
                return -1;
            }
            d.latency_hint = (ls_latency_hint)h;
            if (h != LS_LATENCY_INTERACTIVE) {
                d.frames_per_buffer = LS_DEVICE_FRAMES_ANY;
            }
        }
        else {
            double s;
            if (lspy_arg_time(latency_hint, fn, "latency_hint", &s) < 0) {
                return -1;
            }
            if (s > 10.0) {
                PyErr_Format(PyExc_ValueError,
                             "%s(latency_hint): latency_hint must be at most 10 seconds, got %R",
                             fn, latency_hint);
                return -1;
            }
            d.latency_hint = LS_LATENCY_SECONDS;
            d.latency = s;
            d.frames_per_buffer = LS_DEVICE_FRAMES_ANY;
        }
    }

    int explicit_device = device != NULL && device != Py_None;
    const char *env = getenv("LABSOUND_BACKEND");
    if (explicit_device ? PyUnicode_Check(device) &&
                              PyUnicode_CompareWithASCIIString(device, "null") == 0
                        : env != NULL && strcmp(env, "null") == 0) {
        /* device="null", or no device and LABSOUND_BACKEND=null: the null sink */
        ls_context_options n = *o;
        n.backend = LS_BACKEND_NULL;
        ls_result r = ls_context_create(&n, out);
        if (r != LS_OK) {
            lspy_raise_call(st, r, fn);
            return -1;
        }
        return 0;
    }
    if (explicit_device) {
        if (PyUnicode_Check(device)) {
            /* by name: labsound/_devices.py finds it among the output devices */
            PyObject *idx = lspy_py_call("labsound._devices", "_output_index", device, NULL, 0,
                                         NULL);
            long i = idx != NULL ? PyLong_AsLong(idx) : -1;
            Py_XDECREF(idx);
            if (i < 0 || i > INT32_MAX) {
                return -1;
            }
            d.output_device = (int32_t)i;
        }
        else {
            Py_ssize_t idx;
            if (lspy_arg_index(device, fn, "device", &idx) < 0) {
                return -1;
            }
            if (idx < 0 || idx > INT32_MAX) {
                PyErr_Format(PyExc_IndexError,
                             "%s(device): device must be a device index from devices(), got %zd", fn, idx);
                return -1;
            }
            d.output_device = (int32_t)idx;
        }
    }

    ls_result r;
    char why[512];
    Py_BEGIN_ALLOW_THREADS
    r = ls_device_context_create(o, &d, out);
    snprintf(why, sizeof why, "%s", ls_devices_last_error());
    Py_END_ALLOW_THREADS
    if (r == LS_OK) {
        return 0;
    }
    if (explicit_device) {
        lspy_raise(st, r, "%s(device): device %R cannot be opened: %s", fn, device,
                   why[0] ? why : ls_result_string(r));
        return -1;
    }
    if (r == LS_ERROR_RANGE || r == LS_ERROR_NO_MEM) {
        lspy_raise_call(st, r, fn);
        return -1;
    }
    if (!warned_fallback) {
        warned_fallback = 1;
        PyObject *msg = PyUnicode_FromFormat(
            "labsound: no audio output, so AudioContext() renders to the silent null sink "
            "instead. Reason: %s. (Pass device='null' or set LABSOUND_BACKEND=null to choose "
            "the null sink without this warning.)",
            why[0] ? why : ls_result_string(r));
        if (msg == NULL) {
            return -1;
        }
        int w = PyErr_WarnEx(PyExc_RuntimeWarning, PyUnicode_AsUTF8AndSize(msg, NULL), 1);
        Py_DECREF(msg);
        if (w < 0) {
            return -1;
        }
    }
    ls_context_options n = *o;
    n.backend = LS_BACKEND_NULL;
    r = ls_context_create(&n, out);
    if (r != LS_OK) {
        lspy_raise_call(st, r, fn);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* AudioContext attributes                                             */
/* ------------------------------------------------------------------ */

static int
check_ctx(lspy_ContextObject *self)
{
    if (self->ctx == NULL) {
        lspy_state *st = LSPY_STATE(self);
        if (st != NULL) {
            lspy_raise(st, LS_ERROR_INVALID_STATE, "the context is not initialized");
        }
        return -1;
    }
    return 0;
}

/* base_latency (closure NULL) and output_latency */
PyObject *
lspy_rt_get_latency(PyObject *self, void *output)
{
    if (check_ctx(CTX(self)) < 0) {
        return NULL;
    }
    double base, out;
    ls_context_latency(CTX(self)->ctx, &base, &out);
    return PyFloat_FromDouble(output ? out : base);
}

PyObject *
lspy_rt_get_backend(PyObject *self, void *c)
{
    if (check_ctx(CTX(self)) < 0) {
        return NULL;
    }
    return PyUnicode_FromString(ls_context_backend_name(CTX(self)->ctx));
}

/* Add the backend's counters to the stats dict. 0 or -1. */
int
lspy_devices_add_stats(ls_context *ctx, PyObject *dict)
{
    ls_device_stats s;
    ls_context_device_stats(ctx, &s);
    PyObject *v = Py_BuildValue(
        "{sssKsKsKsKsKsdsdsIsOsi}",
        "backend", ls_context_backend_name(ctx),
        "callbacks", (unsigned long long)s.callbacks,
        "underruns", (unsigned long long)s.underruns,
        "overloads", (unsigned long long)s.overloads,
        "input_dropouts", (unsigned long long)s.input_dropouts,
        "input_channels", (unsigned long long)ls_context_input_channels(ctx),
        "render_load", s.render_load,
        "max_render_load", s.max_render_load,
        "frames_per_buffer", (unsigned)s.frames_per_buffer,
        "device_lost", s.device_lost ? Py_True : Py_False,
        "realtime_priority", (int)s.realtime_priority);
    if (v == NULL) {
        return -1;
    }
    int rc = PyDict_Update(dict, v);
    Py_DECREF(v);
    return rc;
}

/* ------------------------------------------------------------------ */
/* create_microphone() / MediaStreamAudioSourceNode                    */
/* ------------------------------------------------------------------ */

static PyObject *
microphone_new(lspy_state *st, PyObject *ctx_obj, PyObject *device, PyObject *channels,
               const char *fn)
{
    lspy_ContextObject *ctx = CTX(ctx_obj);
    if (ctx->offline) {
        return lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                          "%s(): an OfflineAudioContext has no audio input", fn);
    }
    Py_ssize_t ch = 1, dev = -1;
    if (lspy_arg_channels(st, channels, fn, "channels", &ch) < 0) {
        return NULL;
    }
    if (device != NULL && device != Py_None) {
        if (lspy_arg_index(device, fn, "device", &dev) < 0) {
            return NULL;
        }
        if (dev < 0 || dev > INT32_MAX) {
            PyErr_Format(PyExc_IndexError,
                         "%s(device): device must be a device index from devices(), got %zd", fn, dev);
            return NULL;
        }
    }
    ls_result r;
    char why[512];
    Py_BEGIN_ALLOW_THREADS
    r = ls_context_open_input(ctx->ctx, (int32_t)dev, (uint32_t)ch);
    snprintf(why, sizeof why, "%s", ls_devices_last_error());
    Py_END_ALLOW_THREADS
    if (r != LS_OK) {
        return lspy_raise(st, r, "%s(): audio input cannot be opened: %s", fn,
                          why[0] ? why : ls_result_string(r));
    }
    ls_node *n = NULL;
    r = ls_media_stream_source_create(ctx->ctx, &n);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, fn);
    }
    return lspy_node_wrap(st, st->MediaStreamAudioSourceNode_Type, ctx_obj, n);
}

static const char *const mic_names[] = {"device", "channels", NULL};
static const lspy_argspec mic_spec = {"create_microphone", mic_names, 2, 0};
static const lspy_argspec mss_spec = {"create_media_stream_source", mic_names, 2, 0};

static PyObject *
create_input(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw,
             const lspy_argspec *spec)
{
    lspy_state *st = LSPY_STATE(self);
    PyObject *v[2];
    if (st == NULL || check_ctx(CTX(self)) < 0 || lspy_parse_fast(spec, args, nargs, kw, v) < 0) {
        return NULL;
    }
    return microphone_new(st, self, v[0], v[1], spec->fname);
}

PyObject *
lspy_ctx_create_microphone(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    return create_input(self, args, nargs, kw, &mic_spec);
}

PyObject *
lspy_ctx_create_media_stream_source(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                    PyObject *kw)
{
    return create_input(self, args, nargs, kw, &mss_spec);
}

static const char *const mss_new_names[] = {"context", "device", "channels", NULL};
static const lspy_argspec mss_new_spec = {"MediaStreamAudioSourceNode", mss_new_names, 3, 1};

static PyObject *
mss_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    PyObject *v[3];
    if (st == NULL || lspy_parse_tuple(&mss_new_spec, args, kwargs, v) < 0 ||
        lspy_context_check(st, v[0], "MediaStreamAudioSourceNode") < 0) {
        return NULL;
    }
    return microphone_new(st, v[0], v[1], v[2], "MediaStreamAudioSourceNode");
}

/* GC, traverse, clear and dealloc come from AudioNode (one object layout) */
static PyType_Slot mss_slots[] = {
    {Py_tp_doc, "MediaStreamAudioSourceNode(context, device=None, channels=1)\n--\n\n"
                "The context's captured audio input (a microphone, a line in, a sound\n"
                "server's source), as a source node with `channels` channels. The same as\n"
                "context.create_microphone(device, channels) and\n"
                "context.create_media_stream_source(device, channels), on an AudioContext\n"
                "(a real-time context) only."},
    {Py_tp_new, mss_new},
    {0, NULL}
};

PyType_Spec lspy_MediaStreamAudioSourceNode_spec = {
    "labsound.MediaStreamAudioSourceNode", sizeof(lspy_NodeObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, mss_slots
};
