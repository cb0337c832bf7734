/*
 * labsound.rfft / labsound.irfft: the engine's real FFT over NumPy arrays
 * (1-D, or 2-D transformed row by row), for tools and for benchmarking it
 * against numpy.fft. Plans are made once per size and kept for the
 * module's lifetime; the GIL is held throughout (a plan has one scratch).
 * Results are new arrays from np.empty, so NumPy's allocator (huge pages for
 * large ones) serves them.
 */
#include "core.h"

#define MAX_LOG2 24

static ls_real_fft *plans[MAX_LOG2 + 1];

static ls_real_fft *
plan_for(lspy_state *st, Py_ssize_t n, const char *fn)
{
    int log2n = 0;
    while (((Py_ssize_t)1 << log2n) < n) {
        log2n++;
    }
    if (n < 2 || ((Py_ssize_t)1 << log2n) != n || log2n > MAX_LOG2) {
        lspy_raise(st, LS_ERROR_NOT_SUPPORTED,
                   "%s: the length must be a power of two from 2 to 2**24, got %zd", fn, n);
        return NULL;
    }
    if (plans[log2n] == NULL) {
        ls_result r = ls_real_fft_create((uint32_t)n, &plans[log2n]);
        if (r != LS_OK) {
            lspy_raise_call(st, r, fn);
            return NULL;
        }
    }
    return plans[log2n];
}

void
lspy_fft_free_plans(void)
{
    for (int i = 0; i <= MAX_LOG2; i++) {
        ls_real_fft_destroy(plans[i]);
        plans[i] = NULL;
    }
}

/* A C-contiguous 1-D or 2-D view of `x` as `dtype` (an owned array in *arr). */
static int
get_view(lspy_state *st, PyObject *x, PyObject *dtype, const char *fn, PyObject **arr,
         Py_buffer *view)
{
    if (lspy_need_numpy(st) < 0) {
        return -1;
    }
    *arr = PyObject_CallFunctionObjArgs(st->np_ascontiguousarray, x, dtype, NULL);
    if (*arr == NULL) {
        return -1;
    }
    if (PyObject_GetBuffer(*arr, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_ND) < 0) {
        Py_CLEAR(*arr);
        return -1;
    }
    if (view->ndim < 1 || view->ndim > 2) {
        PyErr_Format(PyExc_ValueError, "%s: expected a 1-D or 2-D array, got %d dimensions", fn,
                     view->ndim);
        PyBuffer_Release(view);
        Py_CLEAR(*arr);
        return -1;
    }
    return 0;
}

/* A new C-contiguous array np.empty(shape, dtype) (NumPy's allocator: large
 * arrays get huge pages) and a writable view of it. */
static PyObject *
new_array(lspy_state *st, PyObject *dtype, int ndim, Py_ssize_t rows, Py_ssize_t cols,
          Py_buffer *view)
{
    PyObject *shape = ndim == 1 ? Py_BuildValue("(n)", cols) : Py_BuildValue("(nn)", rows, cols);
    if (shape == NULL) {
        return NULL;
    }
    PyObject *a = PyObject_CallFunctionObjArgs(st->np_empty, shape, dtype, NULL);
    Py_DECREF(shape);
    if (a != NULL && PyObject_GetBuffer(a, view, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0) {
        Py_CLEAR(a);
    }
    return a;
}

/* rfft: n float32 samples -> n/2 + 1 complex64 bins; irfft the other way
 * (n = 2 (bins - 1)); row by row for 2-D input. */
static PyObject *
transform(PyObject *module, PyObject *x, int inverse)
{
    lspy_state *st = PyModule_GetState(module);
    const char *fn = inverse ? "irfft" : "rfft";
    PyObject *arr = NULL, *result = NULL;
    float *tmp = NULL;
    Py_buffer view, out_view;
    /* numpy first: the dtype to convert to comes from it */
    if (lspy_need_numpy(st) < 0 ||
        get_view(st, x, inverse ? st->np_complex64 : st->np_float32, fn, &arr, &view) < 0) {
        return NULL;
    }
    Py_ssize_t last = view.shape[view.ndim - 1], rows = view.ndim == 2 ? view.shape[0] : 1;
    Py_ssize_t n = inverse ? 2 * (last - 1) : last, bins = n / 2 + 1;
    ls_real_fft *plan = plan_for(st, n, fn);
    if (plan == NULL) {
        goto done;
    }
    tmp = PyMem_Malloc(2 * bins * sizeof(float));
    if (tmp == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    result = new_array(st, inverse ? st->np_float32 : st->np_complex64, view.ndim, rows,
                       inverse ? n : bins, &out_view);
    if (result == NULL) {
        goto done;
    }
    float *out = out_view.buf;
    const float *in = view.buf;
    for (Py_ssize_t r = 0; r < rows; r++) {
        if (inverse) {
            const float *c = in + r * bins * 2;
            for (Py_ssize_t k = 0; k < bins; k++) {
                tmp[k] = c[2 * k];
                tmp[bins + k] = c[2 * k + 1];
            }
            ls_real_fft_inverse(plan, tmp, tmp + bins, out + r * n);
            continue;
        }
        ls_real_fft_forward(plan, in + r * n, tmp, tmp + bins);
        float *o = out + r * bins * 2;
        for (Py_ssize_t k = 0; k < bins; k++) {
            o[2 * k] = tmp[k];
            o[2 * k + 1] = tmp[bins + k];
        }
    }
    PyBuffer_Release(&out_view);
done:
    PyMem_Free(tmp);
    PyBuffer_Release(&view);
    Py_XDECREF(arr);
    return result;
}

static PyObject *
fft_rfft(PyObject *module, PyObject *x)
{
    return transform(module, x, 0);
}

static PyObject *
fft_irfft(PyObject *module, PyObject *x)
{
    return transform(module, x, 1);
}

static PyMethodDef fft_methods[] = {
    {"rfft", fft_rfft, METH_O,
     "rfft($module, x, /)\n--\n\n"
     "Real FFT of x (1-D, or 2-D row by row; power-of-two length) with the engine's FFT.\n"
     "Returns complex64 bins 0 .. n/2, like numpy.fft.rfft."},
    {"irfft", fft_irfft, METH_O,
     "irfft($module, X, /)\n--\n\n"
     "Inverse of rfft: n/2 + 1 complex bins to n float32 samples (n = 2 (len(X) - 1))."},
    {NULL, NULL, 0, NULL}
};

int
lspy_fft_add_functions(PyObject *m)
{
    return PyModule_AddFunctions(m, fft_methods);
}
