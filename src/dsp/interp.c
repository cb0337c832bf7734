/* Interpolated buffer reads: see interp.h. */
#include "interp.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "simd.h"

#define SINC_H LS_INTERP_SINC_HALF
#define SINC_T (2 * SINC_H)          /* taps per row, a multiple of 8 */
#define SINC_R 1024                  /* fractional positions in the table */
#define SINC_CUTOFF 0.925            /* of the buffer's Nyquist frequency */
#define SINC_ATTEN_DB 120.0
#define SINC_MIN_SCALE 0.125         /* the cutoff is lowered at most 8 times */
#define RUN 128                      /* frames whose positions are computed at once */

/* rows[p][m]: the kernel at distance p / R + H - 1 - m from tap m, each row
 * summing to 1; proto[i]: the kernel at distance i / R (0 <= i <= H R) */
static float *sinc_rows;
static float *sinc_proto;
static _Atomic(const float *) sinc_ready;
static pthread_once_t sinc_once = PTHREAD_ONCE_INIT;

static double bessel_i0(double x)
{
    double sum = 1.0, term = 1.0, q = x * x / 4.0;
    for (int k = 1; k < 300; k++) {
        term *= q / ((double)k * (double)k);
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    return sum;
}

static double kernel(double d, double beta, double i0b)
{
    double u = d / SINC_H;
    if (fabs(u) >= 1.0)
        return 0.0;
    double a = M_PI * SINC_CUTOFF * d;
    double s = a == 0.0 ? 1.0 : sin(a) / a;
    return SINC_CUTOFF * s * bessel_i0(beta * sqrt(1.0 - u * u)) / i0b;
}

static void build_sinc(void)
{
    const double beta = 0.1102 * (SINC_ATTEN_DB - 8.7);
    const double i0b = bessel_i0(beta);
    float *rows = malloc(sizeof(float) * (size_t)(SINC_R + 1) * SINC_T);
    float *proto = malloc(sizeof(float) * ((size_t)SINC_H * SINC_R + 1));
    if (!rows || !proto) {
        free(rows);
        free(proto);
        return;
    }
    for (int i = 0; i <= SINC_H * SINC_R; i++)
        proto[i] = (float)kernel((double)i / SINC_R, beta, i0b);
    for (int p = 0; p <= SINC_R; p++) {
        double v[SINC_T], sum = 0.0;
        for (int m = 0; m < SINC_T; m++) {
            v[m] = kernel((double)p / SINC_R + SINC_H - 1 - m, beta, i0b);
            sum += v[m];
        }
        for (int m = 0; m < SINC_T; m++)
            rows[(size_t)p * SINC_T + (size_t)m] = (float)(v[m] / sum);
    }
    sinc_rows = rows;
    sinc_proto = proto;
    atomic_store(&sinc_ready, rows);
}

bool ls_interp_init(void)
{
    pthread_once(&sinc_once, build_sinc);
    return atomic_load(&sinc_ready) != NULL;
}

/* ------------------------------------------------------------------ */
/* One frame at a time: edges, wraps, the reference                    */
/* ------------------------------------------------------------------ */

/* Tap j of x for a frame whose floor is k. */
static inline float tap(const ls_interp_view *v, const float *x, int64_t j, int64_t k)
{
    if (v->wrap) {
        const int64_t L = v->w1 - v->w0;
        if (j >= v->w1)
            j = v->w0 + (j - v->w0) % L;
        else if (j < v->w0 && k >= v->w0)
            j = v->w1 - 1 - (v->w0 - 1 - j) % L;
    }
    const int64_t n = v->n;
    if (j >= 0 && j < n)
        return x[j];
    if (v->edge == LS_INTERP_EDGE_ZERO)
        return 0.0f;
    if (v->mode == LS_INTERP_LINEAR) {
        /* the line through the two edge frames */
        if (n < 2)
            return x[j < 0 ? 0 : n - 1];
        float t = (float)(j < 0 ? -j : j - (n - 1));
        return j < 0 ? x[0] + t * (x[0] - x[1]) : x[n - 1] + t * (x[n - 1] - x[n - 2]);
    }
    /* the quadratic through the three edge frames, at t frames past the edge */
    if (n < 3)
        return x[j < 0 ? 0 : n - 1];
    const float *e0, *e1, *e2;
    float t;
    if (j < 0) {
        e0 = x;
        e1 = x + 1;
        e2 = x + 2;
        t = (float)(-j);
    } else {
        e0 = x + n - 1;
        e1 = x + n - 2;
        e2 = x + n - 3;
        t = (float)(j - (n - 1));
    }
    if (t == 1.0f)
        return 3.0f * *e0 - 3.0f * *e1 + *e2;
    return 0.5f * (t + 1.0f) * (t + 2.0f) * *e0 - t * (t + 2.0f) * *e1 +
           0.5f * t * (t + 1.0f) * *e2;
}

static inline float cubic(float xm, float x0, float x1, float x2, float f)
{
    float a1 = 0.5f * (x1 - xm);
    float a2 = xm - 2.5f * x0 + 2.0f * x1 - 0.5f * x2;
    float a3 = 0.5f * (x2 - xm) + 1.5f * (x0 - x1);
    return ((a3 * f + a2) * f + a1) * f + x0;
}

/* the sinc's reach in frames either side for a step */
static inline double sinc_scale(double step)
{
    double a = fabs(step);
    if (!(a > 1.0))
        return 1.0;
    return a > 1.0 / SINC_MIN_SCALE ? SINC_MIN_SCALE : 1.0 / a;
}

/* the band-limited value: taps j with |pos - j| < H / c, weights c g(c |pos - j|)
 * normalised to sum 1 (c = 1: the table's rows) */
static float sinc_value(const ls_interp_view *v, const float *x, double pos, double step,
                        int64_t k)
{
    const double c = sinc_scale(step);
    const float *rows = atomic_load_explicit(&sinc_ready, memory_order_acquire);
    if (c == 1.0) {
        double pf = (pos - (double)k) * SINC_R;
        int p = (int)pf;
        if (p >= SINC_R)
            p = SINC_R - 1;
        float a = (float)(pf - p);
        const float *r0 = rows + (size_t)p * SINC_T, *r1 = r0 + SINC_T;
        float s = 0.0f;
        for (int m = 0; m < SINC_T; m++)
            s += (r0[m] + a * (r1[m] - r0[m])) * tap(v, x, k - SINC_H + 1 + m, k);
        return s;
    }
    const double reach = SINC_H / c;
    int64_t j0 = (int64_t)floor(pos - reach) + 1, j1 = (int64_t)ceil(pos + reach) - 1;
    double s = 0.0, w = 0.0;
    for (int64_t j = j0; j <= j1; j++) {
        double d = fabs(pos - (double)j) * c * SINC_R;
        int64_t i = (int64_t)d;
        if (i >= (int64_t)SINC_H * SINC_R)
            continue;
        double a = d - (double)i;
        double g = sinc_proto[i] + a * (sinc_proto[i + 1] - sinc_proto[i]);
        s += g * tap(v, x, j, k);
        w += g;
    }
    return w != 0.0 ? (float)(s / w) : 0.0f;
}

float ls_interp_value(const ls_interp_view *v, const float *x, double pos, double step)
{
    if (!(pos >= 0.0) || !(pos < (double)v->n))
        return 0.0f;
    const int64_t k = (int64_t)pos;
    const float f = (float)(pos - (double)k);
    int mode = v->mode;
    /* a whole position is the frame itself, except to the sinc, whose
     * kernel filters every frame alike (its cutoff lies below the buffer's
     * Nyquist frequency: a frame passed through unfiltered would stand out
     * of a full-band signal) */
    if (f == 0.0f && mode != LS_INTERP_SINC)
        return x[k];
    if (mode == LS_INTERP_SINC) {
        if (!atomic_load_explicit(&sinc_ready, memory_order_acquire))
            mode = LS_INTERP_CUBIC;
        else if (v->edge == LS_INTERP_EDGE_CONTINUE) {
            /* taps that would read the polynomial continuation: the cubic */
            const int64_t r = (int64_t)ceil(SINC_H / sinc_scale(step)) + 1;
            if (v->wrap ? (k < v->w0 && k - r < 0) : (k - r < 0 || k + r >= v->n))
                mode = LS_INTERP_CUBIC;
        }
    }
    if (f == 0.0f && mode != LS_INTERP_SINC)
        return x[k];                 /* the sinc fell back to the cubic */
    if (mode == LS_INTERP_LINEAR) {
        float a = x[k];
        return a + f * (tap(v, x, k + 1, k) - a);
    }
    if (mode == LS_INTERP_CUBIC)
        return cubic(tap(v, x, k - 1, k), x[k], tap(v, x, k + 1, k), tap(v, x, k + 2, k), f);
    return sinc_value(v, x, pos, step, k);
}

/* ------------------------------------------------------------------ */
/* Runs with every tap inside: no checks, vectorised                   */
/* ------------------------------------------------------------------ */

/* k[i] = floor(q0 + i step), f[i] the rest, for q0 + i step >= 0 */
static LS_VEC_FN void positions(int32_t *restrict k, float *restrict f, uint32_t m, double q0,
                                double step)
{
    for (uint32_t i = 0; i < m; i++) {
        const double q = q0 + (double)(int32_t)i * step;
        const int32_t ki = (int32_t)q;
        k[i] = ki;
        f[i] = (float)(q - (double)ki);
    }
}

static LS_VEC_FN void linear_run(float *restrict y, const float *restrict x,
                                 const int32_t *restrict k, const float *restrict f, uint32_t m,
                                 bool add)
{
    if (add) {
        for (uint32_t i = 0; i < m; i++) {
            const float a = x[k[i]];
            y[i] += a + f[i] * (x[k[i] + 1] - a);
        }
    } else {
        for (uint32_t i = 0; i < m; i++) {
            const float a = x[k[i]];
            y[i] = a + f[i] * (x[k[i] + 1] - a);
        }
    }
}

static LS_VEC_FN void cubic_run(float *restrict y, const float *restrict x,
                                const int32_t *restrict k, const float *restrict f, uint32_t m,
                                bool add)
{
    for (uint32_t i = 0; i < m; i++) {
        const float xm = x[k[i] - 1], x0 = x[k[i]], x1 = x[k[i] + 1], x2 = x[k[i] + 2];
        const float a1 = 0.5f * (x1 - xm);
        const float a2 = xm - 2.5f * x0 + 2.0f * x1 - 0.5f * x2;
        const float a3 = 0.5f * (x2 - xm) + 1.5f * (x0 - x1);
        const float fi = f[i];
        const float v = ((a3 * fi + a2) * fi + a1) * fi + x0;
        y[i] = add ? y[i] + v : v;
    }
}

/* One channel: the positions computed inline (no arrays in between), for
 * q0 + i step >= 0 with every tap inside. */
static LS_VEC_FN void linear_fused(float *restrict y, const float *restrict x, uint32_t m,
                                   double q0, double step, bool add)
{
    if (add) {
        for (uint32_t i = 0; i < m; i++) {
            const double q = q0 + (double)(int32_t)i * step;
            const int32_t k = (int32_t)q;
            const float f = (float)(q - (double)k), a = x[k];
            y[i] += a + f * (x[k + 1] - a);
        }
    } else {
        for (uint32_t i = 0; i < m; i++) {
            const double q = q0 + (double)(int32_t)i * step;
            const int32_t k = (int32_t)q;
            const float f = (float)(q - (double)k), a = x[k];
            y[i] = a + f * (x[k + 1] - a);
        }
    }
}

static LS_VEC_FN void cubic_fused(float *restrict y, const float *restrict x, uint32_t m,
                                  double q0, double step, bool add)
{
    for (uint32_t i = 0; i < m; i++) {
        const double q = q0 + (double)(int32_t)i * step;
        const int32_t k = (int32_t)q;
        const float fi = (float)(q - (double)k);
        const float xm = x[k - 1], x0 = x[k], x1 = x[k + 1], x2 = x[k + 2];
        const float a1 = 0.5f * (x1 - xm);
        const float a2 = xm - 2.5f * x0 + 2.0f * x1 - 0.5f * x2;
        const float a3 = 0.5f * (x2 - xm) + 1.5f * (x0 - x1);
        const float v = ((a3 * fi + a2) * fi + a1) * fi + x0;
        y[i] = add ? y[i] + v : v;
    }
}

#if defined(__GNUC__) || defined(__clang__)
static inline float dot(const float *restrict a, const float *restrict b)
{
    v8f s0 = {0, 0, 0, 0, 0, 0, 0, 0}, s1 = s0;
    int i = 0;
    for (; i + 16 <= SINC_T; i += 16) {
        s0 += load8(a + i) * load8(b + i);
        s1 += load8(a + i + 8) * load8(b + i + 8);
    }
    for (; i < SINC_T; i += 8)
        s0 += load8(a + i) * load8(b + i);
    v8f s = s0 + s1;
    return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}
#else
static inline float dot(const float *restrict a, const float *restrict b)
{
    float s = 0.0f;
    for (int i = 0; i < SINC_T; i++)
        s += a[i] * b[i];
    return s;
}
#endif

static LS_VEC_FN void sinc_run(const float *const *x, int64_t bi, uint32_t channels,
                               float *const *y, uint32_t off, const int32_t *restrict k,
                               const float *restrict f, uint32_t m, bool add, const float *rows)
{
    float coef[SINC_T];
    for (uint32_t i = 0; i < m; i++) {
        const float fi = f[i];
        float pf = fi * (float)SINC_R;
        int p = (int)pf;
        if (p >= SINC_R)
            p = SINC_R - 1;
        const float a = pf - (float)p;
        const float *r0 = rows + (size_t)p * SINC_T, *r1 = r0 + SINC_T;
        for (int t = 0; t < SINC_T; t++)
            coef[t] = r0[t] + a * (r1[t] - r0[t]);
        for (uint32_t c = 0; c < channels; c++) {
            const float s = dot(coef, x[c] + bi + k[i] - SINC_H + 1);
            y[c][off + i] = add ? y[c][off + i] + s : s;
        }
    }
}

/* The sinc read faster than the buffer's rate (its cutoff lowered by c =
 * 1 / |step|): frames p0 + (i0 + i) step for i < m, every tap inside.
 * sinc_value's scaled branch, with the weights computed once per frame for
 * every channel, the taps read directly and summed in four parts. */
#define SCALED_MAX_TAPS (2 * (int)(SINC_H / SINC_MIN_SCALE) + 4)
static void sinc_scaled_run(const float *const *x, uint32_t channels, float *const *y,
                            uint32_t i0, uint32_t m, double p0, double step, bool add)
{
    const double c = sinc_scale(step), reach = SINC_H / c;
    double g[SCALED_MAX_TAPS];
    for (uint32_t i = i0; i < i0 + m; i++) {
        const double pos = p0 + (double)i * step;
        int64_t j0 = (int64_t)floor(pos - reach) + 1, j1 = (int64_t)ceil(pos + reach) - 1;
        /* weights past the kernel's end (rounding, at the ends only: the
         * distance grows outwards) are left out, as sinc_value skips them */
        int nt = 0;
        double w = 0.0;
        int64_t first = j0;
        for (int64_t j = j0; j <= j1; j++) {
            const double d = fabs(pos - (double)j) * c * SINC_R;
            const int64_t k = (int64_t)d;
            if (k >= (int64_t)SINC_H * SINC_R) {
                if (nt == 0)
                    first = j + 1;
                continue;
            }
            const double a = d - (double)k;
            g[nt] = sinc_proto[k] + a * (sinc_proto[k + 1] - sinc_proto[k]);
            w += g[nt];
            nt++;
        }
        for (uint32_t ch = 0; ch < channels; ch++) {
            /* four partial sums (in double, so their order changes the
             * result by far less than the float it is rounded to) */
            const float *xs = x[ch] + first;
            double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
            int t = 0;
            for (; t + 3 < nt; t += 4) {
                a0 += g[t] * xs[t];
                a1 += g[t + 1] * xs[t + 1];
                a2 += g[t + 2] * xs[t + 2];
                a3 += g[t + 3] * xs[t + 3];
            }
            for (; t < nt; t++)
                a0 += g[t] * xs[t];
            const double acc = (a0 + a1) + (a2 + a3);
            const float v = w != 0.0 ? (float)(acc / w) : 0.0f;
            y[ch][i] = add ? y[ch][i] + v : v;
        }
    }
}

/* The taps a mode reads before and after floor(pos). */
static void reach(const ls_interp_view *v, double step, int mode, int64_t *before,
                  int64_t *after)
{
    switch (mode) {
    case LS_INTERP_LINEAR: *before = 0; *after = 1; return;
    case LS_INTERP_CUBIC: *before = 1; *after = 2; return;
    default: {
        (void)v;
        int64_t r = (int64_t)ceil(SINC_H / sinc_scale(step)) + 1;
        *before = r;
        *after = r;
        return;
    }
    }
}

/* Frames from i on (at most m - i) whose positions stay in [lo, hi). */
static uint32_t run_length(double p0, double step, uint32_t i, uint32_t m, double lo, double hi)
{
    uint32_t left = m - i;
    double q = p0 + (double)i * step, t;
    if (step > 0.0)
        t = ceil((hi - q) / step);
    else if (step < 0.0)
        t = floor((q - lo) / -step) + 1.0;
    else
        return left;
    uint32_t r = t >= (double)left ? left : (t < 1.0 ? 1u : (uint32_t)t);
    while (r > 1) {
        double e = p0 + (double)(i + r - 1) * step;
        if (e >= lo && e < hi)
            break;
        r--;
    }
    return r;
}

void ls_interp_read(const ls_interp_view *v, const float *const *x, uint32_t channels,
                    float *const *y, uint32_t m, double p0, double step, bool add)
{
    int mode = v->mode;
    const float *rows = atomic_load_explicit(&sinc_ready, memory_order_acquire);
    if (mode == LS_INTERP_SINC && !rows)
        mode = LS_INTERP_CUBIC;
    /* the linear and cubic kernels read the frame past a whole position's
     * frame too (times a zero fraction): keep it inside as well */
    int64_t before, after;
    reach(v, step, mode, &before, &after);
    const bool scaled = mode == LS_INTERP_SINC && sinc_scale(step) != 1.0;
    const int64_t lo = v->wrap ? v->w0 : 0, hi = v->wrap ? v->w1 : v->n;
    const double safe_lo = (double)(lo + before), safe_hi = (double)(hi - after);
    const bool fast_ok = safe_lo < safe_hi && fabs(step) * RUN < 1e9 && (double)v->n < 1e15;
    int32_t k[RUN];
    float f[RUN];
    uint32_t i = 0;
    while (i < m) {
        const double q = p0 + (double)i * step;
        if (fast_ok && q >= safe_lo && q < safe_hi) {
            uint32_t r = run_length(p0, step, i, m, safe_lo, safe_hi);
            if (scaled) {
                /* positions as the frame-by-frame path computes them */
                sinc_scaled_run(x, channels, y, i, r, p0, step, add);
                i += r;
                continue;
            }
            if (r > RUN)
                r = RUN;
            const double qe = p0 + (double)(i + r - 1) * step;
            const double b = floor(q < qe ? q : qe);
            if (channels == 1 && mode != LS_INTERP_SINC) {
                /* the kernel's own first and last positions, checked */
                const int32_t k0 = (int32_t)((q - b) + (double)(int32_t)0 * step);
                const int32_t k1 = (int32_t)((q - b) + (double)(int32_t)(r - 1) * step);
                const int32_t lo_k = k0 < k1 ? k0 : k1, hi_k = k0 < k1 ? k1 : k0;
                if ((double)lo_k + b - (double)before >= (double)lo &&
                    (double)hi_k + b + (double)after < (double)hi) {
                    const float *xb = x[0] + (int64_t)b;
                    if (mode == LS_INTERP_LINEAR)
                        linear_fused(y[0] + i, xb, r, q - b, step, add);
                    else
                        cubic_fused(y[0] + i, xb, r, q - b, step, add);
                    i += r;
                    continue;
                }
            }
            positions(k, f, r, q - b, step);
            /* the positions as the kernel computes them stay inside */
            int32_t kmin = k[0] < k[r - 1] ? k[0] : k[r - 1];
            int32_t kmax = k[0] < k[r - 1] ? k[r - 1] : k[0];
            if ((double)kmin + b - (double)before >= (double)lo &&
                (double)kmax + b + (double)after < (double)hi) {
                const int64_t bi = (int64_t)b;
                if (mode == LS_INTERP_SINC) {
                    sinc_run(x, bi, channels, y, i, k, f, r, add, rows);
                } else {
                    for (uint32_t c = 0; c < channels; c++) {
                        if (mode == LS_INTERP_LINEAR)
                            linear_run(y[c] + i, x[c] + bi, k, f, r, add);
                        else
                            cubic_run(y[c] + i, x[c] + bi, k, f, r, add);
                    }
                }
                i += r;
                continue;
            }
        }
        for (uint32_t c = 0; c < channels; c++) {
            float s = ls_interp_value(v, x[c], q, step);
            y[c][i] = add ? y[c][i] + s : s;
        }
        i++;
    }
}
