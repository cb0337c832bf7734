/*
 * Biquad coefficients from the Web Audio spec ("Filters characteristics" of
 * BiquadFilterNode), in double precision, and the direct form I filter.
 */
#include "biquad.h"

#include <math.h>
#include <stdbool.h>
#include "simd.h"

static const double LS_PI = 3.14159265358979323846;

static ls_biquad_coefs normalized(double b0, double b1, double b2, double a0, double a1,
                                  double a2)
{
    ls_biquad_coefs c;
    double k = 1.0 / a0;
    c.b0 = b0 * k;
    c.b1 = b1 * k;
    c.b2 = b2 * k;
    c.a1 = a1 * k;
    c.a2 = a2 * k;
    return c;
}

/* H(z) = k: a pure gain. */
static ls_biquad_coefs gain_only(double k)
{
    ls_biquad_coefs c = {k, 0.0, 0.0, 0.0, 0.0};
    return c;
}

ls_biquad_qg ls_biquad_qg_compute(double q, double gain_db)
{
    ls_biquad_qg g;
    g.q = q;
    g.q_lin = pow(10.0, q / 20.0);
    g.A = pow(10.0, gain_db / 40.0);
    g.sqrt_A = sqrt(g.A);
    return g;
}

ls_biquad_coefs ls_biquad_coefs_compute(int type, double f0, double q, double gain_db, double sr)
{
    ls_biquad_qg g = ls_biquad_qg_compute(q, gain_db);
    return ls_biquad_coefs_from(type, f0, &g, sr);
}

/* The coefficients for normalized frequency w in [0, 1] with cw = cos(pi w)
 * and sw = sin(pi w). */
static inline ls_biquad_coefs coefs_sc(int type, double w, double cw, double sw,
                                       const ls_biquad_qg *qg)
{
    const double A = qg->A, q = qg->q;
    switch (type) {
    case LS_BQ_LOWPASS: {
        if (w >= 1.0)
            return gain_only(1.0);
        if (w <= 0.0)
            return gain_only(0.0);
        double alpha = sw / (2.0 * qg->q_lin);
        double b1 = 1.0 - cw;
        return normalized(b1 * 0.5, b1, b1 * 0.5, 1.0 + alpha, -2.0 * cw, 1.0 - alpha);
    }
    case LS_BQ_HIGHPASS: {
        if (w >= 1.0)
            return gain_only(0.0);
        if (w <= 0.0)
            return gain_only(1.0);
        double alpha = sw / (2.0 * qg->q_lin);
        double b1 = 1.0 + cw;
        return normalized(b1 * 0.5, -b1, b1 * 0.5, 1.0 + alpha, -2.0 * cw, 1.0 - alpha);
    }
    case LS_BQ_BANDPASS: {
        if (w <= 0.0 || w >= 1.0)
            return gain_only(0.0);
        if (q <= 0.0)
            return gain_only(1.0);
        double alpha = sw / (2.0 * q);
        return normalized(alpha, 0.0, -alpha, 1.0 + alpha, -2.0 * cw, 1.0 - alpha);
    }
    case LS_BQ_LOWSHELF: {
        if (w >= 1.0)
            return gain_only(A * A);
        if (w <= 0.0)
            return gain_only(1.0);
        double alpha = sw / 2.0 * 1.41421356237309504880; /* S = 1: sqrt((A + 1/A)(1/S - 1) + 2) */
        double k = 2.0 * qg->sqrt_A * alpha;
        double ap = A + 1.0, am = A - 1.0;
        return normalized(A * (ap - am * cw + k), 2.0 * A * (am - ap * cw), A * (ap - am * cw - k),
                          ap + am * cw + k, -2.0 * (am + ap * cw), ap + am * cw - k);
    }
    case LS_BQ_HIGHSHELF: {
        if (w >= 1.0)
            return gain_only(1.0);
        if (w <= 0.0)
            return gain_only(A * A);
        double alpha = sw / 2.0 * 1.41421356237309504880; /* S = 1: sqrt((A + 1/A)(1/S - 1) + 2) */
        double k = 2.0 * qg->sqrt_A * alpha;
        double ap = A + 1.0, am = A - 1.0;
        return normalized(A * (ap + am * cw + k), -2.0 * A * (am + ap * cw), A * (ap + am * cw - k),
                          ap - am * cw + k, 2.0 * (am - ap * cw), ap - am * cw - k);
    }
    case LS_BQ_PEAKING: {
        if (w <= 0.0 || w >= 1.0)
            return gain_only(1.0);
        if (q <= 0.0)
            return gain_only(A * A);
        double alpha = sw / (2.0 * q);
        return normalized(1.0 + alpha * A, -2.0 * cw, 1.0 - alpha * A, 1.0 + alpha / A, -2.0 * cw,
                          1.0 - alpha / A);
    }
    case LS_BQ_NOTCH: {
        if (w <= 0.0 || w >= 1.0)
            return gain_only(1.0);
        if (q <= 0.0)
            return gain_only(0.0);
        double alpha = sw / (2.0 * q);
        return normalized(1.0, -2.0 * cw, 1.0, 1.0 + alpha, -2.0 * cw, 1.0 - alpha);
    }
    case LS_BQ_ALLPASS:
    default: {
        if (w <= 0.0 || w >= 1.0)
            return gain_only(1.0);
        if (q <= 0.0)
            return gain_only(-1.0);
        double alpha = sw / (2.0 * q);
        return normalized(1.0 - alpha, -2.0 * cw, 1.0 + alpha, 1.0 + alpha, -2.0 * cw, 1.0 - alpha);
    }
    }
}

ls_biquad_coefs ls_biquad_coefs_from(int type, double f0, const ls_biquad_qg *qg, double sr)
{
    double nyq = sr * 0.5;
    if (!(f0 > 0.0))
        f0 = 0.0;
    if (f0 > nyq)
        f0 = nyq;
    double w = f0 / nyq;              /* normalized frequency in [0, 1] */
    double w0 = LS_PI * w;
    return coefs_sc(type, w, cos(w0), sin(w0), qg);
}

/* sin and cos of h in [0, pi/2] by their Taylor series (to h^21 and h^22:
 * the truncation is below 2e-18), in straight-line double arithmetic the
 * compiler vectorises; cos(2h) = 1 - 2 sin^2 h and sin(2h) = 2 sin h cos h
 * then give the angle pi w up to pi. Against libm: within 4e-16. */
static LS_VEC_FN void half_angle_sincos(const double *restrict w, double *restrict cw,
                                        double *restrict sw, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const double h = 0.5 * LS_PI * w[i], h2 = h * h;
        double s = 1.0 / 51090942171709440000.0;           /* 1 / 21! */
        s = s * -h2 + 1.0 / 121645100408832000.0;          /* 1 / 19! */
        s = s * -h2 + 1.0 / 355687428096000.0;             /* 1 / 17! */
        s = s * -h2 + 1.0 / 1307674368000.0;               /* 1 / 15! */
        s = s * -h2 + 1.0 / 6227020800.0;                  /* 1 / 13! */
        s = s * -h2 + 1.0 / 39916800.0;                    /* 1 / 11! */
        s = s * -h2 + 1.0 / 362880.0;                      /* 1 / 9! */
        s = s * -h2 + 1.0 / 5040.0;                        /* 1 / 7! */
        s = s * -h2 + 1.0 / 120.0;                         /* 1 / 5! */
        s = s * -h2 + 1.0 / 6.0;                           /* 1 / 3! */
        s = h - h * h2 * s;
        double c = 1.0 / 1124000727777607680000.0;         /* 1 / 22! */
        c = c * -h2 + 1.0 / 2432902008176640000.0;         /* 1 / 20! */
        c = c * -h2 + 1.0 / 6402373705728000.0;            /* 1 / 18! */
        c = c * -h2 + 1.0 / 20922789888000.0;              /* 1 / 16! */
        c = c * -h2 + 1.0 / 87178291200.0;                 /* 1 / 14! */
        c = c * -h2 + 1.0 / 479001600.0;                   /* 1 / 12! */
        c = c * -h2 + 1.0 / 3628800.0;                     /* 1 / 10! */
        c = c * -h2 + 1.0 / 40320.0;                       /* 1 / 8! */
        c = c * -h2 + 1.0 / 720.0;                         /* 1 / 6! */
        c = c * -h2 + 1.0 / 24.0;                          /* 1 / 4! */
        c = c * -h2 + 0.5;                                 /* 1 / 2! */
        c = 1.0 - h2 * c;
        cw[i] = 1.0 - 2.0 * s * s;
        sw[i] = 2.0 * s * c;
    }
}

/* coefs_sc's low-pass case over n frames, the arithmetic in the same order
 * (the same results), in loops the compiler vectorises. */
static LS_VEC_FN void lowpass_batch(const double *restrict w, const double *restrict cw,
                                    const double *restrict sw, uint32_t n, double q_lin,
                                    ls_biquad_coefs *restrict out)
{
    double b0[LS_BIQUAD_BATCH], b1[LS_BIQUAD_BATCH], a1[LS_BIQUAD_BATCH], a2[LS_BIQUAD_BATCH];
    const double two_q = 2.0 * q_lin;
    for (uint32_t i = 0; i < n; i++) {
        const double alpha = sw[i] / two_q;
        const double d = 1.0 - cw[i];
        const double k = 1.0 / (1.0 + alpha);
        const bool top = w[i] >= 1.0, bottom = w[i] <= 0.0;
        b0[i] = top ? 1.0 : (bottom ? 0.0 : d * 0.5 * k);
        b1[i] = top || bottom ? 0.0 : d * k;
        a1[i] = top || bottom ? 0.0 : -2.0 * cw[i] * k;
        a2[i] = top || bottom ? 0.0 : (1.0 - alpha) * k;
    }
    for (uint32_t i = 0; i < n; i++) {
        out[i].b0 = b0[i];
        out[i].b1 = b1[i];
        out[i].b2 = w[i] >= 1.0 ? 0.0 : b0[i];
        out[i].a1 = a1[i];
        out[i].a2 = a2[i];
    }
}

void ls_biquad_coefs_batch(int type, const double *f0, uint32_t n, const ls_biquad_qg *qg,
                           double sr, ls_biquad_coefs *out)
{
    double w[LS_BIQUAD_BATCH], cw[LS_BIQUAD_BATCH], sw[LS_BIQUAD_BATCH];
    const double inv_nyq = 2.0 / sr;
    for (uint32_t i0 = 0; i0 < n; i0 += LS_BIQUAD_BATCH) {
        const uint32_t m = n - i0 < LS_BIQUAD_BATCH ? n - i0 : LS_BIQUAD_BATCH;
        for (uint32_t i = 0; i < m; i++) {
            double f = f0[i0 + i] * inv_nyq;
            w[i] = f > 0.0 ? (f < 1.0 ? f : 1.0) : 0.0;   /* NaN -> 0, as coefs_from */
        }
        half_angle_sincos(w, cw, sw, m);
        if (type == LS_BQ_LOWPASS)
            lowpass_batch(w, cw, sw, m, qg->q_lin, out + i0);
        else
            for (uint32_t i = 0; i < m; i++)
                out[i0 + i] = coefs_sc(type, w[i], cw[i], sw[i], qg);
    }
}

void ls_biquad_run(const ls_biquad_coefs *c, ls_biquad_state *s, const float *x, float *y,
                   size_t n)
{
    const double b0 = c->b0, b1 = c->b1, b2 = c->b2, a1 = c->a1, a2 = c->a2;
    /* Two frames per step. With F and G the feedforward sums of frames n and
     * n + 1:
     *   y[n]   = F - a1 y[n-1] - a2 y[n-2]
     *   y[n+1] = G - a1 y[n] - a2 y[n-1]
     *          = (G - a1 F) + (a1^2 - a2) y[n-1] + a1 a2 y[n-2]
     * so both come from the two previous outputs at once and the serial
     * dependency is one multiply and one add per two frames. */
    const double c1 = a1 * a1 - a2, c2 = a1 * a2;
    double x1 = s->x1, x2 = s->x2, y1 = s->y1, y2 = s->y2;
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
        double xa = x[i], xb = x[i + 1];
        double F = b0 * xa + b1 * x1 + b2 * x2;
        double G = b0 * xb + b1 * xa + b2 * x1;
        double ya = (F - a2 * y2) - a1 * y1;
        double yb = ((G - a1 * F) + c2 * y2) + c1 * y1;
        x2 = xa;
        x1 = xb;
        y2 = ya;
        y1 = yb;
        y[i] = (float)ya;
        y[i + 1] = (float)yb;
    }
    for (; i < n; i++) {
        double xi = x[i];
        double yi = b0 * xi + b1 * x1 + b2 * x2 - a2 * y2 - a1 * y1;
        x2 = x1;
        x1 = xi;
        y2 = y1;
        y1 = yi;
        y[i] = (float)yi;
    }
    s->x1 = x1;
    s->x2 = x2;
    s->y1 = y1;
    s->y2 = y2;
}

/* Two doubles, one per channel (SSE2 on x86-64, NEON on ARM, scalar code
 * elsewhere): lane 0 is channel a, lane 1 channel b. */
typedef double v2d __attribute__((vector_size(16)));

void ls_biquad_run2(const ls_biquad_coefs *c, ls_biquad_state *sa, ls_biquad_state *sb,
                    const float *xa, const float *xb, float *ya, float *yb, size_t n)
{
    /* ls_biquad_run's two-frame step, the same expressions in the same order
     * for each channel (so the samples are identical), the two channels in
     * the two lanes of a vector: half the instructions of two scalar runs */
    const double c1s = c->a1 * c->a1 - c->a2, c2s = c->a1 * c->a2;
    const v2d b0 = {c->b0, c->b0}, b1 = {c->b1, c->b1}, b2 = {c->b2, c->b2};
    const v2d a1 = {c->a1, c->a1}, a2 = {c->a2, c->a2}, c1 = {c1s, c1s}, c2 = {c2s, c2s};
    v2d x1 = {sa->x1, sb->x1}, x2 = {sa->x2, sb->x2}, y1 = {sa->y1, sb->y1}, y2 = {sa->y2, sb->y2};
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
        const v2d p = {xa[i], xb[i]}, q = {xa[i + 1], xb[i + 1]};
        const v2d F = b0 * p + b1 * x1 + b2 * x2;
        const v2d G = b0 * q + b1 * p + b2 * x1;
        const v2d u = (F - a2 * y2) - a1 * y1;
        const v2d v = ((G - a1 * F) + c2 * y2) + c1 * y1;
        x2 = p;
        x1 = q;
        y2 = u;
        y1 = v;
        ya[i] = (float)u[0];
        ya[i + 1] = (float)v[0];
        yb[i] = (float)u[1];
        yb[i + 1] = (float)v[1];
    }
    sa->x1 = x1[0];
    sa->x2 = x2[0];
    sa->y1 = y1[0];
    sa->y2 = y2[0];
    sb->x1 = x1[1];
    sb->x2 = x2[1];
    sb->y1 = y1[1];
    sb->y2 = y2[1];
    if (i < n) {   /* an odd last frame: each channel's one-frame step */
        ls_biquad_run(c, sa, xa + i, ya + i, n - i);
        ls_biquad_run(c, sb, xb + i, yb + i, n - i);
    }
}

void ls_biquad_response(const ls_biquad_coefs *c, double w, double *mag, double *phase)
{
    /* H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2), z = e^{i pi w} */
    double om = LS_PI * w;
    double c1 = cos(om), s1 = sin(om), c2 = cos(2.0 * om), s2 = sin(2.0 * om);
    double nr = c->b0 + c->b1 * c1 + c->b2 * c2, ni = -(c->b1 * s1 + c->b2 * s2);
    double dr = 1.0 + c->a1 * c1 + c->a2 * c2, di = -(c->a1 * s1 + c->a2 * s2);
    double d2 = dr * dr + di * di;
    double hr = (nr * dr + ni * di) / d2, hi = (ni * dr - nr * di) / d2;
    *mag = hypot(hr, hi);
    *phase = atan2(hi, hr);
}

int ls_biquad_state_settle(ls_biquad_state *s)
{
    const double tiny = 1e-20; /* far below what float output can carry */
    if (fabs(s->x1) < tiny) s->x1 = 0.0;
    if (fabs(s->x2) < tiny) s->x2 = 0.0;
    if (fabs(s->y1) < tiny) s->y1 = 0.0;
    if (fabs(s->y2) < tiny) s->y2 = 0.0;
    return s->x1 == 0.0 && s->x2 == 0.0 && s->y1 == 0.0 && s->y2 == 0.0;
}
