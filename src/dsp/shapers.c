#include "shapers.h"
#include "vmath.h"

#include <math.h>

void ls_clip_hard(const float *x, float *y, size_t n, const float *a, size_t as,
                  const float *b, size_t bs)
{
    if (!as && !bs) {
        const float lo = a[0], hi = b[0];
        for (size_t i = 0; i < n; i++) {
            float v = x[i] < lo ? lo : x[i];
            y[i] = v > hi ? hi : v;
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        float lo = a[as ? i : 0], hi = b[bs ? i : 0];
        float v = x[i] < lo ? lo : x[i];
        y[i] = v > hi ? hi : v;
    }
}

LS_VEC_FN void ls_clip_tanh(const float *x, float *y, size_t n, const float *a, size_t as,
                            const float *b, size_t bs)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const v8f va = as ? load8(a + i) : ls_vm_splat(a[0]);
        const v8f vb = bs ? load8(b + i) : ls_vm_splat(b[0]);
        store8(y + i, va * ls_vm_tanh(vb * load8(x + i)));
    }
    for (; i < n; i++)
        y[i] = a[as ? i : 0] * tanhf(b[bs ? i : 0] * x[i]);
}

float ls_diode_value(float x, float h, float vb, float vl)
{
    float v = fabsf(x);
    if (v <= vb)
        return 0.0f;
    if (vl > vb) {
        float q = 2.0f * vl - 2.0f * vb;
        if (v <= vl)
            return h * (v - vb) * (v - vb) / q;
        return h * v - h * vl + h * (vl - vb) * (vl - vb) / q;
    }
    /* no quadratic part: linear from vb */
    return h * (v - vb);
}

void ls_diode(const float *x, float *y, size_t n, const float *h, size_t hs, const float *vb,
              size_t vbs, const float *vl, size_t vls)
{
    for (size_t i = 0; i < n; i++)
        y[i] = ls_diode_value(x[i], h[hs ? i : 0], vb[vbs ? i : 0], vl[vls ? i : 0]);
}
