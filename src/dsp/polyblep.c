#include "polyblep.h"

#include <math.h>

#define PI 3.14159265358979323846
#define TAU (2.0 * PI)

static inline double frac(double x)
{
    return x - floor(x);
}

/* BLEP residual of a jump of height 2 at phase 0; t = the phase since it. */
static inline double blep(double t, double dt)
{
    if (t < dt) {
        double x = t / dt - 1.0;
        return -x * x;
    }
    if (t > 1.0 - dt) {
        double x = (t - 1.0) / dt + 1.0;
        return x * x;
    }
    return 0.0;
}

/* Integrated residual (a change of slope). */
static inline double blamp(double t, double dt)
{
    if (t < dt) {
        double x = t / dt - 1.0;
        return -x * x * x / 3.0;
    }
    if (t > 1.0 - dt) {
        double x = (t - 1.0) / dt + 1.0;
        return x * x * x / 3.0;
    }
    return 0.0;
}

/* a jump of height h at phase p; a slope change s at phase p */
#define STEP(p, h) (0.5 * (h) * blep(frac(t - (p)), dt))
#define KINK(p, s) (0.5 * (s) * dt * blamp(frac(t - (p)), dt))

static inline double tri(double t)
{
    return t < 0.25 ? 4.0 * t : t < 0.75 ? 2.0 - 4.0 * t : 4.0 * t - 4.0;
}

static inline double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static double shape(int type, double t, double dt, double pw, int corrected)
{
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
        if (w < 1e-6)
            return 0.0;
        y = (t < w ? 2.0 * (1.0 - fabs(2.0 * t / w - 1.0)) : 0.0) - w;
        if (corrected)
            c = KINK(0.0, 4.0 / w) + KINK(0.5 * w, -8.0 / w) + KINK(w, 4.0 / w);
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

void ls_polyblep_render(int type, double *phase, float *out, size_t n, const float *inc,
                        size_t inc_step, const float *pw, size_t pw_step, const float *amp,
                        size_t amp_step)
{
    double t = *phase;
    for (size_t i = 0; i < n; i++) {
        double dt = inc[inc_step ? i : 0];
        out[i] = (float)(amp[amp_step ? i : 0] *
                         ls_polyblep_value(type, t, dt, pw[pw_step ? i : 0]));
        t += dt;
        t -= floor(t);
    }
    *phase = t;
}

void ls_polyblep_saw_add(double *phase, double inc, float gain, float *out, size_t n)
{
    double t = *phase;
    double dt = fabs(inc);
    if (dt > 0.5)
        dt = 0.5;
    for (size_t i = 0; i < n; i++) {
        /* sawtooth as type 3: the jump at t = 1/2 */
        double u = t + 0.5;
        u -= (double)(u >= 1.0);
        double y = 2.0 * u - 1.0 - blep(u, dt);
        out[i] += gain * (float)y;
        t += inc;
        t -= floor(t);
    }
    *phase = t;
}
