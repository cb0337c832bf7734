/* General IIR filter kernel: see iir.h. */
#include "iir.h"

#include <math.h>
#include <string.h>

#include "biquad.h"

static const double LS_PI = 3.14159265358979323846;

int ls_iir_coefs_set(ls_iir_coefs *c, const double *b, size_t nb, const double *a, size_t na)
{
    if (nb < 1 || nb > LS_IIR_MAX_ORDER || na < 1 || na > LS_IIR_MAX_ORDER || a[0] == 0.0)
        return -1;
    memset(c, 0, sizeof *c);
    double k = 1.0 / a[0];
    for (size_t i = 0; i < nb; i++)
        c->b[i] = b[i] * k;
    for (size_t i = 0; i < na; i++)
        c->a[i] = a[i] * k;
    c->a[0] = 1.0;
    c->nb = (uint32_t)nb;
    c->na = (uint32_t)na;
    c->order = (uint32_t)(nb > na ? nb : na);
    return 0;
}

void ls_iir_reset(ls_iir_state *s)
{
    memset(s, 0, sizeof *s);
}

/* Up to 3 coefficients a side the filter is a biquad: its kernel's two-frame
 * step (ls_biquad_run), on the same history. */
static inline ls_biquad_coefs as_biquad(const ls_iir_coefs *c)
{
    ls_biquad_coefs q = {c->b[0], c->b[1], c->b[2], c->a[1], c->a[2]};
    return q;
}

static inline ls_biquad_state state_get(const ls_iir_state *st)
{
    ls_biquad_state q = {st->x[0], st->x[1], st->y[0], st->y[1]};
    return q;
}

static inline void state_put(ls_iir_state *st, const ls_biquad_state *q)
{
    st->x[0] = q->x1;
    st->x[1] = q->x2;
    st->y[0] = q->y1;
    st->y[1] = q->y2;
}

void ls_iir_run(const ls_iir_coefs *c, ls_iir_state *st, const float *x, float *y, size_t n)
{
    const uint32_t m = c->order - 1;          /* states in use */
    double *s = st->s;
    if (m == 1 || m == 2) {
        const ls_biquad_coefs q = as_biquad(c);
        ls_biquad_state b = state_get(st);
        ls_biquad_run(&q, &b, x, y, n);
        state_put(st, &b);
        return;
    }
    if (m == 0) {
        for (size_t i = 0; i < n; i++)
            y[i] = (float)(c->b[0] * x[i]);
        return;
    }
    if (m <= 4) {
        /* coefficients past the order are 0 */
        const double b0 = c->b[0], b1 = c->b[1], b2 = c->b[2], b3 = c->b[3], b4 = c->b[4];
        const double a1 = c->a[1], a2 = c->a[2], a3 = c->a[3], a4 = c->a[4];
        double x1 = st->x[0], x2 = st->x[1], x3 = st->x[2], x4 = st->x[3];
        double y1 = st->y[0], y2 = st->y[1], y3 = st->y[2], y4 = st->y[3];
        for (size_t i = 0; i < n; i++) {
            double xi = x[i];
            double yi = b0 * xi + b1 * x1 + b2 * x2 + b3 * x3 + b4 * x4 - a4 * y4 - a3 * y3 -
                        a2 * y2 - a1 * y1;
            x4 = x3; x3 = x2; x2 = x1; x1 = xi;
            y4 = y3; y3 = y2; y2 = y1; y1 = yi;
            y[i] = (float)yi;
        }
        st->x[0] = x1; st->x[1] = x2; st->x[2] = x3; st->x[3] = x4;
        st->y[0] = y1; st->y[1] = y2; st->y[2] = y3; st->y[3] = y4;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        double xi = x[i];
        double yi = c->b[0] * xi + s[0];
        for (uint32_t k = 0; k + 1 < m; k++)
            s[k] = c->b[k + 1] * xi - c->a[k + 1] * yi + s[k + 1];
        s[m - 1] = c->b[m] * xi - c->a[m] * yi;
        y[i] = (float)yi;
    }
}

void ls_iir_run2(const ls_iir_coefs *c, ls_iir_state *sa, ls_iir_state *sb, const float *xa,
                 const float *xb, float *ya, float *yb, size_t n)
{
    const uint32_t m = c->order - 1;
    if (m == 1 || m == 2) {
        const ls_biquad_coefs q = as_biquad(c);
        ls_biquad_state p1 = state_get(sa), p2 = state_get(sb);
        ls_biquad_run2(&q, &p1, &p2, xa, xb, ya, yb, n);
        state_put(sa, &p1);
        state_put(sb, &p2);
        return;
    }
    if (m == 0 || m > 4) {
        ls_iir_run(c, sa, xa, ya, n);
        ls_iir_run(c, sb, xb, yb, n);
        return;
    }
    /* ls_iir_run's loop for up to 5 coefficients, the same expressions in
     * the same order for each channel (so the samples are identical),
     * interleaved: the two serial dependencies overlap */
    const double b0 = c->b[0], b1 = c->b[1], b2 = c->b[2], b3 = c->b[3], b4 = c->b[4];
    const double a1 = c->a[1], a2 = c->a[2], a3 = c->a[3], a4 = c->a[4];
    double px1 = sa->x[0], px2 = sa->x[1], px3 = sa->x[2], px4 = sa->x[3];
    double py1 = sa->y[0], py2 = sa->y[1], py3 = sa->y[2], py4 = sa->y[3];
    double qx1 = sb->x[0], qx2 = sb->x[1], qx3 = sb->x[2], qx4 = sb->x[3];
    double qy1 = sb->y[0], qy2 = sb->y[1], qy3 = sb->y[2], qy4 = sb->y[3];
    for (size_t i = 0; i < n; i++) {
        const double pi = xa[i], qi = xb[i];
        const double pyi = b0 * pi + b1 * px1 + b2 * px2 + b3 * px3 + b4 * px4 - a4 * py4 -
                           a3 * py3 - a2 * py2 - a1 * py1;
        const double qyi = b0 * qi + b1 * qx1 + b2 * qx2 + b3 * qx3 + b4 * qx4 - a4 * qy4 -
                           a3 * qy3 - a2 * qy2 - a1 * qy1;
        px4 = px3; px3 = px2; px2 = px1; px1 = pi;
        py4 = py3; py3 = py2; py2 = py1; py1 = pyi;
        qx4 = qx3; qx3 = qx2; qx2 = qx1; qx1 = qi;
        qy4 = qy3; qy3 = qy2; qy2 = qy1; qy1 = qyi;
        ya[i] = (float)pyi;
        yb[i] = (float)qyi;
    }
    sa->x[0] = px1; sa->x[1] = px2; sa->x[2] = px3; sa->x[3] = px4;
    sa->y[0] = py1; sa->y[1] = py2; sa->y[2] = py3; sa->y[3] = py4;
    sb->x[0] = qx1; sb->x[1] = qx2; sb->x[2] = qx3; sb->x[3] = qx4;
    sb->y[0] = qy1; sb->y[1] = qy2; sb->y[2] = qy3; sb->y[3] = qy4;
}

void ls_iir_response(const ls_iir_coefs *c, double w, double *mag, double *phase)
{
    double om = LS_PI * w;
    double nr = 0.0, ni = 0.0, dr = 0.0, di = 0.0;
    for (uint32_t k = 0; k < c->nb; k++) {
        nr += c->b[k] * cos(om * k);
        ni -= c->b[k] * sin(om * k);
    }
    for (uint32_t k = 0; k < c->na; k++) {
        dr += c->a[k] * cos(om * k);
        di -= c->a[k] * sin(om * k);
    }
    double d2 = dr * dr + di * di;
    double hr = (nr * dr + ni * di) / d2, hi = (ni * dr - nr * di) / d2;
    *mag = hypot(hr, hi);
    *phase = atan2(hi, hr);
}

static int settle(double *v, int n)
{
    int zero = 1;
    for (int i = 0; i < n; i++) {
        if (fabs(v[i]) < 1e-20)
            v[i] = 0.0;
        if (v[i] != 0.0)
            zero = 0;
    }
    return zero;
}

int ls_iir_state_settle(ls_iir_state *st)
{
    int a = settle(st->s, LS_IIR_MAX_ORDER);
    int b = settle(st->x, 4);
    int c = settle(st->y, 4);
    return a && b && c;
}
