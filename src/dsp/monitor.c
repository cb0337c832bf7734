#include "monitor.h"
#include "fft.h"

#include <math.h>
#include <string.h>

void ls_level_init(ls_level *s, float *ring, uint32_t n)
{
    s->ring = ring;
    s->n = n;
    s->pos = 0;
    s->since_resum = 0;
    s->sum = 0.0;
    memset(ring, 0, sizeof(float) * n);
}

void ls_level_push(ls_level *s, const float *const *ch, uint32_t channels, uint32_t frames)
{
    const float inv = channels ? 1.0f / (float)channels : 0.0f;
    for (uint32_t i = 0; i < frames; i++) {
        float ms = 0.0f;
        for (uint32_t c = 0; c < channels; c++) {
            float x = ch[c][i];
            if (isfinite(x))
                ms += x * x;
        }
        ms *= inv;
        if (!isfinite(ms))
            ms = 3.4e38f;       /* finite samples whose squares overflow */
        s->sum += (double)ms - (double)s->ring[s->pos];
        s->ring[s->pos] = ms;
        if (++s->pos == s->n)
            s->pos = 0;
        if (++s->since_resum >= s->n) {
            double t = 0.0;
            for (uint32_t k = 0; k < s->n; k++)
                t += s->ring[k];
            s->sum = t;
            s->since_resum = 0;
        }
    }
}

float ls_level_db(const ls_level *s, float floor_db)
{
    double ms = s->sum / (double)s->n;
    double floor_ms = pow(10.0, floor_db / 10.0);
    if (!(ms > floor_ms))
        return floor_db;
    return (float)(10.0 * log10(ms));
}

void ls_blackman(float *w, uint32_t n)
{
    const double tau = 6.283185307179586;
    for (uint32_t i = 0; i < n; i++)
        w[i] = (float)(0.42 - 0.5 * cos(tau * i / n) + 0.08 * cos(2.0 * tau * i / n));
}

void ls_spectrum_magnitude(struct ls_fft *fft, const float *x, const float *w, float *scratch,
                           float *re, float *im, float *out)
{
    const uint32_t n = ls_fft_size(fft);
    double wsum = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        scratch[i] = x[i] * w[i];
        wsum += w[i];
    }
    ls_fft_forward(fft, scratch, re, im);
    const float scale = (float)(2.0 / wsum);
    for (uint32_t k = 0; k <= n / 2; k++)
        out[k] = sqrtf(re[k] * re[k] + im[k] * im[k]) * scale;
}
