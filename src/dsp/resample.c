/* Windowed-sinc polyphase resampler: see resample.h for the design. */
#include "resample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "simd.h"

#define RS_ATTENUATION_DB 125.0
#define RS_TRANSITION 0.05         /* cycles per sample at the lower rate (0.1 x Nyquist) */
#define RS_CUTOFF 0.95             /* of the lower Nyquist frequency */
#define RS_MAX_EXACT_PHASES 4096u
#define RS_INTERP_PHASES 1024u
#define RS_MAX_TABLE (16u << 20)   /* floats: 64 MiB */

struct ls_resampler {
    double in_rate, out_rate;
    int exact;
    uint64_t step_int, step_frac;  /* exact: output step = step_int + step_frac / phases */
    uint32_t phases;
    uint32_t half;                 /* H: taps reach H input samples either side */
    uint32_t taps;                 /* per phase, a multiple of 8 (>= 2H) */
    float *table;                  /* (phases + 1) x taps */
};

static double bessel_i0(double x)
{
    double sum = 1.0, term = 1.0, q = x * x / 4.0;
    for (int k = 1; k < 200; k++) {
        term *= q / ((double)k * (double)k);
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    return sum;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

ls_resampler *ls_resampler_create(double in_rate, double out_rate)
{
    if (!(in_rate > 0) || !(out_rate > 0) || !isfinite(in_rate) || !isfinite(out_rate))
        return NULL;
    ls_resampler *rs = calloc(1, sizeof *rs);
    if (!rs)
        return NULL;
    rs->in_rate = in_rate;
    rs->out_rate = out_rate;
    if (in_rate == floor(in_rate) && out_rate == floor(out_rate) && in_rate < 1e12 &&
        out_rate < 1e12) {
        uint64_t a = (uint64_t)in_rate, b = (uint64_t)out_rate, g = gcd64(a, b);
        uint64_t L = b / g, M = a / g;
        if (L <= RS_MAX_EXACT_PHASES) {
            rs->exact = 1;
            rs->phases = (uint32_t)L;
            rs->step_int = M / L;
            rs->step_frac = M % L;
        }
    }
    double r = out_rate < in_rate ? out_rate / in_rate : 1.0;   /* lower rate / input rate */
    double n_low = (RS_ATTENUATION_DB - 7.95) / (2.285 * 2.0 * M_PI * RS_TRANSITION);
    double half = ceil(n_low / 2.0 / r) + 1;
    if (half > 1e6) {
        ls_resampler_destroy(rs);
        return NULL;
    }
    uint32_t H = (uint32_t)half;
    rs->half = H;
    rs->taps = (2 * H + 7) & ~7u;
    /* keep the table within RS_MAX_TABLE floats: extreme down-sampling ratios
     * have long filters, and then fewer (interpolated) phases */
    if (rs->exact && (uint64_t)(rs->phases + 1) * rs->taps > RS_MAX_TABLE)
        rs->exact = 0;
    if (!rs->exact) {
        uint64_t fit = RS_MAX_TABLE / rs->taps;
        rs->phases = fit >= RS_INTERP_PHASES + 1 ? RS_INTERP_PHASES : (uint32_t)(fit > 65 ? fit - 1 : 64);
    }
    double beta = 0.1102 * (RS_ATTENUATION_DB - 8.7);
    double c = RS_CUTOFF * r;
    double i0b = bessel_i0(beta);
    size_t n = (size_t)(rs->phases + 1) * rs->taps;
    rs->table = calloc(n, sizeof(float));
    double *tmp = malloc(sizeof(double) * rs->taps);
    if (!rs->table || !tmp) {
        free(tmp);
        ls_resampler_destroy(rs);
        return NULL;
    }
    for (uint32_t p = 0; p <= rs->phases; p++) {
        double f = (double)p / rs->phases;
        double sum = 0;
        for (uint32_t m = 0; m < rs->taps; m++) {
            double v = 0;
            if (m < 2 * H) {
                double x = f + (double)H - 1.0 - (double)m;   /* distance in input samples */
                double u = x / (double)H;
                if (fabs(u) < 1.0) {
                    double s = c * x == 0.0 ? 1.0 : sin(M_PI * c * x) / (M_PI * c * x);
                    v = c * s * bessel_i0(beta * sqrt(1.0 - u * u)) / i0b;
                }
            }
            tmp[m] = v;
            sum += v;
        }
        float *row = rs->table + (size_t)p * rs->taps;
        for (uint32_t m = 0; m < rs->taps; m++)
            row[m] = (float)(tmp[m] / sum);
    }
    free(tmp);
    return rs;
}

void ls_resampler_destroy(ls_resampler *rs)
{
    if (!rs)
        return;
    free(rs->table);
    free(rs);
}

uint64_t ls_resampler_output_length(const ls_resampler *rs, uint64_t n_in)
{
    if (rs->exact) {
        /* ceil(n_in * L / M) in integers */
        uint64_t L = rs->phases, M = rs->step_int * L + rs->step_frac;
        return (uint64_t)ceil((double)n_in * (double)L / (double)M - 1e-9);
    }
    return (uint64_t)ceil((double)n_in * rs->out_rate / rs->in_rate - 1e-9);
}

uint32_t ls_resampler_padding(const ls_resampler *rs) { return rs->half + 8; }

#if defined(__GNUC__) || defined(__clang__)
/* Eight lanes (simd.h): each lane sums its own products in the same order in
 * both clones of ls_resampler_process, and the lanes are added in a fixed
 * order, so both give the same results. */

static inline float dot(const float *restrict a, const float *restrict b, uint32_t n)
{
    v8f s0 = {0, 0, 0, 0, 0, 0, 0, 0}, s1 = s0;
    uint32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 += load8(a + i) * load8(b + i);
        s1 += load8(a + i + 8) * load8(b + i + 8);
    }
    if (i < n)
        s0 += load8(a + i) * load8(b + i);
    v8f s = s0 + s1;
    return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}
#else
static inline float dot(const float *restrict a, const float *restrict b, uint32_t n)
{
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (uint32_t i = 0; i < n; i += 8) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
        s4 += a[i + 4] * b[i + 4];
        s5 += a[i + 5] * b[i + 5];
        s6 += a[i + 6] * b[i + 6];
        s7 += a[i + 7] * b[i + 7];
    }
    return ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7));
}
#endif

LS_VEC_FN void ls_resampler_process(const ls_resampler *rs, const float *padded, uint64_t n_in,
                                    float *out, uint64_t n_out)
{
    (void)n_in;
    const uint32_t T = rs->taps, H = rs->half;
    const float *base = padded - (int64_t)H + 1;
    if (rs->exact) {
        uint64_t i = 0, p = 0;
        const uint64_t L = rs->phases;
        for (uint64_t j = 0; j < n_out; j++) {
            out[j] = dot(rs->table + p * T, base + i, T);
            i += rs->step_int;
            p += rs->step_frac;
            if (p >= L) {
                p -= L;
                i++;
            }
        }
        return;
    }
    const double step = rs->in_rate / rs->out_rate;
    const double P = rs->phases;
    for (uint64_t j = 0; j < n_out; j++) {
        double t = (double)j * step;
        uint64_t i = (uint64_t)t;
        double pf = (t - (double)i) * P;
        uint32_t p = (uint32_t)pf;
        if (p >= rs->phases)
            p = rs->phases - 1;
        float a = (float)(pf - p);
        const float *x = base + i;
        float y0 = dot(rs->table + (size_t)p * T, x, T);
        float y1 = dot(rs->table + (size_t)(p + 1) * T, x, T);
        out[j] = y0 + a * (y1 - y0);
    }
}
