/* Sampler voice kernel: see sampler.h. */
#include "sampler.h"
#include "interp.h"

#include <math.h>

static inline float edge_after(const float *x, int64_t n)
{
    return n >= 3 ? 3.0f * x[n - 1] - 3.0f * x[n - 2] + x[n - 3] : x[n - 1];
}

static inline float edge_before(const float *x, int64_t n)
{
    return n >= 3 ? 3.0f * x[0] - 3.0f * x[1] + x[2] : x[0];
}

float ls_sampler_value(const float *x, int64_t n, double pos)
{
    double fl = floor(pos);
    int64_t k = (int64_t)fl;
    float f = (float)(pos - fl);
    if (k < 0 || k >= n)
        return 0.0f;
    if (f == 0.0f)
        return x[k];
    float x0 = x[k], xm, x1, x2;
    xm = k >= 1 ? x[k - 1] : edge_before(x, n);
    if (k + 2 < n) {
        x1 = x[k + 1];
        x2 = x[k + 2];
    } else if (k + 1 < n) {
        x1 = x[k + 1];
        x2 = edge_after(x, n);
    } else {
        x1 = edge_after(x, n);
        x2 = n >= 3 ? 3.0f * x1 - 3.0f * x[n - 1] + x[n - 2] : x1;
    }
    float a1 = 0.5f * (x1 - xm);
    float a2 = xm - 2.5f * x0 + 2.0f * x1 - 0.5f * x2;
    float a3 = 0.5f * (x2 - xm) + 1.5f * (x0 - x1);
    return ((a3 * f + a2) * f + a1) * f + x0;
}

bool ls_sampler_wrap(ls_sampler_voice *v)
{
    const double len = v->region_end - v->region_start;
    if (!(v->pos >= v->region_end))
        return true;
    if (v->loops_left == 0 || !(len > 0.0) || !isfinite(v->pos))
        return false;
    /* whole region lengths past the start, at least one: the wrap in constant
     * time, however far a huge step carried the playhead */
    double laps = floor((v->pos - v->region_start) / len);
    if (laps < 1.0)
        laps = 1.0;
    if (v->loops_left > 0 && laps > (double)v->loops_left)
        return false;
    double pos = v->region_start + fmod(v->pos - v->region_start, len);
    v->pos = pos >= v->region_start && pos < v->region_end ? pos : v->region_start;
    if (v->loops_left > 0)
        v->loops_left -= (int64_t)laps;
    return true;
}

uint32_t ls_sampler_voice_add(ls_sampler_voice *v, const float *const *x, uint32_t channels,
                              int64_t n, double step, int mode, float *const *y,
                              uint32_t begin, uint32_t end)
{
    const double len = v->region_end - v->region_start;
    if (!(len > 0.0) || n <= 0)
        return begin;
    if (!isfinite(step) || step < 0.0)
        step = 0.0;
    const ls_interp_view view = {mode, LS_INTERP_EDGE_CONTINUE, 0, n, 0, 0};
    float *yo[LS_SAMPLER_MAX_CHANNELS];
    if (channels > LS_SAMPLER_MAX_CHANNELS)
        channels = LS_SAMPLER_MAX_CHANNELS;
    uint32_t i = begin;
    while (i < end) {
        if (v->pos >= v->region_end && !ls_sampler_wrap(v))
            return i;
        /* the frames up to the region's end, read in one call */
        uint32_t run = end - i;
        if (step > 0.0) {
            double t = (v->region_end - v->pos) / step;
            if (t < (double)run)
                run = t < 1.0 ? 1u : (uint32_t)ceil(t);
            while (run > 1 && v->pos + (double)(run - 1) * step >= v->region_end)
                run--;
            while (run < end - i && v->pos + (double)run * step < v->region_end)
                run++;
        }
        for (uint32_t c = 0; c < channels; c++)
            yo[c] = y[c] + i;
        ls_interp_read(&view, x, channels, yo, run, v->pos, step, true);
        v->pos += (double)run * step;
        i += run;
    }
    return end;
}
