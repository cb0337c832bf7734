/*
 * Band-limited wavetables: building them with the inverse FFT, choosing and
 * blending bands by fundamental frequency, and reading them. See wavetable.h.
 */
#include "wavetable.h"
#include "fft.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Table sizes. Linear interpolation of a table of size N holding partial k
 * (at x = k/N cycles per sample) leaves an image of relative level about
 * x^2. For a spectrum falling as 1/k (sawtooth, square) the worst image,
 * from the highest partial P, sits near 1 / (P R^2) of the fundamental with
 * R = N / P, so N >= sqrt(IMAGE_BUDGET * P) keeps every image line about
 * 10 log10(IMAGE_BUDGET) dB below the fundamental; N >= MIN_OVERSAMPLE * P
 * bounds it for any spectrum (-36 dB of that partial at 8). */
#define IMAGE_BUDGET 2.0e5
#define MIN_OVERSAMPLE 8u
/* Tables of at most this many partials are summed directly (see below). */
#define DIRECT_PARTIALS 16u

uint32_t ls_wavetable_base_size(double sample_rate)
{
    uint32_t size = 4096;
    double limit = 96000.0;
    while (sample_rate > limit && size < (1u << 16)) {
        size *= 2;
        limit *= 2;
    }
    return size;
}

static uint32_t next_pow2(uint32_t v)
{
    uint32_t p = 1;
    while (p < v)
        p *= 2;
    return p;
}

/* Size of a table holding partials 1 .. p (see IMAGE_BUDGET). */
static uint32_t table_size(uint32_t p, uint32_t base)
{
    double need = sqrt(IMAGE_BUDGET * (double)p);
    double floor_r = (double)MIN_OVERSAMPLE * p;
    if (need < floor_r)
        need = floor_r;
    uint32_t s = need >= (double)LS_FFT_MAX_SIZE ? LS_FFT_MAX_SIZE : next_pow2((uint32_t)ceil(need));
    return s > base ? s : base;
}

/* Partials band j keeps: floor(p_max * 2^(-j/3)). */
static uint32_t band_partials(uint32_t p_max, uint32_t j)
{
    double p = ldexp((double)p_max, -(int)(j / LS_WAVETABLE_BANDS_PER_OCTAVE)) *
               exp2(-(double)(j % LS_WAVETABLE_BANDS_PER_OCTAVE) / LS_WAVETABLE_BANDS_PER_OCTAVE);
    return (uint32_t)floor(p + 1e-9);
}

ls_wavetable *ls_wavetable_create(const float *real, const float *imag, size_t n,
                                  double sample_rate, bool normalize)
{
    ls_wavetable *wt = calloc(1, sizeof *wt);
    if (!wt)
        return NULL;
    const uint32_t base = ls_wavetable_base_size(sample_rate);
    const uint32_t p_max = base / 2;
    uint32_t octaves = 0;
    while ((1u << octaves) < p_max)
        octaves++;
    wt->sample_rate = sample_rate;
    wt->nyquist = 0.5 * sample_rate;
    wt->inv_sample_rate = 1.0 / sample_rate;
    wt->max_partials = p_max;
    /* the last band holds the fundamental alone; with a base size of at
     * most 2^16 there are at most 46 bands */
    wt->count = LS_WAVETABLE_BANDS_PER_OCTAVE * octaves + 1;
    double f0 = wt->nyquist / p_max;
    wt->inv_f0 = 1.0 / f0;
    wt->band_base = f0 * exp2(-1.0 / LS_WAVETABLE_BANDS_PER_OCTAVE);

    /* highest partial that is present */
    uint32_t top = 0;
    size_t limit = n > 0 ? n - 1 : 0;
    if (limit > p_max)
        limit = p_max;
    float cmax = 0.0f;
    for (size_t k = 1; k <= limit; k++) {
        float a = real ? fabsf(real[k]) : 0.0f, b = imag ? fabsf(imag[k]) : 0.0f;
        if (a != 0.0f || b != 0.0f)
            top = (uint32_t)k;
        cmax = fmaxf(cmax, fmaxf(a, b));
    }
    /* huge coefficients are scaled down while building so that the FFT
     * cannot overflow; the normalization (or the inverse factor) follows */
    const float pre = cmax > 1e4f ? 1.0f / cmax : 1.0f;

    /* Bands whose partial count reaches past `top` hold the same waveform:
     * they share one table. */
    uint32_t keep[LS_WAVETABLE_MAX_BANDS], size[LS_WAVETABLE_MAX_BANDS];
    size_t total = 0;
    for (uint32_t j = 0; j < wt->count; j++) {
        uint32_t p = band_partials(p_max, j);
        keep[j] = p < top ? p : top;
        size[j] = table_size(keep[j], base);
        if (j == 0 || keep[j] != keep[j - 1])
            total += (size_t)size[j] + 1;
    }
    wt->memory = malloc(sizeof(float) * total);
    uint32_t biggest = size[0];
    float *spec_re = malloc(sizeof(float) * (biggest / 2 + 1));
    float *spec_im = malloc(sizeof(float) * (biggest / 2 + 1));
    ls_fft *fft = NULL;
    if (!wt->memory || !spec_re || !spec_im)
        goto fail;

    float *dst = wt->memory;
    for (uint32_t j = 0; j < wt->count; j++) {
        ls_wavetable_band *b = &wt->band[j];
        b->partials = keep[j];
        b->size = size[j];
        b->mask = size[j] - 1;
        b->shift = 64;
        for (uint32_t v = size[j]; v > 1; v >>= 1)
            b->shift--;
        /* used while 3 log2(f / f0) < j (see select_bands) */
        b->max_frequency = j + 1 == wt->count ? wt->nyquist
                                              : f0 * exp2((double)j / LS_WAVETABLE_BANDS_PER_OCTAVE);
        if (j > 0 && keep[j] == keep[j - 1]) {
            b->data = wt->band[j - 1].data;
            continue;
        }
        uint32_t s = size[j];
        if (!fft || ls_fft_size(fft) != s) {
            ls_fft_destroy(fft);
            fft = ls_fft_create(s);
            if (!fft)
                goto fail;
        }
        /* X[k] = (s/2)(a_k - i b_k) makes the inverse FFT (with its 1/s)
         * produce sum a_k cos + b_k sin. */
        memset(spec_re, 0, sizeof(float) * (s / 2 + 1));
        memset(spec_im, 0, sizeof(float) * (s / 2 + 1));
        float half = 0.5f * (float)s * pre;
        for (uint32_t k = 1; k <= keep[j]; k++) {
            spec_re[k] = real ? half * real[k] : 0.0f;
            spec_im[k] = imag ? -half * imag[k] : 0.0f;
        }
        if (keep[j] <= DIRECT_PARTIALS) {
            /* few partials: summed directly in double precision (the
             * single-precision FFT's rounding would be the table's noise
             * floor, about -140 dB) */
            for (uint32_t i = 0; i < s; i++) {
                double acc = 0.0;
                for (uint32_t k = 1; k <= keep[j]; k++) {
                    /* the angle 2 pi k i / s reduced exactly: k i mod s */
                    uint64_t m = ((uint64_t)k * i) & (uint64_t)(s - 1);
                    double t = 6.283185307179586 * (double)m / (double)s;
                    acc += (real ? (double)real[k] * cos(t) : 0.0) +
                           (imag ? (double)imag[k] * sin(t) : 0.0);
                }
                dst[i] = (float)(acc * (double)pre);
            }
        } else {
            ls_fft_inverse(fft, spec_re, spec_im, dst);
        }
        dst[s] = dst[0];
        b->data = dst;
        dst += (size_t)s + 1;
    }

    /* normalization: the peak of the full waveform (band 0) */
    float scale = 1.0f / pre;
    if (normalize) {
        float peak = 0.0f;
        const float *d = wt->band[0].data;
        for (uint32_t i = 0; i < wt->band[0].size; i++) {
            float a = fabsf(d[i]);
            if (a > peak)
                peak = a;
        }
        scale = peak > 0.0f ? 1.0f / peak : 1.0f;
    }
    /* the factor from the coefficients to the tables */
    wt->scale = scale * pre;
    if (scale != 1.0f)
        for (size_t i = 0; i < total; i++)
            wt->memory[i] *= scale;

    ls_fft_destroy(fft);
    free(spec_re);
    free(spec_im);
    return wt;

fail:
    ls_fft_destroy(fft);
    free(spec_re);
    free(spec_im);
    free(wt->memory);
    free(wt);
    return NULL;
}

void ls_wavetable_destroy(ls_wavetable *wt)
{
    if (!wt)
        return;
    free(wt->memory);
    free(wt);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

/* Which bands serve fundamental |f| = absf (< nyquist): band *lo with weight
 * 1 - *mix and band *lo + 1 with weight *mix. With v = 3 log2(absf / f0),
 * band j is fully used at v = j - 1 and fades out completely at v = j,
 * where its P_j partials reach the Nyquist frequency. */
/* log2(x) for normal x > 0 within 1e-9: the exponent from the bits, and for
 * the mantissa m in [sqrt(1/2), sqrt(2)) the series 2/ln2 atanh(t),
 * t = (m-1)/(m+1), |t| < 0.172, to t^9 (libm's log2 cost more than the rest
 * of a chunk's band selection). */
static inline double fast_log2(double x)
{
    union { double d; uint64_t u; } v = {x};
    int e = (int)((v.u >> 52) & 0x7ff) - 1023;
    v.u = (v.u & 0x000fffffffffffffull) | 0x3ff0000000000000ull; /* m in [1, 2) */
    double m = v.d;
    if (m > 1.4142135623730951) {
        m *= 0.5;
        e++;
    }
    double t = (m - 1.0) / (m + 1.0), t2 = t * t;
    double s = t * (1.0 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9)))));
    return (double)e + 2.8853900817779268 * s;   /* 2 / ln 2 */
}

static inline void select_bands(const ls_wavetable *wt, double absf, uint32_t *lo, float *mix)
{
    if (!(absf > wt->band_base)) {
        *lo = 0;
        *mix = 0.0f;
        return;
    }
    double w = LS_WAVETABLE_BANDS_PER_OCTAVE * fast_log2(absf * wt->inv_f0) + 1.0;
    uint32_t i = (uint32_t)w;
    if (i >= wt->count - 1) {
        *lo = wt->count - 1;
        *mix = 0.0f;
        return;
    }
    *lo = i;
    *mix = (float)(w - (double)i);
    if (wt->band[i].data == wt->band[i + 1].data)
        *mix = 0.0f;
}

bool ls_wavetable_bands_for(const ls_wavetable *wt, double freq, uint32_t *lo, float *mix)
{
    double absf = fabs(freq);
    if (!(absf < wt->nyquist)) {
        *lo = 0;
        *mix = 0.0f;
        return false;
    }
    select_bands(wt, absf, lo, mix);
    return true;
}

static inline float band_read(const ls_wavetable_band *b, double phase)
{
    double pos = phase * (double)b->size;
    uint32_t i = (uint32_t)pos;
    float fr = (float)(pos - (double)i);
    i &= b->mask;
    const float *d = b->data;
    return d[i] + fr * (d[i + 1] - d[i]);
}

static inline double wrap_phase(double ph)
{
    return ph - floor(ph);
}

float ls_wavetable_lookup(const ls_wavetable *wt, double freq, double phase)
{
    double absf = fabs(freq);
    if (!(absf < wt->nyquist) || !isfinite(phase))
        return 0.0f;
    phase = wrap_phase(phase);
    uint32_t lo;
    float mix;
    select_bands(wt, absf, &lo, &mix);
    float a = band_read(&wt->band[lo], phase);
    if (mix == 0.0f)
        return a;
    float b = band_read(&wt->band[lo + 1], phase);
    return a + mix * (b - a);
}

/*
 * The render loops keep the phase in 64-bit fixed point (cycles * 2^64):
 * wrapping is the integer overflow, the increments are exact to 2^-64 of a
 * cycle, and the phase chain is one integer add per frame instead of a
 * floating-point add and compare. The top bits index the table; the next 24
 * give the interpolation fraction.
 */
typedef uint64_t ls_phase64;

static inline ls_phase64 phase_to_fixed(double ph)
{
    double x = ph * 0x1p64;   /* ph is in [0, 1) */
    return x >= 0x1p64 ? UINT64_MAX : (x > 0.0 ? (ls_phase64)x : 0);
}

static inline double phase_from_fixed(ls_phase64 u)
{
    double ph = (double)u * 0x1p-64;
    return ph < 1.0 ? ph : 0.0;   /* u within 2^-53 of a full cycle rounds to 1 */
}

/* A per-frame increment of `inc` cycles (|inc| < 1/2) in fixed point; a
 * negative increment wraps to the two's complement. */
static inline ls_phase64 inc_to_fixed(double inc)
{
    return (ls_phase64)(int64_t)(inc * 0x1p64);
}

static inline float band_read_fixed(const ls_wavetable_band *b, ls_phase64 u)
{
    uint32_t i = (uint32_t)(u >> b->shift);
    float fr = (float)((uint32_t)(u >> (b->shift - 24)) & 0xFFFFFFu) * 0x1p-24f;
    const float *d = b->data;
    return d[i] + fr * (d[i + 1] - d[i]);
}

/* Two bands of one size read at one phase share the index and the
 * fraction: blend the two tables' neighbouring samples first, then
 * interpolate once. Four frames per step, their phases independent. */
static ls_phase64 blend_same_size(const ls_wavetable_band *b0, const ls_wavetable_band *b1,
                                  float mix, float *out, uint32_t n, ls_phase64 u, ls_phase64 du)
{
    const float *d0 = b0->data, *d1 = b1->data;
    const uint32_t sh = b0->shift;
    const float keep = 1.0f - mix;
    uint32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        for (uint32_t k = 0; k < 4; k++) {
            ls_phase64 v = u + du * k;
            uint32_t j = (uint32_t)(v >> sh);
            float fr = (float)((uint32_t)(v >> (sh - 24)) & 0xFFFFFFu) * 0x1p-24f;
            float c0 = keep * d0[j] + mix * d1[j];
            float c1 = keep * d0[j + 1] + mix * d1[j + 1];
            out[i + k] = c0 + fr * (c1 - c0);
        }
        u += du * 4;
    }
    for (; i < n; i++) {
        uint32_t j = (uint32_t)(u >> sh);
        float fr = (float)((uint32_t)(u >> (sh - 24)) & 0xFFFFFFu) * 0x1p-24f;
        float c0 = keep * d0[j] + mix * d1[j];
        float c1 = keep * d0[j + 1] + mix * d1[j + 1];
        out[i] = c0 + fr * (c1 - c0);
        u += du;
    }
    return u;
}

void ls_wavetable_render_constant(const ls_wavetable *wt, float *out, uint32_t n, double freq,
                                  double *phase)
{
    double ph = *phase;
    double inc = freq * wt->inv_sample_rate;
    double absf = fabs(freq);
    if (!(absf < wt->nyquist)) {
        memset(out, 0, sizeof(float) * n);
        if (isfinite(inc))
            *phase = wrap_phase(ph + inc * (double)n);
        return;
    }
    uint32_t lo;
    float mix;
    select_bands(wt, absf, &lo, &mix);
    const ls_wavetable_band *b0 = &wt->band[lo];
    ls_phase64 u = phase_to_fixed(ph);
    const ls_phase64 du = inc_to_fixed(inc);
    if (mix == 0.0f) {
        for (uint32_t i = 0; i < n; i++) {
            out[i] = band_read_fixed(b0, u);
            u += du;
        }
    } else if (b0[1].size == b0->size) {
        u = blend_same_size(b0, b0 + 1, mix, out, n, u, du);
    } else {
        const ls_wavetable_band *b1 = b0 + 1;
        for (uint32_t i = 0; i < n; i++) {
            float a = band_read_fixed(b0, u);
            float b = band_read_fixed(b1, u);
            out[i] = a + mix * (b - a);
            u += du;
        }
    }
    *phase = phase_from_fixed(u);
}

/* Per-sample path: bands chosen for each frequency (used where a chunk holds
 * a frequency at or above Nyquist, or one that is not finite). */
static double render_exact(const ls_wavetable *wt, float *out, uint32_t n, const float *freq,
                           double ph)
{
    float last = NAN;
    uint32_t lo = 0;
    float mix = 0.0f;
    bool audible = false;
    for (uint32_t i = 0; i < n; i++) {
        float f = freq[i];
        if (f != last) {
            last = f;
            double absf = fabs((double)f);
            audible = absf < wt->nyquist;
            if (audible)
                select_bands(wt, absf, &lo, &mix);
        }
        double inc = (double)f * wt->inv_sample_rate;
        if (!audible) {
            out[i] = 0.0f;
            if (isfinite(inc))
                ph = wrap_phase(ph + inc);
            continue;
        }
        float a = band_read(&wt->band[lo], ph);
        if (mix != 0.0f) {
            float b = band_read(&wt->band[lo + 1], ph);
            a += mix * (b - a);
        }
        out[i] = a;
        ph += inc;
        if (ph >= 1.0)
            ph -= 1.0;
        else if (ph < 0.0)
            ph += 1.0;
    }
    return ph;
}

/* A changing frequency: the bands are chosen once per chunk of frames, for
 * the chunk's largest |f|. Bands serving a higher frequency hold fewer
 * partials, so every frame of the chunk stays band-limited, and the costly
 * band selection (a log2) is paid once per chunk instead of per frame. */
#define LS_WAVETABLE_CHUNK 16

void ls_wavetable_render(const ls_wavetable *wt, float *out, uint32_t n, const float *freq,
                         double *phase)
{
    ls_phase64 u = phase_to_fixed(*phase);
    for (uint32_t base = 0; base < n; base += LS_WAVETABLE_CHUNK) {
        uint32_t m = n - base < LS_WAVETABLE_CHUNK ? n - base : LS_WAVETABLE_CHUNK;
        const float *f = freq + base;
        float *y = out + base;
        double maxabs = 0.0;
        bool ok = true;
        for (uint32_t i = 0; i < m; i++) {
            double a = fabs((double)f[i]);
            ok &= a < wt->nyquist; /* false for NaN too */
            maxabs = a > maxabs ? a : maxabs;
        }
        if (!ok) {
            u = phase_to_fixed(render_exact(wt, y, m, f, phase_from_fixed(u)));
            continue;
        }
        uint32_t lo;
        float mix;
        select_bands(wt, maxabs, &lo, &mix);
        const ls_wavetable_band *b0 = &wt->band[lo];
        const double k = wt->inv_sample_rate * 0x1p64;
        ls_phase64 du[LS_WAVETABLE_CHUNK];
        for (uint32_t i = 0; i < m; i++)
            du[i] = (ls_phase64)(int64_t)((double)f[i] * k);
        if (mix == 0.0f) {
            for (uint32_t i = 0; i < m; i++) {
                y[i] = band_read_fixed(b0, u);
                u += du[i];
            }
        } else if (b0[1].size == b0->size) {
            /* as blend_same_size, with a frequency per frame */
            const float *d0 = b0->data, *d1 = b0[1].data;
            const uint32_t sh = b0->shift;
            const float keep = 1.0f - mix;
            for (uint32_t i = 0; i < m; i++) {
                uint32_t j = (uint32_t)(u >> sh);
                float fr = (float)((uint32_t)(u >> (sh - 24)) & 0xFFFFFFu) * 0x1p-24f;
                float c0 = keep * d0[j] + mix * d1[j];
                float c1 = keep * d0[j + 1] + mix * d1[j + 1];
                y[i] = c0 + fr * (c1 - c0);
                u += du[i];
            }
        } else {
            const ls_wavetable_band *b1 = b0 + 1;
            for (uint32_t i = 0; i < m; i++) {
                float a = band_read_fixed(b0, u);
                float b = band_read_fixed(b1, u);
                y[i] = a + mix * (b - a);
                u += du[i];
            }
        }
    }
    *phase = phase_from_fixed(u);
}
