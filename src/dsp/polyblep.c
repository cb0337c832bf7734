#include "polyblep.h"
#include "simd.h"

#include <math.h>
#include <stdbool.h>

#define PI 3.14159265358979323846
#define TAU (2.0 * PI)

static inline double frac(double x)
{
    return x - floor(x);
}

/* BLEP residual of a jump of height 2 at phase 0; t = the phase since it,
 * idt = 1 / dt (0 when dt is: then no frame is near a jump). Branch-free, so
 * that loops over frames vectorise. */
static inline double blep(double t, double dt, double idt)
{
    double a = t * idt - 1.0, b = (t - 1.0) * idt + 1.0;
    double r = t < dt ? -(a * a) : 0.0;
    return t > 1.0 - dt ? b * b : r;
}

/* Integrated residual (a change of slope). */
static inline double blamp(double t, double dt, double idt)
{
    double a = t * idt - 1.0, b = (t - 1.0) * idt + 1.0;
    double r = t < dt ? -(a * a * a) * (1.0 / 3.0) : 0.0;
    return t > 1.0 - dt ? b * b * b * (1.0 / 3.0) : r;
}

/* a jump of height h at phase p; a slope change s at phase p */
#define STEP(p, h) (0.5 * (h) * blep(frac(t - (p)), dt, idt))
#define KINK(p, s) (0.5 * (s) * dt * blamp(frac(t - (p)), dt, idt))

static inline double tri(double t)
{
    return t < 0.25 ? 4.0 * t : t < 0.75 ? 2.0 - 4.0 * t : 4.0 * t - 4.0;
}

static inline double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static inline double shape(int type, double t, double dt, double pw, int corrected)
{
    const double idt = dt > 0.0 ? 1.0 / dt : 0.0;
    double y, c = 0.0;
    switch (type) {
    case 0: /* triangle: corners at 1/4 and 3/4 */
        y = tri(t);
        if (corrected)
            c = KINK(0.25, -8.0) + KINK(0.75, 8.0);
        break;
    case 1: /* square */
        y = t < 0.5 ? 1.0 : -1.0;
        if (corrected)
            c = STEP(0.0, 2.0) + STEP(0.5, -2.0);
        break;
    case 2: { /* rectangle, zero mean: 2 - 2w for t < w, -2w after */
        double w = clampd(pw, 0.0, 1.0);
        y = (t < w ? 2.0 : 0.0) - 2.0 * w;
        if (corrected)
            c = STEP(0.0, 2.0) + STEP(w, -2.0);
        break;
    }
    case 3: /* sawtooth: rises through 0 at t = 0, falls at 1/2 */
        y = 2.0 * frac(t + 0.5) - 1.0;
        if (corrected)
            c = STEP(0.5, -2.0);
        break;
    case 4: /* ramp: falls from 1 */
        y = 1.0 - 2.0 * t;
        if (corrected)
            c = STEP(0.0, 2.0);
        break;
    case 5: { /* modified triangle: rises over w, falls over 1 - w */
        double w = clampd(pw, 1e-4, 1.0 - 1e-4);
        double h = 0.5 * w;
        if (t < h)
            y = t / h;
        else if (t < 1.0 - h)
            y = 1.0 - 2.0 * (t - h) / (1.0 - w);
        else
            y = (t - 1.0) / h;
        if (corrected) {
            double s = 2.0 / w + 2.0 / (1.0 - w);
            c = KINK(h, -s) + KINK(1.0 - h, s);
        }
        break;
    }
    case 6: { /* modified square: +1, 0, -1, 0; the non-zero parts w/2 each */
        double w = clampd(pw, 0.0, 1.0), h = 0.5 * w;
        y = t < h ? 1.0 : t < 0.5 ? 0.0 : t < 0.5 + h ? -1.0 : 0.0;
        if (corrected)
            c = STEP(0.0, 1.0) + STEP(h, -1.0) + STEP(0.5, -1.0) + STEP(0.5 + h, 1.0);
        break;
    }
    case 7: /* half-wave rectified sine, zero mean */
        y = (t < 0.5 ? 2.0 * sin(TAU * t) : 0.0) - 2.0 / PI;
        if (corrected)
            c = KINK(0.0, 4.0 * PI) + KINK(0.5, 4.0 * PI);
        break;
    case 8: /* full-wave rectified sine, zero mean */
        y = 2.0 * sin(PI * t) - 4.0 / PI;
        if (corrected)
            c = KINK(0.0, 4.0 * PI);
        break;
    case 9: { /* triangular pulse of width w (peak 2), zero mean */
        double w = clampd(pw, 0.0, 1.0);
        double iw = w < 1e-6 ? 0.0 : 1.0 / w;
        y = (t < w ? 2.0 * (1.0 - fabs(2.0 * t * iw - 1.0)) : 0.0) - w;
        if (corrected)
            c = KINK(0.0, 4.0 * iw) + KINK(0.5 * w, -8.0 * iw) + KINK(w, 4.0 * iw);
        y = w < 1e-6 ? 0.0 : y;
        c = w < 1e-6 ? 0.0 : c;
        break;
    }
    case 10: /* trapezoid: a triangle of twice the height, clipped to [-1, 1] */
        y = clampd(2.0 * tri(t), -1.0, 1.0);
        if (corrected)
            c = KINK(0.125, -8.0) + KINK(0.375, -8.0) + KINK(0.625, 8.0) + KINK(0.875, 8.0);
        break;
    case 11: { /* trapezoid with flat parts of w (of each half cycle) */
        double w = clampd(pw, 0.0, 0.9999), s = 1.0 / (1.0 - w);
        y = clampd(s * tri(t), -1.0, 1.0);
        if (corrected) {
            double q = 0.25 * (1.0 - w);
            c = KINK(q, -4.0 * s) + KINK(0.5 - q, -4.0 * s) + KINK(0.5 + q, 4.0 * s) +
                KINK(1.0 - q, 4.0 * s);
        }
        break;
    }
    default:
        return 0.0;
    }
    return y + c;
}

double ls_polyblep_value(int type, double t, double dt, double pw)
{
    dt = fabs(dt);
    if (dt > 0.5)
        dt = 0.5;
    if (dt < 1e-12)
        return shape(type, t, dt, pw, 0);
    return shape(type, t, dt, pw, 1);
}

double ls_polyblep_naive(int type, double t, double pw)
{
    return shape(type, t, 0.0, pw, 0);
}

/* One shape over a block whose phases, phase steps, pulse widths and
 * amplitudes are known frame by frame (ph[i] in [0, 1)), type fixed at
 * compile time so that the switch folds away and the loop is straight code
 * the compiler vectorises. */
#define SHAPE_LOOP(T)                                                                     \
    static LS_VEC_FN void shape_block_##T(const double *restrict ph,                   \
                                          const double *restrict dtv,                  \
                                          const double *restrict pwv,                  \
                                          const double *restrict ampv,                 \
                                          float *restrict out, int n)                  \
    {                                                                                   \
        for (int i = 0; i < n; i++)                                                     \
            out[i] = (float)(ampv[i] * shape(T, ph[i], dtv[i], pwv[i], 1));            \
    }
SHAPE_LOOP(0)
SHAPE_LOOP(1)
SHAPE_LOOP(2)
SHAPE_LOOP(3)
SHAPE_LOOP(4)
SHAPE_LOOP(5)
SHAPE_LOOP(6)
SHAPE_LOOP(7)
SHAPE_LOOP(8)
SHAPE_LOOP(9)
SHAPE_LOOP(10)
SHAPE_LOOP(11)

typedef void (*shape_block_fn)(const double *, const double *, const double *, const double *,
                               float *, int);

/* |dt| clamped to 1/2, and 0 below 1e-12 (no correction). */
static LS_VEC_FN void clamp_steps(double *restrict dtv, int m)
{
    for (int i = 0; i < m; i++) {
        double d = fabs(dtv[i]);
        d = d > 0.5 ? 0.5 : d;
        dtv[i] = d < 1e-12 ? 0.0 : d;
    }
}

/* The phases of a block with a constant step: t0 + i d, each from t0. */
static LS_VEC_FN void block_phases(double *restrict ph, double *restrict dtv, double t0, double d,
                                   int m)
{
    for (int i = 0; i < m; i++) {
        double u = t0 + (double)i * d;
        ph[i] = u - floor(u);
        dtv[i] = d;
    }
    clamp_steps(dtv, m);
}

static LS_VEC_FN void fill(double *restrict dst, const float *restrict src, bool per_frame, int m)
{
    if (per_frame) {
        for (int i = 0; i < m; i++)
            dst[i] = src[i];
    } else {
        const double v = src[0];
        for (int i = 0; i < m; i++)
            dst[i] = v;
    }
}

void ls_polyblep_render(int type, double *phase, float *out, size_t n, const float *inc,
                        size_t inc_step, const float *pw, size_t pw_step, const float *amp,
                        size_t amp_step)
{
    static const shape_block_fn fns[LS_POLYBLEP_TYPES] = {
        shape_block_0, shape_block_1, shape_block_2, shape_block_3, shape_block_4,
        shape_block_5, shape_block_6, shape_block_7, shape_block_8, shape_block_9,
        shape_block_10, shape_block_11};
    if (type < 0 || type >= LS_POLYBLEP_TYPES) {
        for (size_t i = 0; i < n; i++)
            out[i] = 0.0f;
        return;
    }
    /* the phases first (a running sum, kept in [0, 1)), then the shape over
     * all of them at once, 128 frames at a time */
    double ph[128], dtv[128], pwv[128], ampv[128];
    double t = *phase;
    for (size_t i0 = 0; i0 < n; i0 += 128) {
        int m = (int)(n - i0 < 128 ? n - i0 : 128);
        if (inc_step) {
            for (int i = 0; i < m; i++) {
                double d = inc[i0 + (size_t)i];
                ph[i] = t;
                t += d;
                if (t >= 1.0 || t < 0.0)
                    t -= floor(t);
                dtv[i] = d;
            }
            clamp_steps(dtv, m);
        } else {
            const double d = inc[0];
            block_phases(ph, dtv, t, d, m);
            t += (double)m * d;
            t -= floor(t);
        }
        fill(pwv, pw + (pw_step ? i0 : 0), pw_step != 0, m);
        fill(ampv, amp + (amp_step ? i0 : 0), amp_step != 0, m);
        fns[type](ph, dtv, pwv, ampv, out + i0, m);
    }
    *phase = t;
}

/* out[i] += gain * sawtooth at phase t0 + i inc: the phases computed from the
 * block's start, so the frames are independent and the loop vectorises. */
LS_VEC_FN void ls_polyblep_saw_add(double *phase, double inc, float gain, float *out, size_t n)
{
    const double t0 = *phase + 0.5;
    double dt = fabs(inc);
    dt = dt > 0.5 ? 0.5 : dt;
    const double inv = dt > 0.0 ? 1.0 / dt : 0.0;
    const double hi = 1.0 - dt;
    float *restrict y = out;
    const int m = (int)n;
    for (int i = 0; i < m; i++) {
        /* sawtooth as type 3: the jump at t = 1/2 */
        double u = t0 + (double)i * inc;
        u -= floor(u);
        double a = u * inv - 1.0, b = (u - 1.0) * inv + 1.0;
        double c = u < dt ? -(a * a) : 0.0;
        c = u > hi ? b * b : c;
        y[i] += gain * (float)(2.0 * u - 1.0 - c);
    }
    double t = *phase + (double)m * inc;
    *phase = t - floor(t);
}
