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
    return 0;
}

void ls_iir_reset(ls_iir_state *s)
{
    memset(s, 0, sizeof *s);
}

void ls_iir_run(const ls_iir_coefs *c, ls_iir_state *s, const float *x, float *y, size_t n)
{
    const uint32_t mask = LS_IIR_HISTORY - 1;
    const uint32_t nb = c->nb, na = c->na;
    uint32_t pos = s->pos;
    for (size_t i = 0; i < n; i++) {
        double xi = x[i];
        double acc = c->b[0] * xi;
        for (uint32_t k = 1; k < nb; k++)
            acc += c->b[k] * s->x[(pos - k) & mask];
        for (uint32_t k = 1; k < na; k++)
            acc -= c->a[k] * s->y[(pos - k) & mask];
        s->x[pos] = xi;
        s->y[pos] = acc;
        pos = (pos + 1) & mask;
        y[i] = (float)acc;
    }
    s->pos = pos;
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

int ls_iir_state_settle(ls_iir_state *s)
{
    int zero = 1;
    for (uint32_t i = 0; i < LS_IIR_HISTORY; i++) {
        if (fabs(s->x[i]) < 1e-20)
            s->x[i] = 0.0;
        if (fabs(s->y[i]) < 1e-20)
            s->y[i] = 0.0;
        if (s->x[i] != 0.0 || s->y[i] != 0.0)
            zero = 0;
    }
    return zero;
}
