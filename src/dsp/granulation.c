#include "granulation.h"
#include "interp.h"
#include "simd.h"

#include <math.h>
#include <stdint.h>

float ls_grain_window_at(int window, double t)
{
    const double tau = 6.283185307179586;
    if (t < 0.0 || t > 1.0)
        return 0.0f;
    switch (window) {
    case LS_GRAIN_HANN: return (float)(0.5 - 0.5 * cos(tau * t));
    case LS_GRAIN_TRIANGLE: return (float)(1.0 - fabs(2.0 * t - 1.0));
    case LS_GRAIN_GAUSSIAN: {
        double u = (2.0 * t - 1.0) / 0.4;
        return (float)exp(-0.5 * u * u);
    }
    case LS_GRAIN_TUKEY: {
        const double a = 0.5;
        if (t < a / 2.0)
            return (float)(0.5 - 0.5 * cos(tau * t / a));
        if (t > 1.0 - a / 2.0)
            return (float)(0.5 - 0.5 * cos(tau * (1.0 - t) / a));
        return 1.0f;
    }
    case LS_GRAIN_BLACKMAN:
        return (float)(0.42 - 0.5 * cos(tau * t) + 0.08 * cos(2.0 * tau * t));
    case LS_GRAIN_RECTANGLE: return 1.0f;
    case LS_GRAIN_HAMMING: return (float)(0.54 - 0.46 * cos(tau * t));
    default: return 0.0f;
    }
}

static float sample_at(const float *src, uint64_t n, double pos)
{
    if (pos < 0.0 || pos > (double)(n - 1))
        return 0.0f;
    uint64_t i = (uint64_t)pos;
    double f = pos - (double)i;
    float a = src[i];
    float b = i + 1 < n ? src[i + 1] : 0.0f;
    return a + (float)f * (b - a);
}

void ls_grain_add(float *out, int window, uint64_t length, uint64_t from, uint64_t to,
                  const float *src, uint64_t src_frames, double position, double step)
{
    if (length == 0 || src_frames == 0)
        return;
    const double scale = length > 1 ? 1.0 / (double)(length - 1) : 0.0;
    for (uint64_t j = from; j < to && j < length; j++) {
        float w = length > 1 ? ls_grain_window_at(window, (double)j * scale) : 1.0f;
        out[j - from] += w * sample_at(src, src_frames, position + (double)j * step);
    }
}

/* c[k] = cos(a (from + k)) for k < n: four lanes, each rotated by 4a per
 * step (the rotation's error grows by about one ulp per step: 1e-13 over a
 * long grain), from one cos/sin pair. */
static void cosines(double *restrict c, uint64_t from, double a, uint32_t n)
{
    const double cd = cos(a), sd = sin(a);
    const double c2 = 2.0 * cd * cd - 1.0, s2 = 2.0 * sd * cd;
    const double c4 = 2.0 * c2 * c2 - 1.0, s4 = 2.0 * s2 * c2;
    double lc[4], ls_[4];
    lc[0] = cos(a * (double)from);
    ls_[0] = sin(a * (double)from);
    for (int l = 1; l < 4; l++) {
        lc[l] = lc[l - 1] * cd - ls_[l - 1] * sd;
        ls_[l] = ls_[l - 1] * cd + lc[l - 1] * sd;
    }
    for (uint32_t k = 0; k < n; k += 4) {
        for (int l = 0; l < 4; l++)
            c[k + (uint32_t)l] = lc[l];
        for (int l = 0; l < 4; l++) {
            const double x = lc[l] * c4 - ls_[l] * s4;
            ls_[l] = ls_[l] * c4 + lc[l] * s4;
            lc[l] = x;
        }
    }
}

static LS_VEC_FN void cos_window(float *restrict w, const double *restrict c, int window,
                                 uint32_t n)
{
    if (window == LS_GRAIN_HANN) {
        for (uint32_t k = 0; k < n; k++)
            w[k] = (float)(0.5 - 0.5 * c[k]);
    } else if (window == LS_GRAIN_HAMMING) {
        for (uint32_t k = 0; k < n; k++)
            w[k] = (float)(0.54 - 0.46 * c[k]);
    } else {
        for (uint32_t k = 0; k < n; k++)
            w[k] = (float)(0.42 - 0.5 * c[k] + 0.08 * (2.0 * c[k] * c[k] - 1.0));
    }
}

void ls_grain_window_fill(float *w, int window, uint64_t length, uint64_t from, uint32_t n)
{
    if (length <= 1) {
        for (uint32_t k = 0; k < n; k++)
            w[k] = 1.0f;
        return;
    }
    /* frames from + k up to length - 1 are in the grain, the rest 0 */
    const uint32_t nv = from >= length ? 0 : (length - from < n ? (uint32_t)(length - from) : n);
    for (uint32_t k = nv; k < n; k++)
        w[k] = 0.0f;
    const double scale = 1.0 / (double)(length - 1);
    const double tau = 6.283185307179586;
    switch (window) {
    case LS_GRAIN_HANN:
    case LS_GRAIN_HAMMING:
    case LS_GRAIN_BLACKMAN: {
        double c[128 + 4];
        for (uint32_t k0 = 0; k0 < nv; k0 += 128) {
            const uint32_t m = nv - k0 < 128 ? nv - k0 : 128;
            cosines(c, from + k0, tau * scale, m);
            cos_window(w + k0, c, window, m);
        }
        return;
    }
    case LS_GRAIN_RECTANGLE:
        for (uint32_t k = 0; k < nv; k++)
            w[k] = 1.0f;
        return;
    default:
        for (uint32_t k = 0; k < nv; k++)
            w[k] = ls_grain_window_at(window, (double)(from + k) * scale);
        return;
    }
}

/* out[k] += w[k] * the source read between two frames, every read inside */
static LS_VEC_FN void add_interpolated(float *restrict out, const float *restrict w, uint32_t n,
                                       double p0, double step, const float *restrict src)
{
    for (uint32_t k = 0; k < n; k++) {
        const double q = p0 + (double)(int32_t)k * step;
        const int32_t i = (int32_t)q;
        const float a = src[i];
        out[k] += w[k] * (a + (float)(q - (double)i) * (src[i + 1] - a));
    }
}

void ls_grain_add_windowed(float *out, const float *w, uint32_t n, uint64_t from,
                           const float *src, uint64_t src_frames, double position, double step)
{
    if (src_frames == 0)
        return;
    double pos = position + (double)from * step;
    if (step == 1.0 && pos == floor(pos) && pos >= 0.0 && pos + (double)n <= (double)src_frames) {
        /* whole frames inside the source: no interpolation */
        const float *x = src + (uint64_t)pos;
        for (uint32_t k = 0; k < n; k++)
            out[k] += w[k] * x[k];
        return;
    }
    const double last = position + (double)(from + n - 1) * step;
    if (n > 0 && step >= 0.0 && pos >= 0.0 && last < (double)(src_frames - 1)) {
        /* every read between two frames of the source: no bounds checks */
        if (src_frames < (uint64_t)INT32_MAX) {
            add_interpolated(out, w, n, pos, step, src);
            return;
        }
        for (uint32_t k = 0; k < n; k++) {
            double q = position + (double)(from + k) * step;
            uint64_t i = (uint64_t)q;
            float a = src[i];
            out[k] += w[k] * (a + (float)(q - (double)i) * (src[i + 1] - a));
        }
        return;
    }
    for (uint32_t k = 0; k < n; k++)
        out[k] += w[k] * sample_at(src, src_frames, position + (double)(from + k) * step);
}

void ls_grain_add_interp(float *out, const float *w, uint32_t n, uint64_t from,
                         const float *src, uint64_t src_frames, double position, double step,
                         int mode)
{
    if (mode == LS_INTERP_LINEAR || src_frames == 0 || src_frames > (uint64_t)INT64_MAX) {
        ls_grain_add_windowed(out, w, n, from, src, src_frames, position, step);
        return;
    }
    float tmp[128];
    const ls_interp_view view = {mode, LS_INTERP_EDGE_ZERO, 0, (int64_t)src_frames, 0, 0};
    const float *x[1] = {src};
    for (uint32_t k0 = 0; k0 < n; k0 += 128) {
        const uint32_t m = n - k0 < 128 ? n - k0 : 128;
        float *y[1] = {tmp};
        ls_interp_read(&view, x, 1, y, m, position + (double)(from + k0) * step, step, false);
        for (uint32_t k = 0; k < m; k++)
            out[k0 + k] += w[k0 + k] * tmp[k];
    }
}
