/*
 * Python processing nodes: the C half of labsound._processing.
 *
 * _ScriptKernel   what the engine's script node calls once per quantum: it
 *                 takes the interpreter lock (the one audited path where an
 *                 engine thread enters Python, see docs/architecture.md),
 *                 hands prepared NumPy views of the node's memory to the
 *                 user's function or processor, and records exceptions.
 * _ScriptMemory   an exporter of the node's memory (buffer protocol): NumPy
 *                 views of it keep the engine's memory alive, with no copy.
 * _ScriptOwner    stands, for the garbage collector, for the references the
 *                 engine holds to the kernels of one context's script nodes:
 *                 the context visits it, it visits those kernels. A function
 *                 or processor that refers back to its node (and so to the
 *                 context) then forms a cycle the collector can see and free;
 *                 collecting the context closes it, and the engine gives the
 *                 kernels back.
 * _create_script  creates the engine node and wraps it in a Python class.
 *
 * The engine gives the kernel back (ls_script_release_fn) on a control
 * thread that may hold the context's lock and not the interpreter lock, so
 * the last reference is dropped later, on a thread that holds the
 * interpreter lock: a lock-free list drained by a pending call.
 */
#include "core.h"

#include <stdatomic.h>
#include <stdint.h>

#if PY_VERSION_HEX < 0x030A0000
static inline PyObject *Py_NewRef(PyObject *o) { Py_INCREF(o); return o; }
static inline PyObject *PyObject_CallNoArgs(PyObject *f) { return PyObject_CallObject(f, NULL); }
#endif

/* ------------------------------------------------------------------ */
/* Deferred releases                                                   */
/* ------------------------------------------------------------------ */

typedef struct deferred {
    struct deferred *next;
    PyObject *obj;
} deferred;

static _Atomic(deferred *) deferred_head;

static void kernel_detach(PyObject *kernel);
static void owner_unlink(PyObject *kernel);

static int
drain_deferred(void *arg)
{
    (void)arg;
    deferred *d = atomic_exchange(&deferred_head, NULL);
    while (d != NULL) {
        deferred *next = d->next;
        owner_unlink(d->obj);     /* the engine's reference goes: stop standing for it */
        kernel_detach(d->obj);
        Py_DECREF(d->obj);
        LSPY_RAW_FREE(d);
        d = next;
    }
    return 0;
}

/* Any thread, with or without the interpreter lock. */
static void
kernel_release(void *user)
{
    deferred *d = LSPY_RAW_MALLOC(sizeof *d);
    if (d == NULL) {
        return;     /* out of memory: leak one kernel rather than crash */
    }
    d->obj = (PyObject *)user;
    deferred *head = atomic_load(&deferred_head);
    do {
        d->next = head;
    } while (!atomic_compare_exchange_weak(&deferred_head, &head, d));
    Py_AddPendingCall(drain_deferred, NULL);
}

/* ------------------------------------------------------------------ */
/* _ScriptMemory                                                       */
/* ------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    ls_script *s;
    float *base;
    Py_ssize_t nfloats;
    Py_ssize_t exports;
} MemoryObject;

static void
memory_dealloc(MemoryObject *self)
{
    if (self->s != NULL) {
        ls_script_release(self->s);
    }
    lspy_dealloc((PyObject *)self, NULL, NULL);
}

static int
memory_getbuffer(MemoryObject *self, Py_buffer *view, int flags)
{
    static char fmt[] = "f";
    view->obj = Py_NewRef((PyObject *)self);
    view->buf = self->base;
    view->len = self->nfloats * (Py_ssize_t)sizeof(float);
    view->readonly = 0;
    view->itemsize = sizeof(float);
    view->format = (flags & PyBUF_FORMAT) ? fmt : NULL;
    view->ndim = 1;
    view->shape = (flags & PyBUF_ND) ? &self->nfloats : NULL;
    view->strides = (flags & PyBUF_STRIDES) ? &view->itemsize : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    self->exports++;
    return 0;
}

static void
memory_releasebuffer(MemoryObject *self, Py_buffer *view)
{
    (void)view;
    self->exports--;
}

static const char *const area_names[] = {"input", "output", "param", NULL};

static PyObject *
memory_offset(MemoryObject *self, PyObject *args)
{
    unsigned int slot, index, channel;
    int area;
    if (!PyArg_ParseTuple(args, "IiII:offset", &slot, &area, &index, &channel)) {
        return NULL;
    }
    if (area < 0 || area > 2) {
        return PyErr_Format(PyExc_ValueError, "offset(area): 0, 1 or 2, got %d", area);
    }
    float *p = ls_script_memory(self->s, slot, (ls_script_area)area, index, channel);
    if (p == NULL) {
        return PyErr_Format(PyExc_IndexError, "offset(): no %s %u channel %u in slot %u",
                            area_names[area], index, channel, slot);
    }
    return PyLong_FromSsize_t((Py_ssize_t)(p - self->base));
}

static PyObject *
memory_capacity(MemoryObject *self, PyObject *args)
{
    unsigned int index;
    int area;
    if (!PyArg_ParseTuple(args, "iI:capacity", &area, &index)) {
        return NULL;
    }
    if (area < 0 || area > 2) {
        return PyErr_Format(PyExc_ValueError, "capacity(area): 0, 1 or 2, got %d", area);
    }
    return PyLong_FromUnsignedLong(ls_script_capacity(self->s, (ls_script_area)area, index));
}

static PyObject *
memory_stats(MemoryObject *self, PyObject *Py_UNUSED(ignored))
{
    ls_script_stats st;
    ls_script_get_stats(self->s, &st);
    return Py_BuildValue("(KKKi)", (unsigned long long)st.calls, (unsigned long long)st.misses,
                         (unsigned long long)st.dropped, st.errored);
}

/* address, slots, lookahead and worker (the closure says which) */
static PyObject *
memory_get(MemoryObject *self, void *which)
{
    switch ((int)(intptr_t)which) {
    case 0: return PyLong_FromVoidPtr(self->base);
    case 1: return PyLong_FromUnsignedLong(ls_script_slot_count(self->s));
    case 2: return PyLong_FromUnsignedLong(ls_script_lookahead(self->s));
    default: return PyBool_FromLong(ls_script_get_mode(self->s) == LS_SCRIPT_MODE_WORKER);
    }
}

/* The worker thread's loop (worker mode). It holds the memory, never the
 * kernel: a thread's references are roots for the garbage collector, and
 * the kernel must stay collectable with its context (_ScriptOwner). The
 * engine calls the kernel through its own reference. */
static PyObject *
memory_run_worker(MemoryObject *self, PyObject *Py_UNUSED(ignored))
{
    ls_script *s = self->s;
    for (;;) {
        int rc;
        Py_BEGIN_ALLOW_THREADS
        rc = ls_script_worker_wait(s, 0.1);
        Py_END_ALLOW_THREADS
        if (rc < 0) {
            break;
        }
        if (rc > 0 && ls_script_worker_run(s) < 0) {
            break;
        }
    }
    Py_RETURN_NONE;
}

static PyMethodDef memory_methods[] = {
    {"run_worker", (PyCFunction)memory_run_worker, METH_NOARGS,
     "run_worker($self, /)\n--\n\nCompute blocks ahead of the render thread until the node "
     "is gone or its context closed (worker mode)."},
    {"offset", (PyCFunction)memory_offset, METH_VARARGS,
     "offset($self, slot, area, index, channel, /)\n--\n\n"
     "Where one channel of one slot starts, in floats from the start of the memory."},
    {"capacity", (PyCFunction)memory_capacity, METH_VARARGS,
     "capacity($self, area, index, /)\n--\n\nChannels held for an input, output or param."},
    {"stats", (PyCFunction)memory_stats, METH_NOARGS,
     "stats($self, /)\n--\n\n(calls, misses, dropped, errored)."},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef memory_getset[] = {
    {"address", (getter)memory_get, NULL, "Address of the engine's memory.", (void *)0},
    {"slots", (getter)memory_get, NULL, "Slots of one quantum each.", (void *)1},
    {"lookahead", (getter)memory_get, NULL, "Quanta of added latency.", (void *)2},
    {"worker", (getter)memory_get, NULL, "True in worker-thread mode.", (void *)3},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyType_Slot memory_slots[] = {
    {Py_tp_dealloc, memory_dealloc},
    {Py_tp_methods, memory_methods},
    {Py_tp_getset, memory_getset},
    {Py_bf_getbuffer, memory_getbuffer},
    {Py_bf_releasebuffer, memory_releasebuffer},
    {Py_tp_doc, "The memory of a script node, exported without a copy."},
    {0, NULL}
};

static PyType_Spec memory_spec = {
    "labsound._core._ScriptMemory", sizeof(MemoryObject), 0, Py_TPFLAGS_DEFAULT, memory_slots
};

/* ------------------------------------------------------------------ */
/* _ScriptKernel                                                       */
/* ------------------------------------------------------------------ */

enum { KIND_FUNCTION = 0, KIND_PROCESSOR = 1 };

typedef struct {
    PyObject_HEAD
    int kind;
    int ready;                  /* setup() done */
    PyObject *callable;         /* fn(channel, buffer) or processor.process */
    PyObject *report;           /* report(kernel, exception): warns once */
    PyObject *memory;           /* _ScriptMemory */
    PyObject *inbox;            /* list of messages for the processor, or NULL */
    PyObject *dispatch;         /* called when inbox is not empty */
    PyObject *on_release;       /* called once the engine let go of the kernel */
    /* per slot (lists indexed by slot) */
    PyObject *views;            /* FUNCTION: [slot][channel] 1-D arrays */
    PyObject *in_lists, *in_cache;      /* PROCESSOR: [slot] list; [slot][i][n] arrays */
    PyObject *out_lists, *out_cache;
    PyObject *pdicts, *pfull, *pone;    /* [slot] dict; [slot][k] full and one-value views */
    PyObject *pnames;           /* [k] names */
    PyObject *channels;         /* tuple of ints 0..31 */
    PyObject *error;            /* the exception that stopped the node, or NULL */
    double time;                /* time of the block being computed (when heard) */
    double latency;             /* seconds the worker mode adds */
    PyObject *weakreflist;
    /* while the engine holds its reference: linked into its context's owner */
    PyObject *owner;            /* _ScriptOwner (a strong reference), or NULL */
    PyObject *onext, **oprev;   /* the owner's list of kernels */
} KernelObject;

/* ------------------------------------------------------------------ */
/* _ScriptOwner                                                        */
/* ------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    PyObject *kernels;          /* KernelObject list (borrowed: the engine's references) */
} OwnerObject;

static int
owner_traverse(OwnerObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    /* one visit per engine reference: each linked kernel holds exactly one */
    for (PyObject *k = self->kernels; k != NULL; k = ((KernelObject *)k)->onext) {
        Py_VISIT(k);
    }
    return 0;
}

static void
owner_dealloc(OwnerObject *self)
{
    /* every linked kernel holds a reference to its owner: none is left */
    lspy_dealloc((PyObject *)self, NULL, NULL);
}

static PyType_Slot owner_slots[] = {
    {Py_tp_dealloc, owner_dealloc},
    {Py_tp_traverse, owner_traverse},
    {Py_tp_doc, "The engine's references to a context's script kernels, for the GC (internal)."},
    {0, NULL}
};

static PyType_Spec owner_spec = {
    "labsound._core._ScriptOwner", sizeof(OwnerObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, owner_slots
};

/* With the interpreter lock: the engine now holds a reference to kernel. */
static int
owner_link(lspy_state *st, PyObject *context, PyObject *kernel)
{
    lspy_ContextObject *c = (lspy_ContextObject *)context;
    if (c->scripts == NULL) {
        c->scripts = LSPY_ALLOC(st->ScriptOwner_Type);
        if (c->scripts == NULL) {
            return -1;
        }
    }
    OwnerObject *o = (OwnerObject *)c->scripts;
    KernelObject *k = (KernelObject *)kernel;
    k->owner = Py_NewRef(c->scripts);
    k->onext = o->kernels;
    if (o->kernels != NULL) {
        ((KernelObject *)o->kernels)->oprev = &k->onext;
    }
    k->oprev = &o->kernels;
    o->kernels = kernel;
    return 0;
}

/* With the interpreter lock: the engine is letting go of kernel. */
static void
owner_unlink(PyObject *kernel)
{
    KernelObject *k = (KernelObject *)kernel;
    if (k->owner == NULL) {
        return;
    }
    *k->oprev = k->onext;
    if (k->onext != NULL) {
        ((KernelObject *)k->onext)->oprev = k->oprev;
    }
    k->onext = NULL;
    k->oprev = NULL;
    Py_CLEAR(k->owner);
}

/* the object members from callable to error, in the struct's order */
#define KERNEL_REFS(self) (&(self)->callable)
#define N_KERNEL_REFS ((offsetof(KernelObject, error) - offsetof(KernelObject, callable)) / \
                       sizeof(PyObject *) + 1)

static int
kernel_traverse(KernelObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->owner);
    return lspy_visit_refs(KERNEL_REFS(self), N_KERNEL_REFS, visit, arg);
}

static int
kernel_clear(KernelObject *self)
{
    self->ready = 0;
    lspy_clear_refs(KERNEL_REFS(self), N_KERNEL_REFS);
    return 0;
}

/* The collector found the kernel unreachable (with its context): before it
 * clears anything (the function's closure cells, the processor), stop
 * calling Python code, which would find them cleared. The engine keeps its
 * reference until the context, collected too, is closed. */
static void
kernel_finalize(KernelObject *self)
{
    self->ready = 0;
}

static void
kernel_dealloc(KernelObject *self)
{
    PyObject_GC_UnTrack(self);
    owner_unlink((PyObject *)self);   /* (unlinked already: the engine held a reference) */
    lspy_dealloc((PyObject *)self, self->weakreflist, (inquiry)kernel_clear);
}

static PyObject *
kernel_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"kind", "callable", "report", NULL};
    int kind;
    PyObject *callable, *report;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "iOO:_ScriptKernel", names, &kind, &callable,
                                     &report)) {
        return NULL;
    }
    if (kind != KIND_FUNCTION && kind != KIND_PROCESSOR) {
        return PyErr_Format(PyExc_ValueError, "_ScriptKernel(kind): 0 or 1, got %d", kind);
    }
    if ((callable != Py_None && !PyCallable_Check(callable)) || !PyCallable_Check(report)) {
        return PyErr_Format(PyExc_TypeError, "_ScriptKernel(): callable and report must be callable");
    }
    KernelObject *self = (KernelObject *)LSPY_ALLOC(type);
    if (self == NULL) {
        return NULL;
    }
    self->kind = kind;
    self->callable = callable == Py_None ? NULL : Py_NewRef(callable);
    self->report = Py_NewRef(report);
    self->channels = PyTuple_New(LS_MAX_CHANNELS);
    if (self->channels == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    for (int c = 0; c < LS_MAX_CHANNELS; c++) {
        PyObject *i = PyLong_FromLong(c);
        if (i == NULL) {
            Py_DECREF(self);
            return NULL;
        }
        LSPY_TUPLE_SET(self->channels, c, i);
    }
    return (PyObject *)self;
}

/* setup(memory, views, in_lists, in_cache, out_lists, out_cache, pdicts,
 *       pfull, pone, pnames, inbox, dispatch, latency, on_release) */
static PyObject *
kernel_setup(KernelObject *self, PyObject *args)
{
    PyObject *o[13];
    double latency;
    if (!PyArg_ParseTuple(args, "OOOOOOOOOOOOdO:setup", &o[0], &o[1], &o[2], &o[3], &o[4], &o[5],
                          &o[6], &o[7], &o[8], &o[9], &o[10], &o[11], &latency, &o[12])) {
        return NULL;
    }
    for (int i = 1; i < 10; i++) {
        if (o[i] != Py_None && !PyList_Check(o[i])) {
            return PyErr_Format(PyExc_TypeError, "setup(): argument %d must be a list or None", i);
        }
    }
    if (o[10] != Py_None && !PyList_Check(o[10])) {
        return PyErr_Format(PyExc_TypeError, "setup(inbox): a list or None");
    }
#define SETF(field, v) Py_XSETREF(self->field, (v) == Py_None ? NULL : Py_NewRef(v))
    SETF(memory, o[0]);
    SETF(views, o[1]);
    SETF(in_lists, o[2]);
    SETF(in_cache, o[3]);
    SETF(out_lists, o[4]);
    SETF(out_cache, o[5]);
    SETF(pdicts, o[6]);
    SETF(pfull, o[7]);
    SETF(pone, o[8]);
    SETF(pnames, o[9]);
    SETF(inbox, o[10]);
    SETF(dispatch, o[11]);
    SETF(on_release, o[12]);
#undef SETF
    self->latency = latency;
    self->ready = 1;
    Py_RETURN_NONE;
}

/* With the interpreter lock: record and report the exception being raised. */
static void
kernel_fail(KernelObject *self)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value == NULL) {
        value = Py_NewRef(Py_None);
    }
    if (tb != NULL && value != Py_None) {
        PyException_SetTraceback(value, tb);
    }
    if (self->error == NULL) {
        self->error = Py_NewRef(value);
        PyObject *r = PyObject_CallFunctionObjArgs(self->report, (PyObject *)self, value, NULL);
        if (r == NULL) {
            PyErr_WriteUnraisable(self->report);
        }
        Py_XDECREF(r);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
}

static int run_function(KernelObject *self, PyObject *fn, const ls_script_block *b);
static int run_processor(KernelObject *self, PyObject *fn, const ls_script_block *b);

/* One quantum, with the interpreter lock held. 1 / 0 / -1 as ls_script_fn. */
static int
kernel_run(KernelObject *self, const ls_script_block *b)
{
    if (!self->ready) {
        return 1;
    }
    if (self->error != NULL) {
        return -1;
    }
    self->time = b->time + self->latency;
    if (self->inbox != NULL && LSPY_LIST_SIZE(self->inbox) > 0 && self->dispatch != NULL) {
        PyObject *r = PyObject_CallNoArgs(self->dispatch);
        if (r == NULL) {
            kernel_fail(self);
            return -1;
        }
        Py_DECREF(r);
    }
    if (self->callable == NULL) {
        return 1;       /* no function yet (or released): the outputs stay zero */
    }
    PyObject *fn = Py_NewRef(self->callable);  /* set_callable may swap it meanwhile */
    int rc = self->kind == KIND_FUNCTION ? run_function(self, fn, b) : run_processor(self, fn, b);
    Py_DECREF(fn);
    return rc;
}

static int
run_function(KernelObject *self, PyObject *fn, const ls_script_block *b)
{
    {
        PyObject *views = LSPY_LIST_ITEM(self->views, b->slot);
        uint32_t n = b->output_channels[0];
        if ((Py_ssize_t)n > LSPY_LIST_SIZE(views)) {
            n = (uint32_t)LSPY_LIST_SIZE(views);
        }
        for (uint32_t c = 0; c < n; c++) {
            PyObject *argv[2] = {LSPY_TUPLE_ITEM(self->channels, c), LSPY_LIST_ITEM(views, c)};
            PyObject *r = LSPY_VECTORCALL(fn, argv, 2, NULL);
            if (r == NULL) {
                kernel_fail(self);
                return -1;
            }
            Py_DECREF(r);
        }
        return 1;
    }
}

/* The lists handed to process() are reused every quantum and the user may
 * have changed them (cleared, appended, deleted items): give `list` exactly
 * n entries again (placeholders that the caller then replaces). */
static int
fit_list(PyObject *list, uint32_t n)
{
    Py_ssize_t size = LSPY_LIST_SIZE(list);
    if (size > (Py_ssize_t)n) {
        return PyList_SetSlice(list, (Py_ssize_t)n, size, NULL);
    }
    for (; size < (Py_ssize_t)n; size++) {
        if (PyList_Append(list, Py_None) < 0) {
            return -1;
        }
    }
    return 0;
}

static int
run_processor(KernelObject *self, PyObject *fn, const ls_script_block *b)
{
    PyObject *ins = LSPY_LIST_ITEM(self->in_lists, b->slot);
    PyObject *inc = LSPY_LIST_ITEM(self->in_cache, b->slot);
    PyObject *outs = LSPY_LIST_ITEM(self->out_lists, b->slot);
    if (fit_list(ins, b->num_inputs) < 0 || fit_list(outs, b->num_outputs) < 0) {
        kernel_fail(self);
        return -1;
    }
    for (uint32_t i = 0; i < b->num_inputs; i++) {
        PyObject *a = LSPY_LIST_ITEM(LSPY_LIST_ITEM(inc, i), b->input_channels[i]);
        Py_INCREF(a);
        LSPY_LIST_REPLACE(ins, i, a);
    }
    PyObject *outc = LSPY_LIST_ITEM(self->out_cache, b->slot);
    for (uint32_t o = 0; o < b->num_outputs; o++) {
        PyObject *a = LSPY_LIST_ITEM(LSPY_LIST_ITEM(outc, o), b->output_channels[o]);
        Py_INCREF(a);
        LSPY_LIST_REPLACE(outs, o, a);
    }
    PyObject *pd = LSPY_LIST_ITEM(self->pdicts, b->slot);
    if (b->num_params) {
        PyObject *full = LSPY_LIST_ITEM(self->pfull, b->slot);
        PyObject *one = LSPY_LIST_ITEM(self->pone, b->slot);
        for (uint32_t k = 0; k < b->num_params; k++) {
            PyObject *v = LSPY_LIST_ITEM(b->param_constant[k] ? one : full, k);
            if (PyDict_SetItem(pd, LSPY_LIST_ITEM(self->pnames, k), v) < 0) {
                kernel_fail(self);
                return -1;
            }
        }
    }
    PyObject *argv[3] = {ins, outs, pd};
    PyObject *r = LSPY_VECTORCALL(fn, argv, 3, NULL);
    if (r == NULL) {
        kernel_fail(self);
        return -1;
    }
    int keep = PyObject_IsTrue(r);
    Py_DECREF(r);
    if (keep < 0) {
        kernel_fail(self);
        return -1;
    }
    return keep;
}

/*
 * The engine's ls_script_fn. SYNC mode: called on the offline render thread,
 * which released the interpreter lock around ls_offline_context_render:
 * PyGILState_Ensure takes it back for the call (the audited path). WORKER
 * mode: called on the kernel's worker thread, which already holds it.
 */
static int
kernel_process(void *user, const ls_script_block *b)
{
    PyGILState_STATE g = PyGILState_Ensure();
    KernelObject *self = (KernelObject *)user;
    Py_INCREF(self);
    int rc = kernel_run(self, b);
    Py_DECREF(self);
    PyGILState_Release(g);
    return rc;
}

static PyObject *
kernel_set_callable(KernelObject *self, PyObject *fn)
{
    if (fn != Py_None && !PyCallable_Check(fn)) {
        return PyErr_Format(PyExc_TypeError, "set_process_function(fn): a callable, got %.200s",
                            LSPY_TP_NAME(fn));
    }
    Py_XSETREF(self->callable, fn == Py_None ? NULL : Py_NewRef(fn));
    Py_RETURN_NONE;
}

/* The engine will not call the kernel again: let go of the user's objects
 * (the function, the processor and its port); keep the views and the error. */
static void
kernel_detach(PyObject *kernel)
{
    KernelObject *self = (KernelObject *)kernel;
    Py_CLEAR(self->callable);
    Py_CLEAR(self->dispatch);
    Py_CLEAR(self->inbox);
    PyObject *cb = self->on_release;
    self->on_release = NULL;
    if (cb != NULL) {
        PyObject *r = PyObject_CallNoArgs(cb);
        if (r == NULL) {
            PyErr_WriteUnraisable(cb);
        }
        Py_XDECREF(r);
        Py_DECREF(cb);
    }
}

static PyObject *
kernel_get_error(KernelObject *self, void *closure)
{
    (void)closure;
    return Py_NewRef(self->error ? self->error : Py_None);
}

static PyObject *
kernel_get_time(KernelObject *self, void *closure)
{
    (void)closure;
    return PyFloat_FromDouble(self->time);
}

static PyMethodDef kernel_methods[] = {
    {"setup", (PyCFunction)kernel_setup, METH_VARARGS,
     "setup($self, memory, views, in_lists, in_cache, out_lists, out_cache, pdicts, pfull, "
     "pone, pnames, inbox, dispatch, latency, on_release, /)\n--\n\nHand over the prepared views."},
    {"set_callable", (PyCFunction)kernel_set_callable, METH_O,
     "set_callable($self, fn, /)\n--\n\nThe function called per quantum (None: silence)."},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef kernel_getset[] = {
    {"error", (getter)kernel_get_error, NULL, "The exception that silenced the node, or None.", NULL},
    {"time", (getter)kernel_get_time, NULL, "Context time at which the current block is heard.", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyMemberDef kernel_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(KernelObject, weakreflist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyType_Slot kernel_slots[] = {
    {Py_tp_new, kernel_new},
    {Py_tp_dealloc, kernel_dealloc},
    {Py_tp_traverse, kernel_traverse},
    {Py_tp_clear, kernel_clear},
    {Py_tp_finalize, kernel_finalize},
    {Py_tp_methods, kernel_methods},
    {Py_tp_getset, kernel_getset},
    {Py_tp_members, kernel_members},
    {Py_tp_doc, "What a script node calls once per quantum (internal)."},
    {0, NULL}
};

static PyType_Spec kernel_spec = {
    "labsound._core._ScriptKernel", sizeof(KernelObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, kernel_slots
};

/* ------------------------------------------------------------------ */
/* _create_script                                                      */
/* ------------------------------------------------------------------ */

static int
opt_u32(PyObject *d, const char *key, uint32_t *out)
{
    PyObject *v = PyDict_GetItemString(d, key);
    if (v == NULL || v == Py_None) {
        return 0;
    }
    unsigned long x = PyLong_AsUnsignedLong(v);
    if (x == (unsigned long)-1 && PyErr_Occurred()) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError, "%s: a non-negative integer, got %R", key, v);
        return -1;
    }
    if (x > 0xFFFFFFFFul) {
        PyErr_Format(PyExc_ValueError, "%s: too large, got %R", key, v);
        return -1;
    }
    *out = (uint32_t)x;
    return 0;
}

/*
 * _create_script(cls, context, kernel, spec) -> (node, memory, params)
 * spec: dict with number_of_inputs, number_of_outputs, output_channel_count
 * (list), scheduled_source (bool), params (list of (name, default, min, max,
 * rate)), mode (0/1/2), lookahead, channel_count, channel_count_mode,
 * channel_interpretation (ints or None). Validation of the Python-level
 * arguments happens in labsound._processing; this maps engine errors.
 */
static PyObject *
create_script(PyObject *module, PyObject *args)
{
    lspy_state *st = (lspy_state *)PyModule_GetState(module);
    PyObject *cls, *context, *kernel, *spec;
    if (!PyArg_ParseTuple(args, "OOOO!:_create_script", &cls, &context, &kernel, &PyDict_Type,
                          &spec)) {
        return NULL;
    }
    if (lspy_context_check(st, context, "create_script") < 0) {
        return NULL;
    }
    if (!PyType_Check(cls) || !PyType_IsSubtype((PyTypeObject *)cls, st->AudioNode_Type)) {
        return PyErr_Format(PyExc_TypeError, "_create_script(cls): an AudioNode subclass");
    }
    ls_script_options o = ls_script_options_default();
    uint32_t cc = 0, ccm = UINT32_MAX, ci = UINT32_MAX, mode = 0;
    if (opt_u32(spec, "number_of_inputs", &o.number_of_inputs) < 0 ||
        opt_u32(spec, "number_of_outputs", &o.number_of_outputs) < 0 ||
        opt_u32(spec, "lookahead", &o.lookahead) < 0 || opt_u32(spec, "mode", &mode) < 0 ||
        opt_u32(spec, "channel_count", &cc) < 0 ||
        opt_u32(spec, "channel_count_mode", &ccm) < 0 ||
        opt_u32(spec, "channel_interpretation", &ci) < 0) {
        return NULL;
    }
    o.mode = (ls_script_mode)mode;
    o.node.channel_count = (int32_t)cc;
    if (ccm != UINT32_MAX) {
        o.node.channel_count_mode = (int32_t)ccm;
    }
    if (ci != UINT32_MAX) {
        o.node.channel_interpretation = (int32_t)ci;
    }
    PyObject *v = PyDict_GetItemString(spec, "scheduled_source");
    o.scheduled_source = v != NULL && PyObject_IsTrue(v) == 1;
    v = PyDict_GetItemString(spec, "output_channel_count");
    if (v != NULL && v != Py_None) {
        if (!PyList_Check(v) || LSPY_LIST_SIZE(v) > LS_SCRIPT_MAX_IO) {
            return PyErr_Format(PyExc_IndexError,
                                "output_channel_count: a list of at most %d counts, got %R",
                                LS_SCRIPT_MAX_IO, v);
        }
        for (Py_ssize_t i = 0; i < LSPY_LIST_SIZE(v); i++) {
            unsigned long x = PyLong_AsUnsignedLong(LSPY_LIST_ITEM(v, i));
            if (PyErr_Occurred()) {
                return NULL;
            }
            o.output_channel_count[i] = (uint32_t)(x > 0xFFFFFFFFul ? 0xFFFFFFFFul : x);
        }
    }
    v = PyDict_GetItemString(spec, "params");
    if (v != NULL && v != Py_None) {
        if (!PyList_Check(v) || LSPY_LIST_SIZE(v) > LS_SCRIPT_MAX_PARAMS) {
            return PyErr_Format(PyExc_IndexError, "parameters: at most %d, got %R",
                                LS_SCRIPT_MAX_PARAMS, v);
        }
        o.num_params = (uint32_t)LSPY_LIST_SIZE(v);
        for (uint32_t k = 0; k < o.num_params; k++) {
            const char *name;
            Py_ssize_t len;
            float def, lo, hi;
            int rate;
            if (!PyArg_ParseTuple(LSPY_LIST_ITEM(v, k), "s#fffi", &name, &len, &def, &lo, &hi,
                                  &rate)) {
                return NULL;
            }
            if (len >= LS_SCRIPT_NAME_MAX) {
                return PyErr_Format(PyExc_ValueError, "parameters: name longer than %d bytes: %s",
                                    LS_SCRIPT_NAME_MAX - 1, name);
            }
            memcpy(o.params[k].name, name, (size_t)len + 1);
            o.params[k].default_value = def;
            o.params[k].min_value = lo;
            o.params[k].max_value = hi;
            o.params[k].rate = (ls_automation_rate)rate;
        }
    }
    o.process = kernel_process;
    o.release = kernel_release;
    o.user = kernel;
    ls_node *n;
    ls_result r = ls_script_create(lspy_ctx_of(context), &o, &n);
    if (r != LS_OK) {
        return lspy_raise_call(st, r, "create_script");
    }
    Py_INCREF(kernel);              /* the engine's reference, given back by kernel_release */
    if (owner_link(st, context, kernel) < 0) {
        ls_node_release(n);         /* the engine gives the kernel back on its own */
        return NULL;
    }
    ls_script *s = ls_script_of(n);
    MemoryObject *mem = PyObject_New(MemoryObject, st->ScriptMemory_Type);
    if (mem == NULL) {
        ls_script_release(s);
        ls_node_release(n);
        return NULL;
    }
    mem->s = s;
    size_t nfloats;
    mem->base = ls_script_memory_base(s, &nfloats);
    mem->nfloats = (Py_ssize_t)nfloats;
    mem->exports = 0;
    PyObject *node = lspy_node_wrap(st, (PyTypeObject *)cls, context, n);
    if (node == NULL) {
        Py_DECREF(mem);
        return NULL;
    }
    PyObject *params = PyDict_New();
    if (params == NULL) {
        goto error;
    }
    for (uint32_t k = 0; k < o.num_params; k++) {
        PyObject *p = lspy_param_wrap(st, ls_node_param_by_name(n, o.params[k].name), context);
        if (p == NULL || PyDict_SetItemString(params, o.params[k].name, p) < 0) {
            Py_XDECREF(p);
            goto error;
        }
        Py_DECREF(p);
    }
    return Py_BuildValue("(NNN)", node, (PyObject *)mem, params);
error:
    Py_XDECREF(params);
    Py_DECREF(node);
    Py_DECREF(mem);
    return NULL;
}

static PyObject *
script_drain(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    (void)module;
    drain_deferred(NULL);
    Py_RETURN_NONE;
}

PyMethodDef lspy_script_methods[] = {
    {"_create_script", create_script, METH_VARARGS,
     "_create_script(cls, context, kernel, spec, /)\n--\n\n"
     "Create a script node: (node, memory, params). Internal: use create_function or "
     "create_processor."},
    {"_script_drain", script_drain, METH_NOARGS,
     "_script_drain($module, /)\n--\n\nDrop the kernels the engine gave back."},
    {NULL, NULL, 0, NULL}
};

int
lspy_script_init(PyObject *m, lspy_state *st)
{
    if (lspy_add_type(m, &st->ScriptMemory_Type, &memory_spec, NULL) < 0 ||
        lspy_add_type(m, &st->ScriptKernel_Type, &kernel_spec, NULL) < 0) {
        return -1;
    }
    /* the owner type is internal: in the state, not in the module */
    st->ScriptOwner_Type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &owner_spec, NULL);
    if (st->ScriptOwner_Type == NULL ||
        PyModule_AddIntConstant(m, "SCRIPT_MAX_PARAMS", LS_SCRIPT_MAX_PARAMS) < 0 ||
        PyModule_AddIntConstant(m, "SCRIPT_MAX_IO", LS_SCRIPT_MAX_IO) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, lspy_script_methods);
}
