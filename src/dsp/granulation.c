#include "granulation.h"

#include <math.h>

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

void ls_grain_window_fill(float *w, int window, uint64_t length, uint64_t from, uint32_t n)
{
    if (length <= 1) {
        for (uint32_t k = 0; k < n; k++)
            w[k] = 1.0f;
        return;
    }
    const double scale = 1.0 / (double)(length - 1);
    const double tau = 6.283185307179586;
    switch (window) {
    case LS_GRAIN_HANN:
    case LS_GRAIN_HAMMING:
    case LS_GRAIN_BLACKMAN: {
        /* (c, s) = (cos, sin) of tau * t, rotated by tau * scale per frame */
        const double a = tau * scale;
        const double cd = cos(a), sd = sin(a);
        double c = cos(a * (double)from), sn = sin(a * (double)from);
        for (uint32_t k = 0; k < n; k++) {
            double v;
            if (from + k > length - 1)
                v = 0.0;
            else if (window == LS_GRAIN_HANN)
                v = 0.5 - 0.5 * c;
            else if (window == LS_GRAIN_HAMMING)
                v = 0.54 - 0.46 * c;
            else
                v = 0.42 - 0.5 * c + 0.08 * (2.0 * c * c - 1.0);
            w[k] = (float)v;
            double c2 = c * cd - sn * sd;
            sn = sn * cd + c * sd;
            c = c2;
        }
        return;
    }
    case LS_GRAIN_RECTANGLE:
        for (uint32_t k = 0; k < n; k++)
            w[k] = from + k <= length - 1 ? 1.0f : 0.0f;
        return;
    default:
        for (uint32_t k = 0; k < n; k++)
            w[k] = ls_grain_window_at(window, (double)(from + k) * scale);
        return;
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
