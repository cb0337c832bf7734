/*
 * BaseAudioContext, AudioContext (real-time), OfflineAudioContext, and the
 * Event objects handed to onended handlers.
 *
 * Events: the engine queues an "ended" event for a source node that the
 * binding still references. A wrapper whose onended handler is set and that
 * has been started is kept in the context's `pending` dict, so it (and its
 * engine reference) lives until its event is dispatched even when the user
 * drops it. Events are dispatched on Python threads only: for a real-time
 * context by a daemon thread (labsound._events) polling every few
 * milliseconds, and by wait(); for an offline context right after rendering.
 */
#include "core.h"

#include <math.h>

#define CTX(o) ((lspy_ContextObject *)(o))

/* ------------------------------------------------------------------ */

static double
monotonic_seconds(void)
{
#ifdef _WIN32
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart / (double)f.QuadPart;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
#endif
}

static void
sleep_seconds(double s)
{
#ifdef _WIN32
    Sleep((DWORD)(s * 1000.0 + 0.5));
#else
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);   /* a signal cuts it short; the caller checks signals */
#endif
}

/* ------------------------------------------------------------------ */
/* Pending handlers and dispatch                                       */
/* ------------------------------------------------------------------ */

int
lspy_context_register(lspy_ContextObject *ctx, lspy_NodeObject *node)
{
    if (ctx->ctx == NULL || node->node == NULL ||
        ls_context_get_state(ctx->ctx) == LS_CONTEXT_STATE_CLOSED) {
        return 0;       /* no event will come */
    }
    if (ctx->pending == NULL) {
        ctx->pending = PyDict_New();
        if (ctx->pending == NULL) {
            return -1;
        }
    }
    PyObject *key = PyLong_FromVoidPtr(node->node);
    if (key == NULL) {
        return -1;
    }
    int rc = PyDict_SetItem(ctx->pending, key, (PyObject *)node);
    Py_DECREF(key);
    if (rc == 0) {
        node->registered = 1;
    }
    return rc;
}

void
lspy_context_unregister(lspy_ContextObject *ctx, lspy_NodeObject *node)
{
    node->registered = 0;
    if (ctx->pending == NULL || node->node == NULL) {
        return;
    }
    PyObject *key = PyLong_FromVoidPtr(node->node);
    if (key == NULL) {
        PyErr_Clear();
        return;
    }
    if (PyDict_DelItem(ctx->pending, key) < 0) {
        PyErr_Clear();
    }
    Py_DECREF(key);
}

/* Drop every pending wrapper: no further event will come for them. */
static void
drop_pending(lspy_ContextObject *self)
{
    PyObject *pending = self->pending;
    if (pending == NULL) {
        return;
    }
    self->pending = NULL;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(pending, &pos, &key, &value)) {
        ((lspy_NodeObject *)value)->registered = 0;
    }
    Py_DECREF(pending);
}

/* Call handler(Event(type, target, time)) if handler is set (the Event class
 * of labsound/_events.py); an exception in the handler is reported, as the
 * spec does, not raised. -1 only when the event cannot be made. */
static int
call_handler(lspy_state *st, PyObject *handler, PyObject *type, PyObject *target, double time,
             PyObject *rendered_buffer)
{
    if (handler == NULL) {
        return 0;
    }
    Py_INCREF(handler);
    PyObject *cls = lspy_py_attr("labsound._events", "Event");
    PyObject *event = cls == NULL ? NULL :
        PyObject_CallFunction(cls, "OOdO", type, target, time,
                              rendered_buffer ? rendered_buffer : Py_None);
    Py_XDECREF(cls);
    if (event == NULL) {
        Py_DECREF(handler);
        return -1;
    }
    PyObject *res = LSPY_CALL1(handler, event);
    if (res == NULL) {
        PyErr_WriteUnraisable(handler);
    }
    Py_XDECREF(res);
    Py_DECREF(event);
    Py_DECREF(handler);
    return 0;
}

/* LS_EVENT_LATE: a labsound.RealtimeWarning saying how far behind the
 * context is (the counts are in ctx.stats). */
static void
warn_late(lspy_ContextObject *self, double when)
{
    ls_context_stats s;
    memset(&s, 0, sizeof s);
    ls_context_get_stats(self->ctx, &s);
    PyObject *cat = lspy_py_attr("labsound._events", "RealtimeWarning");
    if (cat == NULL) {
        PyErr_WriteUnraisable((PyObject *)self);
        return;
    }
    char load[32], lost[32];
    PyOS_snprintf(load, sizeof load, "%.2f", s.render_load);
    PyOS_snprintf(lost, sizeof lost, "%.3f", s.time_lost);
    char at[32];
    PyOS_snprintf(at, sizeof at, "%.3f", when);
    if (PyErr_WarnFormat(cat, 1,
                         "the AudioContext fell behind real time at %s s: %llu of %llu periods "
                         "late, %s s lost, render load %s (see ctx.stats)",
                         at, (unsigned long long)s.late_periods, (unsigned long long)s.periods,
                         lost, load) < 0) {
        PyErr_WriteUnraisable(cat);
    }
    Py_DECREF(cat);
}

int
lspy_context_dispatch(lspy_state *st, lspy_ContextObject *self)
{
    if (self->ctx == NULL) {
        return 0;
    }
    if (self->initial_statechange == 2 && self->onstatechange != NULL) {
        /* a handler was assigned after the constructor's change: deliver it */
        self->initial_statechange = 0;
        if (call_handler(st, self->onstatechange, st->str_statechange, (PyObject *)self,
                         self->initial_statechange_time, NULL) < 0) {
            return -1;
        }
    }
    ls_event ev;
    while (self->ctx != NULL && ls_context_poll_event(self->ctx, &ev)) {
        if (ev.type == LS_EVENT_LATE) {
            warn_late(self, ev.time);
            continue;
        }
        if (ev.type == LS_EVENT_STATECHANGE) {
            /* The constructor's "running" change happens before the caller can
               assign a handler (in JavaScript the event fires in a later task,
               after the constructing script set onstatechange). It is held
               until a handler is assigned, or dropped by the next change. */
            if (self->initial_statechange == 1 && self->onstatechange == NULL) {
                self->initial_statechange = 2;
                self->initial_statechange_time = ev.time;
                continue;
            }
            if (self->initial_statechange == 2) {
                self->initial_statechange = 0;
                if (self->onstatechange != NULL &&
                    call_handler(st, self->onstatechange, st->str_statechange, (PyObject *)self,
                                 self->initial_statechange_time, NULL) < 0) {
                    return -1;
                }
            }
            self->initial_statechange = 0;
            if (call_handler(st, self->onstatechange, st->str_statechange, (PyObject *)self,
                             ev.time, NULL) < 0) {
                return -1;
            }
            continue;
        }
        if (ev.node == NULL) {
            continue;
        }
        if (ev.type != LS_EVENT_ENDED || self->pending == NULL) {
            ls_node_release(ev.node);
            continue;
        }
        PyObject *key = PyLong_FromVoidPtr(ev.node);
        if (key == NULL) {
            ls_node_release(ev.node);
            return -1;
        }
        PyObject *node = PyDict_GetItemWithError(self->pending, key);
        if (node == NULL) {
            Py_DECREF(key);
            ls_node_release(ev.node);
            if (PyErr_Occurred()) {
                return -1;
            }
            continue;
        }
        Py_INCREF(node);
        if (PyDict_DelItem(self->pending, key) < 0) {
            PyErr_Clear();
        }
        Py_DECREF(key);
        ls_node_release(ev.node);      /* the wrapper still holds its own reference */
        lspy_NodeObject *n = (lspy_NodeObject *)node;
        n->registered = 0;
        int rc = call_handler(st, n->onended, st->str_ended, node, ev.time, NULL);
        Py_DECREF(node);
        if (rc < 0) {
            return -1;
        }
    }
    return 0;
}

/* Drop queued events without dispatching them. */
static void
drain_events(lspy_ContextObject *self)
{
    ls_event ev;
    if (self->ctx == NULL) {
        return;
    }
    while (ls_context_poll_event(self->ctx, &ev)) {
        if (ev.node != NULL) {
            ls_node_release(ev.node);
        }
    }
}

/* ------------------------------------------------------------------ */
/* BaseAudioContext                                                    */
/* ------------------------------------------------------------------ */

int
lspy_context_check(lspy_state *st, PyObject *o, const char *fn)
{
    if (o == NULL || !PyObject_TypeCheck(o, st->BaseAudioContext_Type)) {
        PyErr_Format(PyExc_TypeError,
                     "%s(context): context must be an AudioContext or an OfflineAudioContext, got %.200s",
                     fn, o ? LSPY_TP_NAME(o) : "nothing");
        return -1;
    }
    if (CTX(o)->ctx == NULL) {
        lspy_raise(st, LS_ERROR_INVALID_STATE, "%s(context): the context is not initialized", fn);
        return -1;
    }
    return 0;
}

static int
check_self(lspy_state *st, lspy_ContextObject *self)
{
    if (st == NULL) {
        return -1;
    }
    if (self->ctx == NULL) {
        lspy_raise(st, LS_ERROR_INVALID_STATE, "the context is not initialized");
        return -1;
    }
    return 0;
}

/* the handlers: onstatechange, oncomplete, suspend_callbacks (in a row) */
#define HANDLERS(self) (&(self)->onstatechange)

static int
ctx_traverse(lspy_ContextObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->pending);
    Py_VISIT(self->scripts);
    return lspy_visit_refs(HANDLERS(self), 3, visit, arg);
}

static int
ctx_clear(lspy_ContextObject *self)
{
    drop_pending(self);
    lspy_clear_refs(HANDLERS(self), 3);
    return 0;
}

static void
ctx_dealloc(lspy_ContextObject *self)
{
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL) {
        PyObject_ClearWeakRefs((PyObject *)self);
    }
    drop_pending(self);
    if (self->ctx != NULL) {
        ls_context *c = self->ctx;
        if (!self->offline) {
            /* nothing can reach the context any more: stop its backend */
            Py_BEGIN_ALLOW_THREADS
            ls_context_close(c);
            Py_END_ALLOW_THREADS
        }
        drain_events(self);
        self->ctx = NULL;
        ls_context_release(c);
    }
    Py_CLEAR(self->scripts);    /* after closing: the kernels are given back */
    lspy_dealloc((PyObject *)self, NULL, (inquiry)ctx_clear);
}

static PyObject *
base_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyErr_SetString(PyExc_TypeError,
                    "BaseAudioContext cannot be instantiated; use AudioContext or OfflineAudioContext");
    return NULL;
}

/* current_time (closure NULL) and sample_rate */
static PyObject *
ctx_get_time_or_rate(lspy_ContextObject *self, void *rate)
{
    if (check_self(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble(rate ? ls_context_sample_rate(self->ctx)
                                   : ls_context_current_time(self->ctx));
}

static PyObject *
ctx_get_render_quantum_size(lspy_ContextObject *self, void *c)
{
    return PyLong_FromLong(LS_RENDER_QUANTUM);
}

/* interpolation: None (LS_INTERPOLATION_DEFAULT: the engine's choice) or
 * one of these, in ls_interpolation order from LS_INTERPOLATION_LINEAR */
static const char *const interpolation_names[] = {"linear", "cubic", "sinc", NULL};

static int
interpolation_arg(PyObject *o, const char *fn, const char *arg, int *out)
{
    int e = -1;
    if (o != Py_None && lspy_arg_enum(o, fn, arg, interpolation_names, &e) < 0) {
        return -1;
    }
    *out = LS_INTERPOLATION_LINEAR + e;     /* None: DEFAULT */
    return 0;
}

static PyObject *
ctx_get_interpolation(lspy_ContextObject *self, void *c)
{
    if (check_self(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    int m = (int)ls_context_interpolation(self->ctx);
    if (m < LS_INTERPOLATION_LINEAR || m > LS_INTERPOLATION_SINC) {
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(interpolation_names[m - LS_INTERPOLATION_LINEAR]);
}

static int
ctx_set_interpolation(lspy_ContextObject *self, PyObject *value, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    int m;
    if (check_self(st, self) < 0) {
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute 'interpolation'");
        return -1;
    }
    if (interpolation_arg(value, NULL, "interpolation", &m) < 0) {
        return -1;
    }
    ls_result r = ls_context_set_interpolation(self->ctx, (ls_interpolation)m);
    return r == LS_OK ? 0 : (lspy_raise_call(st, r, "interpolation"), -1);
}

static PyObject *
ctx_get_state(lspy_ContextObject *self, void *c)
{
    if (check_self(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    unsigned s = (unsigned)ls_context_get_state(self->ctx);
    return PyUnicode_FromString(s <= 2 ? lspy_context_state_names[s] : "closed");
}

static PyObject *
ctx_get_destination(lspy_ContextObject *self, void *c)
{
    lspy_state *st = LSPY_STATE(self);
    if (check_self(st, self) < 0) {
        return NULL;
    }
    if (self->dest != NULL) {
        Py_INCREF(self->dest);
        return (PyObject *)self->dest;
    }
    ls_node *d = ls_context_destination(self->ctx);
    if (d == NULL) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE, "destination: the context has no destination");
    }
    PyTypeObject *type = st->AudioDestinationNode_Type;
    lspy_NodeObject *node = (lspy_NodeObject *)LSPY_ALLOC(type);
    if (node == NULL) {
        return NULL;
    }
    node->node = d;
    node->is_dest = 1;
    Py_INCREF(self);
    node->context = (PyObject *)self;
    self->dest = node;      /* borrowed: the wrapper clears it when it goes */
    return (PyObject *)node;
}

static PyObject *
ctx_get_stats(lspy_ContextObject *self, void *c)
{
    if (check_self(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    ls_context_stats s;
    memset(&s, 0, sizeof s);
    ls_context_collect(self->ctx);
    ls_context_get_stats(self->ctx, &s);
    PyObject *d = Py_BuildValue("{sKsKsKsKsK}",
                         "quanta_rendered", (unsigned long long)s.quanta_rendered,
                         "live_nodes", (unsigned long long)s.live_nodes,
                         "pool_exhausted", (unsigned long long)s.pool_exhausted,
                         "messages_sent", (unsigned long long)s.messages_sent,
                         "stream_underruns", (unsigned long long)s.stream_underruns);
    if (d != NULL && !self->offline && lspy_devices_add_stats(self->ctx, d) < 0) {
        Py_CLEAR(d);
    }
    if (d != NULL && !self->offline) {
        /* timing on every backend (the null sink's too), after the device's
         * counters so that render_load is the context's */
        PyObject *t = Py_BuildValue("{sKsKsdsdsd}",
                                    "periods", (unsigned long long)s.periods,
                                    "late_periods", (unsigned long long)s.late_periods,
                                    "time_lost", s.time_lost,
                                    "render_load", s.render_load,
                                    "max_render_load", s.max_render_load);
        if (t == NULL || PyDict_Update(d, t) < 0) {
            Py_CLEAR(d);
        }
        Py_XDECREF(t);
    }
    return d;
}

static PyObject *
ctx_repr(lspy_ContextObject *self)
{
    if (self->ctx == NULL) {
        return PyUnicode_FromFormat("<%s (uninitialized)>", LSPY_TP_NAME(self));
    }
    unsigned s = (unsigned)ls_context_get_state(self->ctx);
    PyObject *sr = PyFloat_FromDouble(ls_context_sample_rate(self->ctx));
    PyObject *t = PyFloat_FromDouble(ls_context_current_time(self->ctx));
    PyObject *r = NULL;
    if (sr != NULL && t != NULL) {
        r = PyUnicode_FromFormat("<%s state='%s' sample_rate=%R current_time=%R>",
                                 LSPY_TP_NAME(self),
                                 s <= 2 ? lspy_context_state_names[s] : "closed", sr, t);
    }
    Py_XDECREF(sr);
    Py_XDECREF(t);
    return r;
}

/* Factories ----------------------------------------------------------- */

static const char *const create_buffer_names[] = {"number_of_channels", "length", "sample_rate", NULL};
static const lspy_argspec create_buffer_spec = {"create_buffer", create_buffer_names, 3, 3};

static PyObject *
ctx_create_buffer(lspy_ContextObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    PyObject *v[3];
    if (check_self(st, self) < 0 || lspy_parse_fast(&create_buffer_spec, args, nargs, kw, v) < 0) {
        return NULL;
    }
    return lspy_create_buffer(st, "create_buffer", v[0], v[1], v[2]);
}

static const char *const create_wave_names[] = {"real", "imag", "disable_normalization",
                                                "constraints", NULL};
static const lspy_argspec create_wave_spec = {"create_periodic_wave", create_wave_names, 3, 2};

static PyObject *
ctx_create_periodic_wave(lspy_ContextObject *self, PyObject *const *args, Py_ssize_t nargs,
                         PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    PyObject *v[4];
    const char *fn = create_wave_spec.fname;
    if (check_self(st, self) < 0 || lspy_parse_fast(&create_wave_spec, args, nargs, kw, v) < 0) {
        return NULL;
    }
    PyObject *dn = v[2], *constraints = v[3];
    if (dn != NULL && PyDict_Check(dn)) {
        /* create_periodic_wave(real, imag, {"disable_normalization": True}), as in the spec */
        if (constraints != NULL) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument 'constraints'", fn);
            return NULL;
        }
        constraints = dn;
        dn = NULL;
    }
    int disable = 0;
    if (constraints != NULL && constraints != Py_None) {
        if (!PyDict_Check(constraints)) {
            PyErr_Format(PyExc_TypeError, "%s(constraints): constraints must be a dict, got %.200s",
                         fn, LSPY_TP_NAME(constraints));
            return NULL;
        }
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(constraints, &pos, &key, &value)) {
            if (PyUnicode_Check(key) &&
                (PyUnicode_CompareWithASCIIString(key, "disable_normalization") == 0 ||
                 PyUnicode_CompareWithASCIIString(key, "disableNormalization") == 0)) {
                if (dn != NULL) {
                    PyErr_Format(PyExc_TypeError,
                                 "%s() got disable_normalization both directly and in constraints", fn);
                    return NULL;
                }
                dn = value;
            }
            else {
                PyErr_Format(PyExc_TypeError, "%s(constraints): unknown constraint %R", fn, key);
                return NULL;
            }
        }
    }
    if (dn != NULL && (disable = PyObject_IsTrue(dn)) < 0) {
        return NULL;
    }
    return lspy_create_periodic_wave(st, st->PeriodicWave_Type, (PyObject *)self, v[0], v[1],
                                     disable, fn);
}

static const char *const ctx_connect_names[] = {"source", "destination", "output", "input", NULL};
static const lspy_argspec ctx_connect_spec = {"connect", ctx_connect_names, 4, 2};

static PyObject *
ctx_connect(lspy_ContextObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    PyObject *v[4];
    if (check_self(st, self) < 0 || lspy_parse_fast(&ctx_connect_spec, args, nargs, kw, v) < 0) {
        return NULL;
    }
    if (!PyObject_TypeCheck(v[0], st->AudioNode_Type)) {
        PyErr_Format(PyExc_TypeError, "connect(source): source must be an AudioNode, got %.200s",
                     LSPY_TP_NAME(v[0]));
        return NULL;
    }
    if (lspy_node_connect_to(st, (lspy_NodeObject *)v[0], v[1], v[2], v[3], "connect") < 0) {
        return NULL;
    }
    Py_INCREF(v[1]);
    return v[1];
}

static PyObject *
ctx_disconnect(lspy_ContextObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    if (check_self(st, self) < 0) {
        return NULL;
    }
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "disconnect() missing required argument 'node' (pos 1)");
        return NULL;
    }
    if (!PyObject_TypeCheck(args[0], st->AudioNode_Type)) {
        PyErr_Format(PyExc_TypeError, "disconnect(node): node must be an AudioNode, got %.200s",
                     LSPY_TP_NAME(args[0]));
        return NULL;
    }
    return lspy_node_disconnect_impl(st, (lspy_NodeObject *)args[0], args + 1, nargs - 1, kw);
}

static PyObject *
ctx_dispatch_events(lspy_ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    lspy_state *st = LSPY_STATE(self);
    if (st == NULL) {
        return NULL;
    }
    if (self->ctx == NULL) {
        Py_RETURN_FALSE;
    }
    if (lspy_context_dispatch(st, self) < 0) {
        return NULL;
    }
    if (self->ctx == NULL || ls_context_get_state(self->ctx) == LS_CONTEXT_STATE_CLOSED) {
        /* an event queued as the context closed (its device was lost) */
        if (lspy_context_dispatch(st, self) < 0) {
            return NULL;
        }
        Py_RETURN_FALSE;
    }
    Py_RETURN_TRUE;
}

/* ------------------------------------------------------------------ */
/* AudioContext                                                        */
/* ------------------------------------------------------------------ */

static const char *const rt_names[] = {"sample_rate", "channels", "buffer_size", "latency_hint",
                                       "device", "start", "interpolation", NULL};
static const lspy_argspec rt_spec = {"AudioContext", rt_names, 3, 0};

static PyObject *
rt_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    PyObject *v[7];
    const char *fn = "AudioContext";
    if (st == NULL || lspy_parse_tuple(&rt_spec, args, kwargs, v) < 0) {
        return NULL;
    }
    ls_context_options o = ls_context_options_default();
    o.backend = LS_BACKEND_NULL;
    Py_ssize_t ch = (Py_ssize_t)o.channels;
    if ((v[0] != NULL && v[0] != Py_None && lspy_arg_sample_rate(st, v[0], fn, &o.sample_rate) < 0) ||
        lspy_arg_channels(st, v[1], fn, "channels", &ch) < 0) {
        return NULL;
    }
    o.channels = (uint32_t)ch;
    if (v[2] != NULL) {
        Py_ssize_t bs;
        if (lspy_arg_index(v[2], fn, "buffer_size", &bs) < 0) {
            return NULL;
        }
        if (bs < LS_RENDER_QUANTUM || bs % LS_RENDER_QUANTUM != 0 || bs > (1 << 20)) {
            PyErr_Format(PyExc_ValueError,
                         "%s(buffer_size): buffer_size must be a positive multiple of %d, got %zd",
                         fn, LS_RENDER_QUANTUM, bs);
            return NULL;
        }
        o.buffer_size = (uint32_t)bs;
    }
    if (v[3] != NULL && v[3] != Py_None) {
        PyObject *h = v[3];
        if (PyUnicode_Check(h)) {
            static const char *const hints[] = {"interactive", "balanced", "playback", NULL};
            int ignored;
            if (lspy_arg_enum(h, fn, "latency_hint", hints, &ignored) < 0) {
                return NULL;
            }
        }
        else {
            double d;
            if (lspy_arg_time(h, fn, "latency_hint", &d) < 0) {
                return NULL;
            }
        }
    }

    int start = 1;                  /* the spec: running once allowed to start */
    if (v[5] != NULL) {
        if (!PyBool_Check(v[5])) {
            PyErr_Format(PyExc_TypeError, "%s(start): start must be True or False, got %.200s",
                         fn, LSPY_TP_NAME(v[5]));
            return NULL;
        }
        start = v[5] == Py_True;
    }
    int interp = LS_INTERPOLATION_DEFAULT;
    if (v[6] != NULL && interpolation_arg(v[6], fn, "interpolation", &interp) < 0) {
        return NULL;
    }

    ls_context *c = NULL;
    if (lspy_device_context_new(st, &o, v[4], v[3], &c) < 0) {
        return NULL;
    }
    lspy_ContextObject *self = (lspy_ContextObject *)LSPY_ALLOC(type);
    if (self == NULL) {
        ls_context_close(c);
        ls_context_release(c);
        return NULL;
    }
    self->ctx = c;
    self->channels = o.channels;
    self->offline = 0;
    ls_result ri = ls_context_set_interpolation(c, (ls_interpolation)interp);
    if (ri != LS_OK) {
        Py_DECREF(self);
        return lspy_raise_call(st, ri, "AudioContext(interpolation)");
    }
    if (start) {
        ls_result r;
        self->initial_statechange = 1;
        Py_BEGIN_ALLOW_THREADS
        r = ls_context_resume(c);
        Py_END_ALLOW_THREADS
        if (r != LS_OK) {
            Py_DECREF(self);
            return lspy_raise_call(st, r, "AudioContext(): starting the output");
        }
    }
    PyObject *thread = lspy_py_call("labsound._events", "start", (PyObject *)self, NULL, 0, NULL);
    if (thread == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    Py_DECREF(thread);
    return (PyObject *)self;
}

static PyObject *
state_error(lspy_state *st, lspy_ContextObject *self, ls_result r, const char *fn)
{
    if (r == LS_ERROR_INVALID_STATE) {
        return lspy_raise(st, r, "%s(): the context is closed", fn);
    }
    return lspy_raise_call(st, r, fn);
}

/* resume() and suspend(): closure-less methods over one body */
static PyObject *
rt_run(lspy_ContextObject *self, int resume)
{
    lspy_state *st = LSPY_STATE(self);
    if (check_self(st, self) < 0) {
        return NULL;
    }
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = resume ? ls_context_resume(self->ctx) : ls_context_suspend(self->ctx);
    Py_END_ALLOW_THREADS
    if (r != LS_OK) {
        return state_error(st, self, r, resume ? "resume" : "suspend");
    }
    Py_RETURN_NONE;
}

static PyObject *
rt_resume(lspy_ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    return rt_run(self, 1);
}

static PyObject *
rt_suspend(lspy_ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    return rt_run(self, 0);
}

static int
close_context(lspy_state *st, lspy_ContextObject *self)
{
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_context_close(self->ctx);
    Py_END_ALLOW_THREADS
    /* events queued before the close still happened: hand them out, then
       let go of the handlers that can no longer fire */
    int rc = lspy_context_dispatch(st, self);
    drop_pending(self);
    if (rc < 0) {
        return -1;
    }
    if (r != LS_OK) {
        lspy_raise_call(st, r, "close()");
        return -1;
    }
    return 0;
}

static PyObject *
rt_close(lspy_ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    lspy_state *st = LSPY_STATE(self);
    if (check_self(st, self) < 0 || close_context(st, self) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
rt_enter(lspy_ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *r = rt_resume(self, NULL);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    Py_INCREF(self);
    return (PyObject *)self;
}

static PyObject *
rt_exit(lspy_ContextObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    lspy_state *st = LSPY_STATE(self);
    if (check_self(st, self) < 0 || close_context(st, self) < 0) {
        return NULL;
    }
    Py_RETURN_FALSE;
}

/* wait(seconds) and get_output_timestamp() are written in Python
 * (labsound/_events.py: they dispatch events and read Python's clock). */
LSPY_PY_METHOD(rt_wait, "labsound._events", "wait")
LSPY_PY_METHOD(rt_get_output_timestamp, "labsound._events", "get_output_timestamp")

static PyObject *
rt_get_buffer_size(lspy_ContextObject *self, void *c)
{
    if (check_self(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(ls_context_buffer_size(self->ctx));
}

/* ------------------------------------------------------------------ */
/* OfflineAudioContext                                                 */
/* ------------------------------------------------------------------ */

static const char *const off_names[] = {"number_of_channels", "length", "sample_rate", "channels",
                                        "interpolation", "tail", "max_length", "tail_threshold", NULL};
static const lspy_argspec off_spec = {"OfflineAudioContext", off_names, 3, 0};

/* length=None: the defaults of an open-ended render (docs/tutorials/streams.md) */
#define LSPY_DEFAULT_TAIL 1.0           /* seconds of quiet output */
#define LSPY_DEFAULT_TAIL_THRESHOLD 1e-4 /* -80 dBFS */
#define LSPY_DEFAULT_MAX_SECONDS 3600.0 /* the cap: one hour */

static PyObject *
off_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    lspy_state *st = lspy_state_from_type(type);
    const char *fn = "OfflineAudioContext";
    PyObject *v[8];
    if (st == NULL) {
        return NULL;
    }
    PyObject *spelled = NULL;
    if (LSPY_TUPLE_SIZE(args) == 1 && PyDict_Check(LSPY_TUPLE_ITEM(args, 0)) &&
        (kwargs == NULL || LSPY_DICT_SIZE(kwargs) == 0)) {
        /* OfflineAudioContext({"number_of_channels": ..., "length": ..., "sample_rate": ...}),
         * or with the spec's names ({"numberOfChannels": ..., "sampleRate": ...}) */
        spelled = lspy_snake_keys(fn, LSPY_TUPLE_ITEM(args, 0));
        if (spelled == NULL) {
            return NULL;
        }
        kwargs = spelled;
        args = NULL;
    }
    int parsed = lspy_parse_tuple(&off_spec, args, kwargs, v);
    Py_XDECREF(spelled);
    if (parsed < 0) {
        return NULL;
    }
    PyObject *chan = v[0];
    if (v[3] != NULL) {
        if (chan != NULL) {
            PyErr_Format(PyExc_TypeError, "%s() got both number_of_channels and channels", fn);
            return NULL;
        }
        chan = v[3];
    }
    if (v[1] == NULL || v[2] == NULL) {
        PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'", fn,
                     v[1] == NULL ? "length" : "sample_rate");
        return NULL;
    }
    Py_ssize_t ch = 1, len;
    double sr;
    if (lspy_arg_channels(st, chan, fn, "number_of_channels", &ch) < 0) {
        return NULL;
    }
    int open_end = v[1] == Py_None;
    double tail = LSPY_DEFAULT_TAIL, thr = LSPY_DEFAULT_TAIL_THRESHOLD;
    if (!open_end && (v[5] != NULL || v[6] != NULL || v[7] != NULL)) {
        PyErr_Format(PyExc_TypeError, "%s(): tail, max_length and tail_threshold go with "
                     "length=None (an open-ended render), got length=%R", fn, v[1]);
        return NULL;
    }
    if (v[2] != NULL && v[2] != Py_None && lspy_arg_double(v[2], fn, "sample_rate", &sr) < 0) {
        return NULL;
    }
    if (open_end) {
        if (v[5] != NULL && lspy_arg_double(v[5], fn, "tail", &tail) < 0) {
            return NULL;
        }
        if (!(tail >= 0.0 && tail <= 86400.0)) {
            PyErr_Format(PyExc_ValueError, "%s(tail): tail must be between 0 and 86400 seconds, "
                         "got %R", fn, v[5]);
            return NULL;
        }
        if (v[7] != NULL && lspy_arg_double(v[7], fn, "tail_threshold", &thr) < 0) {
            return NULL;
        }
        if (!(thr >= 0.0 && thr <= 1e30)) {
            PyErr_Format(PyExc_ValueError, "%s(tail_threshold): tail_threshold must be a finite "
                         "number >= 0, got %R", fn, v[7]);
            return NULL;
        }
        if (v[6] != NULL && v[6] != Py_None) {
            if (lspy_arg_index(v[6], fn, "max_length", &len) < 0) {
                return NULL;
            }
            if (len < 1) {
                return lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                                  "%s(max_length): max_length must be at least 1, got %zd", fn, len);
            }
        } else {
            double cap = LSPY_DEFAULT_MAX_SECONDS * (sr >= 3000.0 && sr <= 768000.0 ? sr : 44100.0);
            len = (Py_ssize_t)cap;
        }
    } else if (lspy_arg_index(v[1], fn, "length", &len) < 0) {
        return NULL;
    }
    if (len < 1) {
        return lspy_raise(st, LS_ERROR_NOT_SUPPORTED, "%s(length): length must be at least 1, got %zd",
                        fn, len);
    }
    if (!open_end && (size_t)len > (size_t)PY_SSIZE_T_MAX / (sizeof(float) * (size_t)ch)) {
        return lspy_raise(st, LS_ERROR_NOT_SUPPORTED, "%s(length): length %R is too large", fn, v[1]);
    }
    if (lspy_arg_sample_rate(st, v[2], fn, &sr) < 0) {
        return NULL;
    }
    int interp = LS_INTERPOLATION_DEFAULT;
    if (v[4] != NULL && interpolation_arg(v[4], fn, "interpolation", &interp) < 0) {
        return NULL;
    }
    ls_context *c = NULL;
    ls_result r = ls_offline_context_create((uint32_t)ch, (uint64_t)len, sr, &c);
    if (r == LS_OK) {
        r = ls_context_set_interpolation(c, (ls_interpolation)interp);
        if (r == LS_OK && open_end) {
            r = ls_offline_context_set_tail(c, tail, (float)thr);
        }
        if (r != LS_OK) {
            ls_context_release(c);
        }
    }
    if (r != LS_OK) {
        return lspy_raise_call(st, r, fn);
    }
    lspy_ContextObject *self = (lspy_ContextObject *)LSPY_ALLOC(type);
    if (self == NULL) {
        ls_context_release(c);
        return NULL;
    }
    self->ctx = c;
    self->channels = (uint32_t)ch;
    self->offline = 1;
    self->open_end = (uint8_t)open_end;
    return (PyObject *)self;
}

/* Render until the end or a suspension without a callback. Suspensions with
 * a callback call it and go on. Returns the buffer, None when suspended, or
 * NULL with an exception (a callback's exception leaves the context
 * suspended: resume() goes on). */
/* Suspended at this frame: call the callback suspend() scheduled for it.
 * 1 when one ran, 0 when none was scheduled, -1 with an exception. */
static int
run_suspend_callback(lspy_ContextObject *self)
{
    if (self->suspend_callbacks == NULL) {
        return 0;
    }
    PyObject *key = PyLong_FromUnsignedLongLong(ls_context_current_frame(self->ctx));
    if (key == NULL) {
        return -1;
    }
    PyObject *cb = PyDict_GetItemWithError(self->suspend_callbacks, key);
    Py_XINCREF(cb);
    if (cb != NULL && PyDict_DelItem(self->suspend_callbacks, key) < 0) {
        PyErr_Clear();
    }
    Py_DECREF(key);
    if (cb == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    self->in_suspend_callback = 1;
    PyObject *res = PyObject_CallNoArgs(cb);
    self->in_suspend_callback = 0;
    Py_DECREF(cb);
    Py_XDECREF(res);
    return res == NULL ? -1 : 1;
}

static PyObject *
offline_run(lspy_state *st, lspy_ContextObject *self, const char *fn)
{
    for (;;) {
        ls_buffer *b = NULL;
        ls_result r;
        Py_BEGIN_ALLOW_THREADS
        r = ls_offline_context_render(self->ctx, &b);
        Py_END_ALLOW_THREADS
        if (r != LS_OK) {
            if (r == LS_ERROR_INVALID_STATE) {
                return lspy_raise(st, r, "%s(): the context has been rendered or closed, or is "
                                  "being rendered", fn);
            }
            return lspy_raise_call(st, r, fn);
        }
        PyObject *buf = NULL;
        if (b != NULL && (buf = lspy_buffer_wrap(st, b)) == NULL) {
            return NULL;
        }
        if (lspy_context_dispatch(st, self) < 0) {
            Py_XDECREF(buf);
            return NULL;
        }
        if (buf != NULL) {
            drop_pending(self);     /* the rest can never end */
            Py_CLEAR(self->suspend_callbacks);
            if (call_handler(st, self->oncomplete, st->str_complete, (PyObject *)self,
                             ls_context_current_time(self->ctx), buf) < 0) {
                Py_DECREF(buf);
                return NULL;
            }
            return buf;
        }
        /* suspended: the callback scheduled for this frame, if any */
        int ran = run_suspend_callback(self);
        if (ran < 0) {
            return NULL;
        }
        if (ran == 0 || self->ctx == NULL) {
            Py_RETURN_NONE;
        }
    }
}

static PyObject *
off_start_rendering(lspy_ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    lspy_state *st = LSPY_STATE(self);
    if (check_self(st, self) < 0) {
        return NULL;
    }
    if (self->render_started) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE,
                          "start_rendering(): rendering has already started; resume() goes on "
                          "after a suspension");
    }
    self->render_started = 1;
    return offline_run(st, self, "start_rendering");
}

/* _render_into(out): render the next frames into `out`, a writable float32
 * (channels, frames) array whose rows may be apart (a column slice of a
 * bigger one), until it is full or the end comes; suspensions with a
 * callback call it on the way, others are passed. Returns the frames
 * rendered (fewer than out holds only at the end). */
static PyObject *
off_render_into(lspy_ContextObject *self, PyObject *arg)
{
    lspy_state *st = LSPY_STATE(self);
    const char *fn = "_render_into";
    if (check_self(st, self) < 0) {
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_STRIDES | PyBUF_WRITABLE | PyBUF_FORMAT) < 0) {
        return NULL;
    }
    int ok = view.ndim == 2 && view.itemsize == 4 && view.format != NULL &&
             (strcmp(view.format, "f") == 0 || strcmp(view.format, "<f") == 0 ||
              strcmp(view.format, "=f") == 0) &&
             view.shape[0] == (Py_ssize_t)self->channels && view.strides[1] == 4 &&
             view.strides[0] % 4 == 0 && (view.strides[0] >= 4 * view.shape[1] || view.shape[0] == 1);
    if (!ok) {
        PyErr_Format(PyExc_ValueError, "%s(out): out must be a writable float32 array of shape "
                     "(%u, frames) with contiguous rows", fn, self->channels);
        PyBuffer_Release(&view);
        return NULL;
    }
    float *out = (float *)view.buf;
    size_t stride = (size_t)(view.strides[0] / 4);
    uint64_t want = (uint64_t)view.shape[1], got = 0;
    self->render_started = 1;
    PyObject *result = NULL;
    while (got < want) {
        uint64_t n = 0;
        ls_result r;
        Py_BEGIN_ALLOW_THREADS
        r = ls_offline_context_render_into(self->ctx, out + got, stride ? stride : want, want - got, &n);
        Py_END_ALLOW_THREADS
        if (r != LS_OK) {
            if (r == LS_ERROR_INVALID_STATE) {
                lspy_raise(st, r, "%s(): the context has been rendered or closed, is being "
                           "rendered, or was rendered with start_rendering()", fn);
            } else {
                lspy_raise_call(st, r, fn);
            }
            goto done;
        }
        got += n;
        if (lspy_context_dispatch(st, self) < 0) {
            goto done;
        }
        ls_context_state state = ls_context_get_state(self->ctx);
        if (state == LS_CONTEXT_STATE_CLOSED) {
            drop_pending(self);
            Py_CLEAR(self->suspend_callbacks);
            break;
        }
        if (state != LS_CONTEXT_STATE_SUSPENDED) {
            continue;
        }
        int ran = run_suspend_callback(self);
        if (ran < 0) {
            goto done;
        }
        if (ran == 1 && self->ctx == NULL) {
            break;
        }
    }
    result = PyLong_FromUnsignedLongLong(got);
done:
    PyBuffer_Release(&view);
    return result;
}

static PyObject *
off_get_open_end(lspy_ContextObject *self, void *c)
{
    return PyBool_FromLong(self->open_end);
}

static PyObject *
off_get_max_length(lspy_ContextObject *self, void *c)
{
    if (check_self(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(ls_context_length(self->ctx));
}

/* stream() and render_to() are written in Python (labsound/_streams.py). */
LSPY_PY_METHOD(off_stream, "labsound._streams", "stream")
LSPY_PY_METHOD(off_render_to, "labsound._streams", "render_to")

static PyObject *
off_resume(lspy_ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    lspy_state *st = LSPY_STATE(self);
    if (check_self(st, self) < 0) {
        return NULL;
    }
    ls_context_state state = ls_context_get_state(self->ctx);
    if (!self->render_started) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE,
                          "resume(): rendering has not started; call start_rendering()");
    }
    if (state != LS_CONTEXT_STATE_SUSPENDED) {
        return lspy_raise(st, LS_ERROR_INVALID_STATE, "resume(): the context is %s, not suspended",
                          state <= 2 ? lspy_context_state_names[state] : "closed");
    }
    if (self->in_suspend_callback) {
        Py_RETURN_NONE;     /* rendering goes on when the callback returns */
    }
    return offline_run(st, self, "resume");
}

static const char *const off_suspend_names[] = {"suspend_time", "callback", NULL};
static const lspy_argspec off_suspend_spec = {"suspend", off_suspend_names, 2, 1};

static PyObject *
off_suspend(lspy_ContextObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_state *st = LSPY_STATE(self);
    PyObject *v[2];
    double when;
    if (check_self(st, self) < 0 || lspy_parse_fast(&off_suspend_spec, args, nargs, kw, v) < 0 ||
        lspy_arg_finite(v[0], "suspend", "suspend_time", &when) < 0) {
        return NULL;
    }
    PyObject *cb = v[1] != Py_None ? v[1] : NULL;
    if (cb != NULL && !PyCallable_Check(cb)) {
        PyErr_Format(PyExc_TypeError, "suspend(callback): callback must be a callable or None, "
                     "got %.200s", LSPY_TP_NAME(cb));
        return NULL;
    }
    double sr = ls_context_sample_rate(self->ctx);
    double q = floor(when * sr / LS_RENDER_QUANTUM) * LS_RENDER_QUANTUM;
    uint64_t now = ls_context_current_frame(self->ctx);
    uint64_t length = ls_context_length(self->ctx);
    ls_result r = ls_offline_context_suspend_at(self->ctx, when);
    if (r == LS_ERROR_INVALID_STATE) {
        const char *why;
        if (when < 0.0) {
            why = "it is negative";
        } else if (ls_context_get_state(self->ctx) == LS_CONTEXT_STATE_CLOSED) {
            why = "the context is closed";
        } else if (q >= (double)length) {
            why = "it is at or past the end of the rendering";
        } else if (q < (double)now || (q == (double)now && self->render_started)) {
            why = "that frame has already been rendered";
        } else {
            why = "another suspension is scheduled at that frame";
        }
        return lspy_raise(st, r, "suspend(suspend_time): cannot suspend at %R s (frame %lld): %s",
                          v[0], (long long)(q > 0 ? q : 0), why);
    }
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "suspend()");
    }
    if (cb != NULL) {
        if (self->suspend_callbacks == NULL && (self->suspend_callbacks = PyDict_New()) == NULL) {
            return NULL;
        }
        PyObject *key = PyLong_FromUnsignedLongLong((unsigned long long)q);
        if (key == NULL || PyDict_SetItem(self->suspend_callbacks, key, cb) < 0) {
            Py_XDECREF(key);
            return NULL;
        }
        Py_DECREF(key);
    }
    Py_RETURN_NONE;
}

static PyObject *
off_get_length(lspy_ContextObject *self, void *c)
{
    if (check_self(LSPY_STATE(self), self) < 0) {
        return NULL;
    }
    if (self->open_end) {
        Py_RETURN_NONE;
    }
    return PyLong_FromUnsignedLongLong(ls_context_length(self->ctx));
}

/* ------------------------------------------------------------------ */
/* Event handler properties                                            */
/* ------------------------------------------------------------------ */

/* The getset closure of a handler: where it lies and its name. */
typedef struct {
    size_t offset;
    const char *name;
} handler_slot;

static const handler_slot onstatechange_slot = {offsetof(lspy_ContextObject, onstatechange),
                                                "onstatechange"};
static const handler_slot oncomplete_slot = {offsetof(lspy_ContextObject, oncomplete),
                                             "oncomplete"};

static PyObject *
get_handler(PyObject *self, void *closure)
{
    PyObject *h = *(PyObject **)((char *)self + ((const handler_slot *)closure)->offset);
    h = h != NULL ? h : Py_None;
    Py_INCREF(h);
    return h;
}

static int
set_handler(PyObject *self, PyObject *value, void *closure)
{
    const handler_slot *hs = (const handler_slot *)closure;
    PyObject **slot = (PyObject **)((char *)self + hs->offset);
    if (value == Py_None || value == NULL) {
        Py_CLEAR(*slot);
        return 0;
    }
    if (!PyCallable_Check(value)) {
        PyErr_Format(PyExc_TypeError, "%s must be a callable or None, got %.200s", hs->name,
                     LSPY_TP_NAME(value));
        return -1;
    }
    Py_INCREF(value);
    Py_XSETREF(*slot, value);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Type specs                                                          */
/* ------------------------------------------------------------------ */

static PyMemberDef ctx_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(lspy_ContextObject, weakreflist), READONLY, NULL},
    {NULL}
};

static PyGetSetDef base_getset[] = {
    {"current_time", (getter)ctx_get_time_or_rate, NULL,
     "Seconds of audio rendered so far (frames / sample_rate).", NULL},
    {"sample_rate", (getter)ctx_get_time_or_rate, NULL, "Sample rate in Hz.", (void *)1},
    {"interpolation", (getter)ctx_get_interpolation, (setter)ctx_set_interpolation,
     "How buffer players made from now on read between a buffer's frames unless given\n"
     "their own: 'linear' (the default, as Chromium), 'cubic' or 'sinc' (band-limited).", NULL},
    {"render_quantum_size", (getter)ctx_get_render_quantum_size, NULL,
     "Frames rendered at a time: 128.", NULL},
    {"state", (getter)ctx_get_state, NULL, "'suspended', 'running' or 'closed'.", NULL},
    {"destination", (getter)ctx_get_destination, NULL, "The AudioDestinationNode.", NULL},
    {"onstatechange", get_handler, set_handler,
     "Called with an Event('statechange') after the state changes; None to clear.",
     (void *)&onstatechange_slot},
    {"stats", (getter)ctx_get_stats, NULL,
     "Engine counters: quanta_rendered, live_nodes, pool_exhausted, messages_sent,\n"
     "stream_underruns (quanta a stream source's ring ran dry in).", NULL},
    {"listener", (getter)lspy_context_get_listener, NULL,
     "The AudioListener every PannerNode of the context is heard from.", NULL},
    {NULL}
};

static PyMethodDef base_methods[] = {
    {"create_buffer", CAST(ctx_create_buffer), FAST,
     "create_buffer($self, /, number_of_channels, length, sample_rate)\n--\n\nA new zeroed AudioBuffer."},
    {"create_periodic_wave", CAST(ctx_create_periodic_wave), FAST,
     "create_periodic_wave($self, /, real, imag, disable_normalization=False, *, constraints=None)\n--\n\n"
     "A PeriodicWave from Fourier coefficients (sequences or arrays)."},
    {"connect", CAST(ctx_connect), FAST,
     "connect($self, /, source, destination, output=0, input=0)\n--\n\n"
     "source.connect(destination, output, input). Returns destination."},
    {"disconnect", CAST(ctx_disconnect), FAST,
     "disconnect($self, node, /, *args, **kwargs)\n--\n\nnode.disconnect(*args, **kwargs)."},
    {"decode_audio_data", CAST(lspy_ctx_decode_audio_data), FAST,
     "decode_audio_data($self, /, audio_data, success_callback=None, error_callback=None)\n--\n\n"
     "An AudioBuffer at the context's rate from a path or the bytes of an audio file."},
    {"_dispatch_events", (PyCFunction)ctx_dispatch_events, METH_NOARGS,
     "Call the handlers of pending events. False once the context is closed."},
    {NULL}
};

static PyType_Slot base_slots[] = {
    {Py_tp_doc, "BaseAudioContext: what AudioContext (real time, on a device) and\n"
                "OfflineAudioContext (rendered as fast as possible) share.\n"
                "\n"
                "It owns the graph: the create_* factories (create_oscillator, create_gain, ...,\n"
                "and create(type_name, **options) for any type in labsound.node_types()), the\n"
                "destination, the listener, current_time (seconds), sample_rate (Hz), state\n"
                "('suspended', 'running', 'closed') and onstatechange. graph() returns a view of\n"
                "the node graph; profile() measures each node's render time.\n"
                "\n"
                "    ctx = ls.OfflineAudioContext(channels=2, length=48000, sample_rate=48000)\n"
                "    osc = ctx.create_oscillator(frequency=220)\n"
                "    osc >> ctx.destination; osc.start(0)\n"
                "    audio = ctx.start_rendering()\n"
                "\n"
                "Errors: the factories raise the errors of the node they create;\n"
                "InvalidStateError once the context is closed."},
    {Py_tp_new, base_new},
    {Py_tp_dealloc, ctx_dealloc},
    {Py_tp_traverse, ctx_traverse},
    {Py_tp_clear, ctx_clear},
    {Py_tp_repr, ctx_repr},
    {Py_tp_members, ctx_members},
    {Py_tp_getset, base_getset},
    {Py_tp_methods, base_methods},
    {0, NULL}
};

#define CTX_FLAGS (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC)

PyType_Spec lspy_BaseAudioContext_spec = {
    "labsound.BaseAudioContext", sizeof(lspy_ContextObject), 0, CTX_FLAGS, base_slots
};

static PyGetSetDef rt_getset[] = {
    {"base_latency", (getter)lspy_rt_get_latency, NULL,
     "Seconds from the destination to the audio stack (callback size plus one quantum).", NULL},
    {"output_latency", (getter)lspy_rt_get_latency, NULL,
     "Seconds from the destination to the speaker, as the device reports it.", (void *)1},
    {"backend", (getter)lspy_rt_get_backend, NULL, "'portaudio' (a device) or 'null'.", NULL},
    {"buffer_size", (getter)rt_get_buffer_size, NULL, "Frames per backend callback.", NULL},
    {NULL}
};

static PyMethodDef rt_methods[] = {
    {"get_output_timestamp", CAST(rt_get_output_timestamp), FAST,
     "get_output_timestamp($self, /)\n--\n\n{'context_time': s, 'performance_time': ms}: "
     "the context time being played and when\n(milliseconds on the clock of time.monotonic())."},
    {"resume", (PyCFunction)rt_resume, METH_NOARGS, "resume($self, /)\n--\n\nStart or restart rendering."},
    {"suspend", (PyCFunction)rt_suspend, METH_NOARGS, "suspend($self, /)\n--\n\nStop the clock."},
    {"close", (PyCFunction)rt_close, METH_NOARGS,
     "close($self, /)\n--\n\nStop rendering for good and release the backend. Idempotent."},
    {"wait", CAST(rt_wait), FAST,
     "wait($self, seconds, /)\n--\n\n"
     "Block the caller for `seconds` of context time (wall time while not running),\n"
     "dispatching events meanwhile. Ctrl-C interrupts it."},
    {"create_microphone", CAST(lspy_ctx_create_microphone), FAST,
     "create_microphone($self, /, device=None, channels=1)\n--\n\n"
     "A MediaStreamAudioSourceNode with the captured input of `device` (default input)."},
    {"create_media_stream_source", CAST(lspy_ctx_create_media_stream_source), FAST,
     "create_media_stream_source($self, /, device=None, channels=1)\n--\n\n"
     "Same as create_microphone()."},
    {"__enter__", (PyCFunction)rt_enter, METH_NOARGS, "Resume and return the context."},
    {"__exit__", CAST(rt_exit), METH_FASTCALL, "Close the context."},
    {NULL}
};

static PyType_Slot rt_slots[] = {
    {Py_tp_traverse, ctx_traverse},
    {Py_tp_clear, ctx_clear},
    {Py_tp_doc, "AudioContext(sample_rate=44100, channels=2, buffer_size=256, *, latency_hint=None, device=None, start=True, interpolation=None)\n--\n\n"
                "A real-time context playing on an audio device (device: an index or a name from\n"
                "labsound.devices(), 'null' for the silent clock-paced sink; None: the default\n"
                "output, or the null sink with one warning when there is none).\n\n"
                "As in the Web Audio spec it starts running at once: state is 'running' and the\n"
                "clock moves from construction on. start=False creates it 'suspended', to build\n"
                "a graph first; resume() then starts it. `with AudioContext() as ctx:` resumes it\n"
                "on entry if needed and closes it at the end. wait() on a suspended context\n"
                "raises InvalidStateError. Errors: ValueError/NotSupportedError for out-of-range\n"
                "options, TypeError for a start that is not a bool."},
    {Py_tp_new, rt_new},
    {Py_tp_getset, rt_getset},
    {Py_tp_methods, rt_methods},
    {0, NULL}
};

PyType_Spec lspy_AudioContext_spec = {
    "labsound.AudioContext", sizeof(lspy_ContextObject), 0, CTX_FLAGS, rt_slots
};

static PyGetSetDef off_getset[] = {
    {"length", (getter)off_get_length, NULL,
     "Frames to render; None for an open-ended context (length=None).", NULL},
    {"max_length", (getter)off_get_max_length, NULL,
     "The most frames it renders: the length, or an open-ended context's cap.", NULL},
    {"open_ended", (getter)off_get_open_end, NULL,
     "True when created with length=None: a quiet tail after the last source ends it.", NULL},
    {"oncomplete", get_handler, set_handler,
     "Called with an Event('complete') whose rendered_buffer is the result; None to clear.",
     (void *)&oncomplete_slot},
    {NULL}
};

static PyMethodDef off_methods[] = {
    {"start_rendering", (PyCFunction)off_start_rendering, METH_NOARGS,
     "start_rendering($self, /)\n--\n\nRender the whole graph and return the AudioBuffer."},
    {"render", (PyCFunction)off_start_rendering, METH_NOARGS,
     "render($self, /)\n--\n\nSame as start_rendering()."},
    {"suspend", CAST(off_suspend), FAST,
     "suspend($self, /, suspend_time, callback=None)\n--\n\n"
     "Suspend rendering at suspend_time (rounded down to a render quantum). With a\n"
     "callback, it is called there (edit the graph in it) and rendering goes on when\n"
     "it returns; without one, start_rendering()/resume() return None there and\n"
     "resume() goes on."},
    {"_render_into", (PyCFunction)off_render_into, METH_O,
     "_render_into($self, out, /)\n--\n\nRender the next frames into a float32 (channels, frames) "
     "array; returns how many (fewer only at the end)."},
    {"stream", CAST(off_stream), FAST,
     "stream($self, /, block_frames=8192)\n--\n\n"
     "Render in blocks: yields float32 (channels, frames) NumPy arrays as they are\n"
     "rendered, the last one shorter; the samples are those start_rendering() gives."},
    {"render_to", CAST(off_render_to), FAST,
     "render_to($self, /, path, *, subtype=None, progress=None, block_frames=8192)\n--\n\n"
     "Render into a file as it goes (WAV built in; FLAC, Ogg and MP3 with soundfile).\n"
     "Written under a temporary name and renamed when complete; returns the frames written."},
    {"resume", (PyCFunction)off_resume, METH_NOARGS,
     "resume($self, /)\n--\n\nGo on rendering after a suspension: returns the AudioBuffer\n"
     "once the end is reached, or None at the next suspension."},
    {NULL}
};

static PyType_Slot off_slots[] = {
    {Py_tp_traverse, ctx_traverse},
    {Py_tp_clear, ctx_clear},
    {Py_tp_doc, "OfflineAudioContext(number_of_channels=1, length, sample_rate, *, interpolation=None, tail=1.0, max_length=None, tail_threshold=1e-4)\n\n"
                "Renders as fast as it can into an AudioBuffer: start_rendering().\n\n"
                "Also OfflineAudioContext(channels=, length=, sample_rate=) or a dict of\n"
                "those options. start_rendering() runs on the calling thread with the GIL\n"
                "released and returns the AudioBuffer (np.asarray(buf) is (channels, frames));\n"
                "suspend(time, callback) runs callback at that time of the rendering.\n"
                "interpolation ('linear', 'cubic' or 'sinc'; None: 'linear') is how the\n"
                "buffer players made in it read between a buffer's frames unless given theirs."},
    {Py_tp_new, off_new},
    {Py_tp_getset, off_getset},
    {Py_tp_methods, off_methods},
    {0, NULL}
};

PyType_Spec lspy_OfflineAudioContext_spec = {
    "labsound.OfflineAudioContext", sizeof(lspy_ContextObject), 0, CTX_FLAGS, off_slots
};
