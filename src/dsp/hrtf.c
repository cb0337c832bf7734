/* Structural HRTF model (spherical head and pinna echoes); see hrtf.h. */
#include "hrtf.h"
#include "simd.h"

#include <math.h>
#include <string.h>

static const double half_pi = 1.5707963267948966;
static const double deg = 1.5707963267948966 / 90.0;

/* Brown & Duda's pinna table: delays in samples at 44.1 kHz. */
const float ls_hrtf_echo_gain[LS_HRTF_ECHOES] = {0.5f, -1.0f, 0.5f, -0.25f, 0.25f};
static const double echo_a[LS_HRTF_ECHOES] = {1, 5, 5, 5, 5};
static const double echo_b[LS_HRTF_ECHOES] = {2, 4, 7, 11, 13};
static const double echo_d[LS_HRTF_ECHOES] = {1, 0.5, 0.5, 0.5, 0.5};

void ls_hrtf_model(double azimuth, double elevation, double sample_rate, ls_hrtf_direction *out)
{
    const double a_over_c = LS_HRTF_HEAD_RADIUS / LS_HRTF_SPEED_OF_SOUND;
    const double cos_el = cos(elevation * deg);
    double lateral = sin(azimuth * deg) * cos_el;
    for (int e = 0; e < 2; e++) {
        double c = e == 0 ? -lateral : lateral;   /* cos of the angle from the ear's axis */
        c = c > 1.0 ? 1.0 : (c < -1.0 ? -1.0 : c);
        double beta = acos(c);
        double t = beta < half_pi ? a_over_c * (1.0 - c) : a_over_c * (1.0 + beta - half_pi);
        out->delay[e] = (float)(t * sample_rate);
        out->alpha[e] = (float)(1.05 + 0.95 * cos(1.2 * beta));
    }
    /* The pinna: cos(theta/2) with sin^2(theta/2) = cos(el) sin^2(az/2), the
     * same for both ears (theta mirrored for the left ear, cos even). */
    double s = sin(0.5 * azimuth * deg);
    double c2 = 1.0 - (cos_el > 0.0 ? cos_el : 0.0) * s * s;
    double half_theta_cos = sqrt(c2 > 0.0 ? c2 : 0.0);
    const double scale = sample_rate / 44100.0;
    for (int k = 0; k < LS_HRTF_ECHOES; k++) {
        double tau = echo_a[k] * half_theta_cos * sin(echo_d[k] * (90.0 - elevation) * deg) +
                     echo_b[k];
        out->echo[0][k] = out->echo[1][k] = (float)(tau * scale);
    }
}

void ls_hrtf_init(ls_hrtf *h, double sample_rate)
{
    memset(h, 0, sizeof *h);
    h->sample_rate = sample_rate;
    /* tau = 1 / (2 w0) = a / (2 c); K = 2 fs */
    h->tau_k = (LS_HRTF_HEAD_RADIUS / (2.0 * LS_HRTF_SPEED_OF_SOUND)) * 2.0 * sample_rate;
    h->w = LS_HRTF_HISTORY;
}

void ls_hrtf_reset(ls_hrtf *h)
{
    for (int e = 0; e < 2; e++)
        memset(h->line[e], 0, LS_HRTF_HISTORY * sizeof(float));
    h->w = LS_HRTF_HISTORY;
    h->x1[0] = h->x1[1] = h->y1[0] = h->y1[1] = 0.0f;
    h->primed = 0;
}

uint32_t ls_hrtf_tail_frames(const ls_hrtf *h)
{
    (void)h;
    return LS_HRTF_HISTORY + 512;
}

static inline float clamp_delay(float d)
{
    return d > 0.0f ? (d < LS_HRTF_MAX_DELAY ? d : LS_HRTF_MAX_DELAY) : 0.0f;
}

typedef int32_t v4i __attribute__((vector_size(16)));   /* lane masks of comparisons */

/*
 * acc[i] (+)= g x(i - t(i)) for i < m, t(i) = t0 + dt (i + 1), x[i] the
 * block's frame i with its history before it; linear interpolation. t stays
 * within [0, LS_HRTF_MAX_DELAY] up to rounding (a linear ramp between two
 * clamped values), so the reads stay in the history.
 *
 * A tap whose delay spans less than two frames over the block (a fixed or
 * slowly moving source) reads contiguous frames four at a time: with k0 the
 * floor of its smallest delay and u = t - k0 in [0, 2), the value is the
 * interpolation between frames k0 and k0 + 1 back (u < 1) or k0 + 1 and
 * k0 + 2 back. Faster moves take the frame-by-frame path.
 */
static void tap(float *restrict acc, const float *restrict x, uint32_t m, float t0, float dt,
                float g, int first)
{
    const float ta = t0 + dt, tb = t0 + dt * (float)m;
    const float lo = ta < tb ? ta : tb, hi = ta < tb ? tb : ta;
    const int32_t k0 = (int32_t)lo;
    uint32_t i = 0;
    if (hi - (float)k0 < 2.0f) {
        const float *p = x - k0;                  /* p[i]: frame i, k0 back */
        const float u0 = t0 - (float)k0;
        const v4f one = {1.0f, 1.0f, 1.0f, 1.0f}, gv = {g, g, g, g};
        const v4f ramp = {1.0f, 2.0f, 3.0f, 4.0f};
        if (hi - (float)k0 < 1.0f) {             /* within one frame: one interpolation */
            for (; i + 4 <= m; i += 4) {
                v4f u = u0 + dt * ((float)i + ramp);
                v4f a = load4(p + i), b = load4(p + i - 1);
                v4f v = gv * (a + u * (b - a));
                store4(acc + i, first ? v : load4(acc + i) + v);
            }
        } else {
            for (; i + 4 <= m; i += 4) {
                v4f u = u0 + dt * ((float)i + ramp);
                v4f a = load4(p + i), b = load4(p + i - 1), c = load4(p + i - 2);
                v4f near = a + u * (b - a), far = b + (u - one) * (c - b);
                v4i sel = u >= one;
                v4f v = (v4f)(((v4i)far & sel) | ((v4i)near & ~sel));
                v = gv * v;
                store4(acc + i, first ? v : load4(acc + i) + v);
            }
        }
    }
    for (; i < m; i++) {
        float t = t0 + dt * (float)(i + 1);
        int32_t k = (int32_t)t;
        float f = t - (float)k;
        const float *q = x + i - k;
        float v = g * (q[0] + f * (q[-1] - q[0]));
        acc[i] = first ? v : acc[i] + v;
    }
}

/*
 * The head-shadow filters on the block (h->acc[e] + 4, the frame before it at
 * h->acc[e][3]), alpha ramping from a0[e] by da[e] a frame:
 * y[i] = u[i] + p y[i - 1], u[i] = b0(i) x[i] + b1(i) x[i - 1], the pole
 * p = -a1 fixed (alpha moves the zero only). Four frames at a time: y[i..i+3]
 * is u's four values through the powers of p plus p^(1..4) y[i - 1], so one
 * multiply-add a block waits on the last; the two ears side by side.
 */
static void shadow(ls_hrtf *h, float *const out[2], uint32_t m, const float a0[2],
                   const float da[2])
{
    const float tk = (float)h->tau_k;
    const float inv = 1.0f / (1.0f + tk);
    const float p = -(1.0f - tk) * inv, p2 = p * p, p3 = p2 * p, p4 = p2 * p2;
    float *xl = h->acc[0] + 4, *xr = h->acc[1] + 4, *yl = out[0], *yr = out[1];
    xl[-1] = h->x1[0];
    xr[-1] = h->x1[1];
    float pl = h->y1[0], pr = h->y1[1];
    uint32_t i = 0;
    const v4f c0 = {1.0f, p, p2, p3}, c1 = {0.0f, 1.0f, p, p2}, c2 = {0.0f, 0.0f, 1.0f, p};
    const v4f c3 = {0.0f, 0.0f, 0.0f, 1.0f}, pw = {p, p2, p3, p4};
    const v4f ramp = {1.0f, 2.0f, 3.0f, 4.0f}, one = {1.0f, 1.0f, 1.0f, 1.0f};
    for (; i + 4 <= m; i += 4) {
        v4f kl = (a0[0] + da[0] * ((float)i + ramp)) * tk;
        v4f kr = (a0[1] + da[1] * ((float)i + ramp)) * tk;
        v4f ul = ((one + kl) * load4(xl + i) + (one - kl) * load4(xl + i - 1)) * inv;
        v4f ur = ((one + kr) * load4(xr + i) + (one - kr) * load4(xr + i - 1)) * inv;
        v4f sl = c0 * ul[0] + c1 * ul[1] + c2 * ul[2] + c3 * ul[3];
        v4f sr = c0 * ur[0] + c1 * ur[1] + c2 * ur[2] + c3 * ur[3];
        v4f vl = sl + pw * pl, vr = sr + pw * pr;
        store4(yl + i, vl);
        store4(yr + i, vr);
        pl = vl[3];
        pr = vr[3];
    }
    for (; i < m; i++) {
        float kl = (a0[0] + da[0] * (float)(i + 1)) * tk;
        float kr = (a0[1] + da[1] * (float)(i + 1)) * tk;
        pl = ((1.0f + kl) * xl[i] + (1.0f - kl) * xl[i - 1]) * inv + p * pl;
        pr = ((1.0f + kr) * xr[i] + (1.0f - kr) * xr[i - 1]) * inv + p * pr;
        yl[i] = pl;
        yr[i] = pr;
    }
    h->x1[0] = xl[m - 1];
    h->x1[1] = xr[m - 1];
    h->y1[0] = pl;
    h->y1[1] = pr;
}

void ls_hrtf_process(ls_hrtf *h, const float *in_l, const float *in_r, float *out_l,
                     float *out_r, uint32_t n, const ls_hrtf_direction *to)
{
    if (n == 0)
        return;
    float target[2][LS_HRTF_TAPS];
    for (int e = 0; e < 2; e++) {
        target[e][0] = clamp_delay(to->delay[e]);
        for (int k = 0; k < LS_HRTF_ECHOES; k++)
            target[e][k + 1] = clamp_delay(to->delay[e] + to->echo[e][k]);
    }
    if (!h->primed) {
        memcpy(h->tap, target, sizeof target);
        h->alpha[0] = to->alpha[0];
        h->alpha[1] = to->alpha[1];
        h->primed = 1;
    }
    float step[2][LS_HRTF_TAPS], da[2];
    for (int e = 0; e < 2; e++) {
        for (int j = 0; j < LS_HRTF_TAPS; j++)
            step[e][j] = (target[e][j] - h->tap[e][j]) / (float)n;
        da[e] = (to->alpha[e] - h->alpha[e]) / (float)n;
    }
    const float *const in[2] = {in_l, in_r};
    for (uint32_t off = 0; off < n; off += LS_HRTF_BLOCK) {
        const uint32_t m = n - off < LS_HRTF_BLOCK ? n - off : LS_HRTF_BLOCK;
        if (h->w + m > LS_HRTF_LINE) {
            for (int e = 0; e < 2; e++)
                memmove(h->line[e], h->line[e] + h->w - LS_HRTF_HISTORY,
                        LS_HRTF_HISTORY * sizeof(float));
            h->w = LS_HRTF_HISTORY;
        }
        /* the block goes in first: a delay of 0 reads the current frame */
        for (int e = 0; e < 2; e++) {
            float *x = h->line[e] + h->w;
            if (in[e])
                memcpy(x, in[e] + off, m * sizeof(float));
            else
                memset(x, 0, m * sizeof(float));
        }
        /* the taps' values at frame off + i are tap + step (off + i + 1) */
        for (int e = 0; e < 2; e++)
            for (int j = 0; j < LS_HRTF_TAPS; j++)
                tap(h->acc[e] + 4, h->line[e] + h->w, m,
                    h->tap[e][j] + step[e][j] * (float)off, step[e][j],
                    j == 0 ? 1.0f : ls_hrtf_echo_gain[j - 1], j == 0);
        const float a0[2] = {h->alpha[0] + da[0] * (float)off, h->alpha[1] + da[1] * (float)off};
        float *const y[2] = {out_l + off, out_r + off};
        shadow(h, y, m, a0, da);
        h->w += m;
    }
    memcpy(h->tap, target, sizeof target);
    h->alpha[0] = to->alpha[0];
    h->alpha[1] = to->alpha[1];
}
