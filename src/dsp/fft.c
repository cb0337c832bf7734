/*
 * Real-input FFT: a complex FFT of half the size over split (planar) real
 * and imaginary arrays, plus the pass that separates the spectra of the
 * even and odd samples. See fft.h for the conventions.
 */
#include "fft.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "simd.h"


struct ls_fft {
    /* set once by ls_fft_create */
    uint32_t n;           /* real size */
    uint32_t m;           /* complex size, n / 2 */
    uint32_t log2m;
    uint32_t *rev;        /* m entries: bit-reversal permutation of 0 .. m-1 */
    float *tw;            /* radix-4 twiddles: per pass, six rows of q floats */
    float *split_re;      /* m/2 + 1 entries: cos(2 pi k / n) */
    float *split_im;      /* m/2 + 1 entries: -sin(2 pi k / n) */
    /* scratch, owned by whoever executes the plan */
    float *work_re, *work_im;
};

static const double two_pi = 6.283185307179586476925286766559;

ls_fft *ls_fft_create(uint32_t n)
{
    if (n < LS_FFT_MIN_SIZE || n > LS_FFT_MAX_SIZE || (n & (n - 1)) != 0)
        return NULL;
    ls_fft *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->n = n;
    f->m = n / 2;
    uint32_t m = f->m;
    while ((1u << f->log2m) < m)
        f->log2m++;

    /* radix-4 passes: quarter q = 1, 4, 16 ... (or 2, 8, 32 ... after the
     * radix-2 pass when log2(m) is odd); each holds 6 floats per column */
    size_t tw_floats = 0;
    for (uint32_t q = (f->log2m & 1) ? 2 : 1; 4 * (size_t)q <= m; q *= 4)
        tw_floats += 6 * (size_t)q;

    f->rev = malloc(sizeof(uint32_t) * m);
    f->tw = malloc(sizeof(float) * (tw_floats ? tw_floats : 1));
    f->split_re = malloc(sizeof(float) * (m / 2 + 1));
    f->split_im = malloc(sizeof(float) * (m / 2 + 1));
    f->work_re = malloc(sizeof(float) * m);
    f->work_im = malloc(sizeof(float) * m);
    if (!f->rev || !f->tw || !f->split_re || !f->split_im || !f->work_re || !f->work_im) {
        ls_fft_destroy(f);
        return NULL;
    }

    for (uint32_t i = 0; i < m; i++) {
        uint32_t r = 0;
        for (uint32_t b = 0; b < f->log2m; b++)
            r |= ((i >> b) & 1u) << (f->log2m - 1 - b);
        f->rev[i] = r;
    }

    float *t = f->tw;
    for (uint32_t q = (f->log2m & 1) ? 2 : 1; 4 * (size_t)q <= m; q *= 4) {
        /* six planar rows of q: w^j, w^2j, w^3j (real, imaginary) */
        double step = two_pi / (4.0 * q);
        for (uint32_t p = 1; p <= 3; p++) {
            for (uint32_t j = 0; j < q; j++) {
                double a = step * (double)(p * j);
                t[(2 * p - 2) * q + j] = (float)cos(a);
                t[(2 * p - 1) * q + j] = (float)-sin(a);
            }
        }
        t += 6 * (size_t)q;
    }

    for (uint32_t k = 0; k <= m / 2; k++) {
        double a = two_pi * (double)k / (double)n;
        f->split_re[k] = (float)cos(a);
        f->split_im[k] = (float)-sin(a);
    }
    return f;
}

void ls_fft_destroy(ls_fft *f)
{
    if (!f)
        return;
    free(f->rev);
    free(f->tw);
    free(f->split_re);
    free(f->split_im);
    free(f->work_re);
    free(f->work_im);
    free(f);
}

uint32_t ls_fft_size(const ls_fft *f)
{
    return f->n;
}

/* One block of a radix-4 pass with quarter q: columns j of the four
 * quarters, W at a time (vector type V, loads and stores L and S; q a
 * multiple of W). Same arithmetic as the scalar loop in complex_fft. */
#define RADIX4_COLUMNS(V, W, L, S)                                                   \
    float *r0 = re, *i0 = im, *r1 = re + q, *i1 = im + q;                           \
    float *r2 = re + 2 * q, *i2 = im + 2 * q, *r3 = re + 3 * q, *i3 = im + 3 * q;   \
    const float *t1r = tw, *t1i = tw + q, *t2r = tw + 2 * q, *t2i = tw + 3 * q;     \
    const float *t3r = tw + 4 * q, *t3i = tw + 5 * q;                               \
    for (uint32_t j = 0; j < q; j += W) {                                           \
        V w1r = L(t1r + j), w1i = L(t1i + j), w2r = L(t2r + j), w2i = L(t2i + j);   \
        V w3r = L(t3r + j), w3i = L(t3i + j);                                       \
        V a0r = L(r0 + j), a0i = L(i0 + j), a1r = L(r1 + j), a1i = L(i1 + j);       \
        V a2r = L(r2 + j), a2i = L(i2 + j), a3r = L(r3 + j), a3i = L(i3 + j);       \
        V c1r = w2r * a1r - w2i * a1i, c1i = w2r * a1i + w2i * a1r;                 \
        V c2r = w1r * a2r - w1i * a2i, c2i = w1r * a2i + w1i * a2r;                 \
        V c3r = w3r * a3r - w3i * a3i, c3i = w3r * a3i + w3i * a3r;                 \
        V b0r = a0r + c1r, b0i = a0i + c1i, b1r = a0r - c1r, b1i = a0i - c1i;       \
        V d0r = c2r + c3r, d0i = c2i + c3i, d1r = c2r - c3r, d1i = c2i - c3i;       \
        S(r0 + j, b0r + d0r);                                                       \
        S(i0 + j, b0i + d0i);                                                       \
        S(r2 + j, b0r - d0r);                                                       \
        S(i2 + j, b0i - d0i);                                                       \
        S(r1 + j, b1r + d1i);                                                       \
        S(i1 + j, b1i - d1r);                                                       \
        S(r3 + j, b1r - d1i);                                                       \
        S(i3 + j, b1i + d1r);                                                       \
    }

/* q == 4: four columns at a time */
static void radix4_columns_v4(float *re, float *im, uint32_t q, const float *tw)
{
    RADIX4_COLUMNS(v4f, 4, load4, store4)
}

/* q a multiple of 8: eight at a time, in an AVX2 clone where the CPU has it
 * (no FMA: the same results as the other clone) */
static LS_VEC_FN void radix4_columns_v8(float *re, float *im, uint32_t q, const float *tw)
{
    RADIX4_COLUMNS(v8f, 8, load8, store8)
}

/* In-place forward complex FFT of size f->m over split arrays whose input is
 * in bit-reversed order; output in natural order. Called with re and im
 * swapped it computes the unscaled inverse transform instead. */
static void complex_fft(const ls_fft *f, float *restrict re, float *restrict im)
{
    const uint32_t m = f->m;
    uint32_t q = 1;
    if (f->log2m & 1) {
        for (uint32_t s = 0; s < m; s += 2) {
            float ar = re[s], ai = im[s], br = re[s + 1], bi = im[s + 1];
            re[s] = ar + br;
            im[s] = ai + bi;
            re[s + 1] = ar - br;
            im[s + 1] = ai - bi;
        }
        q = 2;
    }
    const float *tw = f->tw;
    for (; 4 * (size_t)q <= m; q *= 4) {
        const uint32_t len = 4 * q;
        if (q == 1) {
            for (uint32_t s = 0; s < m; s += 4) {
                float a0r = re[s], a0i = im[s];
                float a1r = re[s + 1], a1i = im[s + 1];
                float a2r = re[s + 2], a2i = im[s + 2];
                float a3r = re[s + 3], a3i = im[s + 3];
                float b0r = a0r + a1r, b0i = a0i + a1i;
                float b1r = a0r - a1r, b1i = a0i - a1i;
                float d0r = a2r + a3r, d0i = a2i + a3i;
                float d1r = a2r - a3r, d1i = a2i - a3i;
                re[s] = b0r + d0r;
                im[s] = b0i + d0i;
                re[s + 2] = b0r - d0r;
                im[s + 2] = b0i - d0i;
                re[s + 1] = b1r + d1i;
                im[s + 1] = b1i - d1r;
                re[s + 3] = b1r - d1i;
                im[s + 3] = b1i + d1r;
            }
        } else if ((q & 7) == 0) {
            for (uint32_t s = 0; s < m; s += len)
                radix4_columns_v8(re + s, im + s, q, tw);
        } else if ((q & 3) == 0) {
            for (uint32_t s = 0; s < m; s += len)
                radix4_columns_v4(re + s, im + s, q, tw);
        } else {
            for (uint32_t s = 0; s < m; s += len) {
                float *restrict r0 = re + s, *restrict i0 = im + s;
                float *restrict r1 = r0 + q, *restrict i1 = i0 + q;
                float *restrict r2 = r1 + q, *restrict i2 = i1 + q;
                float *restrict r3 = r2 + q, *restrict i3 = i2 + q;
                const float *restrict t1r = tw, *restrict t1i = tw + q;
                const float *restrict t2r = tw + 2 * q, *restrict t2i = tw + 3 * q;
                const float *restrict t3r = tw + 4 * q, *restrict t3i = tw + 5 * q;
                for (uint32_t j = 0; j < q; j++) {
                    float w1r = t1r[j], w1i = t1i[j], w2r = t2r[j], w2i = t2i[j];
                    float w3r = t3r[j], w3i = t3i[j];
                    float a0r = r0[j], a0i = i0[j];
                    float a1r = r1[j], a1i = i1[j];
                    float a2r = r2[j], a2i = i2[j];
                    float a3r = r3[j], a3i = i3[j];
                    /* c1 = w^2j a1, c2 = w^j a2, c3 = w^3j a3 */
                    float c1r = w2r * a1r - w2i * a1i, c1i = w2r * a1i + w2i * a1r;
                    float c2r = w1r * a2r - w1i * a2i, c2i = w1r * a2i + w1i * a2r;
                    float c3r = w3r * a3r - w3i * a3i, c3i = w3r * a3i + w3i * a3r;
                    float b0r = a0r + c1r, b0i = a0i + c1i;
                    float b1r = a0r - c1r, b1i = a0i - c1i;
                    float d0r = c2r + c3r, d0i = c2i + c3i;
                    float d1r = c2r - c3r, d1i = c2i - c3i;
                    r0[j] = b0r + d0r;
                    i0[j] = b0i + d0i;
                    r2[j] = b0r - d0r;
                    i2[j] = b0i - d0i;
                    r1[j] = b1r + d1i;
                    i1[j] = b1i - d1r;
                    r3[j] = b1r - d1i;
                    i3[j] = b1i + d1r;
                }
            }
        }
        tw += 6 * (size_t)q;
    }
}

void ls_fft_forward(ls_fft *f, const float *in, float *re, float *im)
{
    const uint32_t m = f->m;
    float *restrict wr = f->work_re, *restrict wi = f->work_im;
    const uint32_t *rev = f->rev;
    for (uint32_t i = 0; i < m; i++) {
        uint32_t r = rev[i];
        wr[i] = in[2 * r];
        wi[i] = in[2 * r + 1];
    }
    complex_fft(f, wr, wi);

    /* Z = E + iO where E, O are the spectra of the even and odd samples:
     * X[k] = E[k] + w^k O[k], X[m-k] = conj(E[k] - w^k O[k]). */
    re[0] = wr[0] + wi[0];
    im[0] = 0.0f;
    re[m] = wr[0] - wi[0];
    im[m] = 0.0f;
    const float *cr = f->split_re, *ci = f->split_im;
    for (uint32_t k = 1; k <= m / 2; k++) {
        uint32_t j = m - k;
        float er = 0.5f * (wr[k] + wr[j]);
        float ei = 0.5f * (wi[k] - wi[j]);
        float or_ = 0.5f * (wi[k] + wi[j]);
        float oi = -0.5f * (wr[k] - wr[j]);
        float tr = cr[k] * or_ - ci[k] * oi;
        float ti = cr[k] * oi + ci[k] * or_;
        re[k] = er + tr;
        im[k] = ei + ti;
        re[j] = er - tr;
        im[j] = -(ei - ti);
    }
}

void ls_fft_inverse(ls_fft *f, const float *re, const float *im, float *out)
{
    const uint32_t m = f->m;
    const float g = 1.0f / (float)f->n;
    float *restrict wr = f->work_re, *restrict wi = f->work_im;
    const uint32_t *rev = f->rev;
    const float *cr = f->split_re, *ci = f->split_im;

    /* k = 0 pairs with k = m (both purely real) */
    wr[0] = (re[0] + re[m]) * g;
    wi[0] = (re[0] - re[m]) * g;
    for (uint32_t k = 1; k <= m / 2; k++) {
        uint32_t j = m - k;
        float er = (re[k] + re[j]) * g;
        float ei = (im[k] - im[j]) * g;
        float dr = (re[k] - re[j]) * g;
        float di = (im[k] + im[j]) * g;
        /* O = D * conj(w^k); Z[k] = E + iO; Z[m-k] = conj(E - iO) */
        float or_ = dr * cr[k] + di * ci[k];
        float oi = di * cr[k] - dr * ci[k];
        uint32_t rk = rev[k], rj = rev[j];
        wr[rk] = er - oi;
        wi[rk] = ei + or_;
        wr[rj] = er + oi;
        wi[rj] = -(ei - or_);
    }
    /* inverse complex FFT: the forward one with real and imaginary swapped */
    complex_fft(f, wi, wr);
    for (uint32_t i = 0; i < m; i++) {
        out[2 * i] = wr[i];
        out[2 * i + 1] = wi[i];
    }
}
