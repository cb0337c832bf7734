/*
 * SpectralMonitorNode's reading (src/nodes/spectral_monitor.c):
 * spectral_magnitude(), a new float32 array of window_size / 2 + 1 values.
 */
#include "nodes.h"

static PyObject *
sm_spectral_magnitude(PyObject *obj, PyObject *unused)
{
    lspy_NodeObject *self = (lspy_NodeObject *)obj;
    lspy_state *st = LSPY_STATE(self);
    if (lspy_node_check_live(self) < 0 || lspy_need_numpy(st) < 0) {
        return NULL;
    }
    Py_ssize_t n = (Py_ssize_t)ls_spectral_monitor_get_window_size(self->node) / 2 + 1;
    PyObject *shape = Py_BuildValue("(n)", n);
    if (shape == NULL) {
        return NULL;
    }
    PyObject *a = PyObject_CallFunctionObjArgs(st->np_empty, shape, st->np_float32, NULL);
    Py_DECREF(shape);
    if (a == NULL) {
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(a, &view, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0) {
        Py_DECREF(a);
        return NULL;
    }
    ls_result r;
    Py_BEGIN_ALLOW_THREADS
    r = ls_spectral_monitor_get_magnitude(self->node, (float *)view.buf, (uint32_t)n);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (r != LS_OK) {
        Py_DECREF(a);
        return lspy_raise_call(st, r, "spectral_magnitude");
    }
    return a;
}

static PyMethodDef sm_methods[] = {
    {"spectral_magnitude", sm_spectral_magnitude, METH_NOARGS,
     "spectral_magnitude($self, /)\n--\n\nThe magnitude spectrum of the latest window_size "
     "frames (mono down-mix, Blackman window, scaled by 2 / sum(window)): a float32 array of "
     "window_size // 2 + 1 values, bins 0 .. Nyquist."},
    {NULL}};

const lspy_node_special lspy_spectral_monitor_special = {
    "spectral_monitor", sm_methods, NULL,
    "spectral_magnitude() is linear: a full-scale sine on a bin reads 1.\n"
    "\n"
    "    sm = ctx.create_spectral_monitor(window_size=1024)\n"
    "    src >> sm\n"
    "    mags = sm.spectral_magnitude()     # bin k is k * sample_rate / 1024 Hz"};
