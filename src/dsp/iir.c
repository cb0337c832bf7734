/* General IIR filter kernel: see iir.h. */
#include "iir.h"

#include <math.h>
#include <string.h>

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

void ls_iir_run(const ls_iir_coefs *c, ls_iir_state *st, const float *x, float *y, size_t n)
{
    const uint32_t m = c->order - 1;          /* states in use */
    double *s = st->s;
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
