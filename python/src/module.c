/*
 * labsound._core: module definition, state, and multi-phase initialization.
 */
#include "core.h"

#ifdef Py_LIMITED_API
/* The module instances alive, and the state of the only one (NULL while
 * there are several, e.g. in subinterpreters): the limited API's lookup
 * below costs a few calls more than PyType_GetModuleByDef, and a call of
 * the API finds the state here instead (GIL held). */
static int lspy_instances;
static lspy_state *lspy_only_state;
#endif

lspy_state *lspy_state_from_type(PyTypeObject *tp)
{
#ifdef Py_LIMITED_API
    if (lspy_only_state != NULL) {
        return lspy_only_state;
    }
    /* PyType_GetModuleByDef is limited only from 3.13: this extension's own
       types answer PyType_GetModule at once; a class defined in Python over
       them walks its layout bases (tp_base) to the first of ours. The errors
       PyType_GetModule raises on the way are dropped, and an exception that
       was already set (a dealloc while one propagates) is kept. */
    PyObject *exc_type = NULL, *exc_value = NULL, *exc_tb = NULL;
    int saved = PyErr_Occurred() != NULL;
    if (saved) {
        PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
    }
    lspy_state *st = NULL;
    for (PyTypeObject *t = tp; t != NULL; t = (PyTypeObject *)PyType_GetSlot(t, Py_tp_base)) {
        if (!(PyType_GetFlags(t) & Py_TPFLAGS_HEAPTYPE)) {
            break;
        }
        PyObject *mod = PyType_GetModule(t);
        if (mod == NULL) {
            PyErr_Clear();
        }
        else if (PyModule_GetDef(mod) == &lspy_module_def) {
            st = (lspy_state *)PyModule_GetState(mod);
            break;
        }
    }
    if (saved) {
        PyErr_Restore(exc_type, exc_value, exc_tb);
    }
    if (st == NULL && !saved) {
        PyErr_Format(PyExc_TypeError, "%s is not a labsound type", lspy_type_name(tp));
    }
    return st;
#elif PY_VERSION_HEX >= 0x030B0000
    PyObject *mod = PyType_GetModuleByDef(tp, &lspy_module_def);
    if (mod == NULL) {
        return NULL;
    }
    return (lspy_state *)PyModule_GetState(mod);
#else
    PyObject *mro = tp->tp_mro;
    if (mro != NULL) {
        Py_ssize_t n = PyTuple_GET_SIZE(mro);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyTypeObject *base = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
            if (!(base->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
                continue;
            }
            PyObject *mod = ((PyHeapTypeObject *)base)->ht_module;
            if (mod != NULL && PyModule_GetDef(mod) == &lspy_module_def) {
                return (lspy_state *)PyModule_GetState(mod);
            }
        }
    }
    PyErr_Format(PyExc_TypeError, "%s is not a labsound type", tp->tp_name);
    return NULL;
#endif
}

int lspy_need_numpy(lspy_state *st)
{
    static const char *const names[] = {"frombuffer", "ascontiguousarray", "float32",
                                        "complex64", "empty"};
    PyObject **slots[] = {&st->np_frombuffer, &st->np_ascontiguousarray, &st->np_float32,
                          &st->np_complex64, &st->np_empty};
    if (st->np_empty != NULL) {
        return 0;
    }
    PyObject *np = PyImport_ImportModule("numpy");
    int rc = np != NULL ? 0 : -1;
    for (int i = 0; rc == 0 && i < 5; i++) {
        if (*slots[i] == NULL && (*slots[i] = PyObject_GetAttrString(np, names[i])) == NULL) {
            rc = -1;
        }
    }
    Py_XDECREF(np);
    return rc;
}

void
lspy_dealloc(PyObject *self, PyObject *weakreflist, inquiry clear)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (PyType_GetFlags(tp) & Py_TPFLAGS_HAVE_GC) {
        PyObject_GC_UnTrack(self);
    }
    if (weakreflist != NULL) {
        PyObject_ClearWeakRefs(self);
    }
    if (clear != NULL) {
        clear(self);
    }
    LSPY_FREE(tp, self);
    Py_DECREF(tp);
}

int
lspy_visit_refs(PyObject **first, size_t n, visitproc visit, void *arg)
{
    for (size_t i = 0; i < n; i++) {
        Py_VISIT(first[i]);
    }
    return 0;
}

void
lspy_clear_refs(PyObject **first, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        Py_CLEAR(first[i]);
    }
}

PyObject *
lspy_py_attr(const char *module, const char *name)
{
    PyObject *mod = PyImport_ImportModule(module);
    PyObject *f = mod != NULL ? PyObject_GetAttrString(mod, name) : NULL;
    Py_XDECREF(mod);
    return f;
}

PyObject *
lspy_py_call(const char *module, const char *name, PyObject *self, PyObject *const *args,
             Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *f = lspy_py_attr(module, name);
    PyObject *pos = f != NULL ? PyTuple_New(nargs + 1) : NULL, *kw = NULL, *res = NULL;
    if (pos == NULL) {
        goto done;
    }
    Py_INCREF(self);
    LSPY_TUPLE_SET(pos, 0, self);
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Py_INCREF(args[i]);
        LSPY_TUPLE_SET(pos, i + 1, args[i]);
    }
    Py_ssize_t nkw = kwnames ? LSPY_TUPLE_SIZE(kwnames) : 0;
    if (nkw > 0 && (kw = PyDict_New()) == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < nkw; i++) {
        if (PyDict_SetItem(kw, LSPY_TUPLE_ITEM(kwnames, i), args[nargs + i]) < 0) {
            goto done;
        }
    }
    res = PyObject_Call(f, pos, kw);
done:
    Py_XDECREF(f);
    Py_XDECREF(pos);
    Py_XDECREF(kw);
    return res;
}

/* ------------------------------------------------------------------ */

static PyObject *
version(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString(ls_version());
}

static PyMethodDef module_methods[] = {
    {"engine_version", version, METH_NOARGS,
     "engine_version($module, /)\n--\n\nThe C engine's version string."},
    {"devices", lspy_devices_list, METH_NOARGS,
     "devices($module, /)\n--\n\nThe audio devices, as dicts (see labsound.devices())."},
    {"_devices_available", lspy_devices_available, METH_NOARGS,
     "_devices_available($module, /)\n--\n\n(True, '') when PortAudio loads, else (False, reason)."},
    /* the render profiler (profile.c) */
    {"_set_profiling", (PyCFunction)(void (*)(void))lspy_set_profiling, METH_FASTCALL,
     "_set_profiling($module, context, on, /)\n--\n\nTurn per-node render timing on or off."},
    {"_context_profile", lspy_context_profile, METH_O,
     "_context_profile($module, context, /)\n--\n\n(quanta, total_ns, max_ns) of whole quanta."},
    {"_node_profile", lspy_node_profile, METH_O,
     "_node_profile($module, node, /)\n--\n\n(quanta, total_ns, max_ns) of one node."},
    {"_node_descriptors", lspy_node_descriptors, METH_NOARGS,
     "_node_descriptors($module, /)\n--\n\nThe engine's node type descriptors, as dicts."},
    {NULL, NULL, 0, NULL}
};

static int
add_type(PyObject *m, PyTypeObject **slot, PyType_Spec *spec, PyObject *base)
{
    PyObject *bases = NULL;
    if (base != NULL) {
        bases = PyTuple_Pack(1, base);
        if (bases == NULL) {
            return -1;
        }
    }
    PyObject *t = PyType_FromModuleAndSpec(m, spec, bases);
    Py_XDECREF(bases);
    if (t == NULL) {
        return -1;
    }
    *slot = (PyTypeObject *)t;
    const char *name = strrchr(spec->name, '.');
    name = name ? name + 1 : spec->name;
    Py_INCREF(t);
    if (PyModule_AddObject(m, name, t) < 0) {
        Py_DECREF(t);
        return -1;
    }
    return 0;
}

int
lspy_add_type(PyObject *m, PyTypeObject **slot, PyType_Spec *spec, PyObject *base)
{
    return add_type(m, slot, spec, base);
}

/* base: a class or a tuple of them */
static int
add_exception(PyObject *m, PyObject **slot, const char *name, const char *doc, PyObject *base)
{
    char qual[128];
    PyOS_snprintf(qual, sizeof qual, "labsound.%s", name);
    PyObject *e = PyErr_NewExceptionWithDoc(qual, doc, base, NULL);
    if (e == NULL) {
        return -1;
    }
    *slot = e;
    Py_INCREF(e);
    if (PyModule_AddObject(m, name, e) < 0) {
        Py_DECREF(e);
        return -1;
    }
    return 0;
}

static int
module_exec(PyObject *m)
{
    lspy_state *st = (lspy_state *)PyModule_GetState(m);
#ifdef Py_LIMITED_API
    st->counted = 1;
    lspy_only_state = lspy_instances++ == 0 ? st : NULL;
#endif
    if (PyModule_AddFunctions(m, lspy_record_methods) < 0) {    /* record.c */
        return -1;
    }

    if (add_exception(m, &st->LabSoundError, "LabSoundError",
                      "The base of labsound's own exceptions (InvalidStateError,\n"
                      "InvalidAccessError, NotSupportedError, DecodeError). The spec's IndexSizeError\n"
                      "is raised as IndexError and its RangeError as ValueError, so ordinary Python\n"
                      "handlers catch them; TypeError is used for arguments of the wrong type.", PyExc_Exception) < 0 ||
        add_exception(m, &st->InvalidStateError, "InvalidStateError",
                      "The Web Audio spec's InvalidStateError: the object is not in a state where\n"
                      "the call is allowed, e.g. start() on a source that already started, setting a\n"
                      "buffer twice, or using a closed context. Subclass of LabSoundError.",
                      st->LabSoundError) < 0 ||
        add_exception(m, &st->InvalidAccessError, "InvalidAccessError",
                      "The Web Audio spec's InvalidAccessError: an operation on an object that does\n"
                      "not allow it, e.g. connecting nodes of different contexts, or disconnecting\n"
                      "a connection that does not exist. Subclass of LabSoundError.",
                      st->LabSoundError) < 0 ||
        add_exception(m, &st->NotSupportedError, "NotSupportedError",
                      "The Web Audio spec's NotSupportedError: a value the spec does not support,\n"
                      "e.g. a sample rate outside 3000..768000 Hz, a channel count of 0 or above 32,\n"
                      "or a channel setting a node does not allow. Subclass of LabSoundError.", st->LabSoundError) < 0) {
        return -1;
    }
    PyObject *decode_bases = PyTuple_Pack(2, st->LabSoundError, PyExc_ValueError);
    int rc = decode_bases == NULL ? -1 :
        add_exception(m, &st->DecodeError, "DecodeError",
                      "Audio data could not be decoded (malformed, truncated or unsupported); the\n"
                      "message says what is wrong. A LabSoundError and a ValueError.\n\n"
                      "Raised by context.decode_audio_data(), labsound.load() and the file\n"
                      "readers on data in an unknown format or a malformed or truncated file;\n"
                      "the reader checks every size and offset, so bad files never read out of\n"
                      "bounds.", decode_bases);
    Py_XDECREF(decode_bases);
    if (rc < 0 ||
        add_exception(m, &st->ClippingWarning, "ClippingWarning",
                      "AudioBuffer.save() wrote an integer (PCM) file from samples beyond full\n"
                      "scale [-1, 1]: those samples were clipped. The message gives the peak and\n"
                      "how many samples were clipped. Scale the buffer first, or save with\n"
                      "bits='float32', which keeps them.", PyExc_UserWarning) < 0) {
        return -1;
    }

    st->str_ended = PyUnicode_InternFromString("ended");
    st->str_statechange = PyUnicode_InternFromString("statechange");
    st->str_complete = PyUnicode_InternFromString("complete");
    if (st->str_ended == NULL || st->str_statechange == NULL || st->str_complete == NULL) {
        return -1;
    }

    if (add_type(m, &st->BaseAudioContext_Type, &lspy_BaseAudioContext_spec, NULL) < 0 ||
        add_type(m, &st->AudioContext_Type, &lspy_AudioContext_spec,
                 (PyObject *)st->BaseAudioContext_Type) < 0 ||
        add_type(m, &st->OfflineAudioContext_Type, &lspy_OfflineAudioContext_spec,
                 (PyObject *)st->BaseAudioContext_Type) < 0 ||
        add_type(m, &st->AudioNode_Type, &lspy_AudioNode_spec, NULL) < 0 ||
        add_type(m, &st->AudioScheduledSourceNode_Type, &lspy_AudioScheduledSourceNode_spec,
                 (PyObject *)st->AudioNode_Type) < 0 ||
        add_type(m, &st->AudioDestinationNode_Type, &lspy_AudioDestinationNode_spec,
                 (PyObject *)st->AudioNode_Type) < 0 ||
        add_type(m, &st->AudioParam_Type, &lspy_AudioParam_spec, NULL) < 0 ||
        add_type(m, &st->AudioBuffer_Type, &lspy_AudioBuffer_spec, NULL) < 0 ||
        add_type(m, &st->PeriodicWave_Type, &lspy_PeriodicWave_spec, NULL) < 0) {
        return -1;
    }
    if (lspy_listener_init(m, st) < 0 || lspy_fft_add_functions(m) < 0) {
        return -1;
    }

    if (lspy_files_init(m, st) < 0) {
        return -1;
    }

    if (add_type(m, &st->MediaStreamAudioSourceNode_Type, &lspy_MediaStreamAudioSourceNode_spec,
                 (PyObject *)st->AudioNode_Type) < 0) {
        return -1;
    }

    if (PyModule_AddIntConstant(m, "RENDER_QUANTUM", LS_RENDER_QUANTUM) < 0 ||
        PyModule_AddIntConstant(m, "MAX_CHANNELS", LS_MAX_CHANNELS) < 0 ||
        PyModule_AddStringConstant(m, "ENGINE_VERSION", ls_version()) < 0) {
        return -1;
    }
    if (lspy_script_init(m, st) < 0) {
        return -1;
    }
    if (lspy_stream_source_init(m, st) < 0) {  /* stream sources (nodes/stream_source.c) */
        return -1;
    }
    if (lspy_node_types_init(m, st) < 0) {     /* every other node type, from its descriptor */
        return -1;
    }
    return 0;
}

/* The state's references: every member before node_classes (core.h). */
#define STATE_REFS(st) ((PyObject **)(st))
#define N_STATE_REFS (offsetof(lspy_state, node_classes) / sizeof(PyObject *))

static int
module_traverse(PyObject *m, visitproc visit, void *arg)
{
    lspy_state *st = (lspy_state *)PyModule_GetState(m);
    if (st == NULL) {
        return 0;
    }
    if (lspy_visit_refs(STATE_REFS(st), N_STATE_REFS, visit, arg) < 0) {
        return -1;
    }
    return lspy_node_types_traverse(st, visit, arg);
}

static int
module_clear(PyObject *m)
{
    lspy_state *st = (lspy_state *)PyModule_GetState(m);
    if (st == NULL) {
        return 0;
    }
    lspy_clear_refs(STATE_REFS(st), N_STATE_REFS);
    lspy_node_types_clear(st);
    return 0;
}

static void
module_free(void *m)
{
#ifdef Py_LIMITED_API
    lspy_state *st = (lspy_state *)PyModule_GetState((PyObject *)m);
    if (st != NULL && st->counted) {
        st->counted = 0;
        lspy_instances--;
        if (lspy_only_state == st) {
            lspy_only_state = NULL;
        }
    }
#endif
    module_clear((PyObject *)m);
    lspy_state *state = (lspy_state *)PyModule_GetState((PyObject *)m);
    if (state != NULL) {
        lspy_node_types_free(state);
    }
    lspy_fft_free_plans();
}

static PyModuleDef_Slot module_slots[] = {
    {Py_mod_exec, module_exec},
    {0, NULL}
};

PyModuleDef lspy_module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "labsound._core",
    .m_doc = "The labsound audio engine's Python binding (C extension).",
    .m_size = sizeof(lspy_state),
    .m_methods = module_methods,
    .m_slots = module_slots,
    .m_traverse = module_traverse,
    .m_clear = module_clear,
    .m_free = module_free,
};

PyMODINIT_FUNC
PyInit__core(void)
{
    return PyModuleDef_Init(&lspy_module_def);
}
