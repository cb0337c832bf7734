/*
 * Biquad coefficients from the Web Audio spec ("Filters characteristics" of
 * BiquadFilterNode), in double precision, and the direct form I filter.
 */
#include "biquad.h"

#include <math.h>

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

ls_biquad_coefs ls_biquad_coefs_from(int type, double f0, const ls_biquad_qg *qg, double sr)
{
    double nyq = sr * 0.5;
    if (!(f0 > 0.0))
        f0 = 0.0;
    if (f0 > nyq)
        f0 = nyq;
    double w = f0 / nyq;              /* normalized frequency in [0, 1] */
    const double A = qg->A, q = qg->q;
    double w0 = LS_PI * w;
    double cw = cos(w0), sw = sin(w0);

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
