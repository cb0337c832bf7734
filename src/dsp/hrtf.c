/* Spherical-head HRTF model; see hrtf.h. */
#include "hrtf.h"

#include <math.h>
#include <string.h>

static const double half_pi = 1.5707963267948966;

void ls_hrtf_model(double azimuth, double elevation, double sample_rate, float delay[2],
                   float alpha[2])
{
    const double a_over_c = LS_HRTF_HEAD_RADIUS / LS_HRTF_SPEED_OF_SOUND;
    double lateral = sin(azimuth * (half_pi / 90.0)) * cos(elevation * (half_pi / 90.0));
    for (int e = 0; e < 2; e++) {
        double c = e == 0 ? -lateral : lateral;   /* cos of the angle from the ear's axis */
        c = c > 1.0 ? 1.0 : (c < -1.0 ? -1.0 : c);
        double beta = acos(c);
        double t = beta < half_pi ? a_over_c * (1.0 - c) : a_over_c * (1.0 + beta - half_pi);
        delay[e] = (float)(t * sample_rate);
        alpha[e] = (float)(1.05 + 0.95 * cos(1.2 * beta));
    }
}

void ls_hrtf_init(ls_hrtf *h, double sample_rate)
{
    memset(h, 0, sizeof *h);
    h->sample_rate = sample_rate;
    /* tau = 1 / (2 w0) = a / (2 c); K = 2 fs */
    h->tau_k = (LS_HRTF_HEAD_RADIUS / (2.0 * LS_HRTF_SPEED_OF_SOUND)) * 2.0 * sample_rate;
}

void ls_hrtf_reset(ls_hrtf *h)
{
    memset(h->ring, 0, sizeof h->ring);
    h->x1[0] = h->x1[1] = h->y1[0] = h->y1[1] = 0.0f;
}

uint32_t ls_hrtf_tail_frames(const ls_hrtf *h)
{
    (void)h;
    return LS_HRTF_RING + 512;
}

void ls_hrtf_process(ls_hrtf *h, const float *in_l, const float *in_r, float *out_l,
                     float *out_r, uint32_t n, const float *const delay[2],
                     const float *const alpha[2], int ramp)
{
    const float tk = (float)h->tau_k;
    const float inv = 1.0f / (1.0f + tk);
    const float a1 = (1.0f - tk) * inv;
    const uint32_t mask = LS_HRTF_RING - 1;
    if (!h->primed) {
        for (int e = 0; e < 2; e++) {
            h->delay[e] = delay[e][0];
            h->alpha[e] = alpha[e][0];
        }
        h->primed = 1;
    }
    float d0[2], a0[2], dd[2], da[2];
    for (int e = 0; e < 2; e++) {
        d0[e] = h->delay[e];
        a0[e] = h->alpha[e];
        dd[e] = ramp ? (delay[e][0] - d0[e]) / (float)n : 0.0f;
        da[e] = ramp ? (alpha[e][0] - a0[e]) / (float)n : 0.0f;
    }
    uint32_t w = h->w;
    for (uint32_t i = 0; i < n; i++) {
        h->ring[0][w] = in_l ? in_l[i] : 0.0f;
        h->ring[1][w] = in_r ? in_r[i] : 0.0f;
        for (int e = 0; e < 2; e++) {
            float d = ramp ? d0[e] + dd[e] * (float)(i + 1) : delay[e][i];
            float al = ramp ? a0[e] + da[e] * (float)(i + 1) : alpha[e][i];
            if (d < 0.0f)
                d = 0.0f;
            if (d > (float)(LS_HRTF_RING - 2))
                d = (float)(LS_HRTF_RING - 2);
            uint32_t k = (uint32_t)d;
            float f = d - (float)k;
            const float *ring = h->ring[e];
            float x = ring[(w - k) & mask] * (1.0f - f) + ring[(w - k - 1) & mask] * f;
            float b0 = (1.0f + al * tk) * inv, b1 = (1.0f - al * tk) * inv;
            float y = b0 * x + b1 * h->x1[e] - a1 * h->y1[e];
            h->x1[e] = x;
            h->y1[e] = y;
            (e == 0 ? out_l : out_r)[i] = y;
        }
        w = (w + 1) & mask;
    }
    h->w = w;
    for (int e = 0; e < 2; e++) {
        h->delay[e] = ramp ? delay[e][0] : delay[e][n - 1];
        h->alpha[e] = ramp ? alpha[e][0] : alpha[e][n - 1];
    }
}
