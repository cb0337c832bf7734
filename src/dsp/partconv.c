/*
 * Non-uniformly partitioned overlap-save convolution. See convolver.h.
 *
 * Stage k has partition size B = 128 * 8^k and covers the response from
 * frame B (0 for the first stage) up to the next stage's partition size (the
 * last stage, B = 8192, covers the rest). A stage keeps the last two input
 * blocks of B frames; when a block completes at absolute frame T it
 * transforms them (FFT of 2B), stores the spectrum in its frequency-domain
 * delay line, sums spectrum x partition over the line, transforms back and
 * adds the valid half into an output ring at frames [T - B + lo, T + lo),
 * where lo is where the stage's part of the response starts. lo >= B for
 * every stage but the first, so those frames are never in the past; the
 * first stage (B = one quantum, lo = 0) fills the quantum being rendered.
 */
#include "partconv.h"
#include "fft.h"

#include <stdlib.h>
#include <string.h>
#include "simd.h"

#define MAX_STAGES 3
#define LAST_STAGE_BLOCK 8192u

typedef struct stage {
    uint32_t B, P, lo;
    ls_fft *fft;                  /* size 2B */
    float *hre, *him;             /* P x (B + 1): partition spectra */
    float *xre, *xim;             /* P x (B + 1): delay line of input spectra */
    uint32_t head;                /* index of the newest input spectrum */
    float *inbuf;                 /* 2B: previous block, current block */
    uint32_t fill;                /* frames of the current block received */
    float *are, *aim;             /* B + 1: accumulated spectrum */
    float *tmp;                   /* 2B */
} stage;

struct ls_partconv {
    uint32_t len, nstages;
    stage st[MAX_STAGES];
    float *ring;                  /* output ring, indexed by absolute frame */
    uint32_t ring_mask;
    uint64_t t;                   /* frames consumed */
};

static void stage_free(stage *s)
{
    ls_fft_destroy(s->fft);
    free(s->hre);
    free(s->him);
    free(s->xre);
    free(s->xim);
    free(s->inbuf);
    free(s->are);
    free(s->aim);
    free(s->tmp);
}

void ls_partconv_destroy(ls_partconv *c)
{
    if (!c)
        return;
    for (uint32_t i = 0; i < c->nstages; i++)
        stage_free(&c->st[i]);
    free(c->ring);
    free(c);
}

static int stage_init(stage *s, const float *ir, uint32_t len, float scale, uint32_t B,
                      uint32_t lo, uint32_t hi)
{
    s->B = B;
    s->lo = lo;
    s->P = (hi - lo + B - 1) / B;
    size_t bins = (size_t)B + 1, spec = bins * s->P;
    s->fft = ls_fft_create(2 * B);
    s->hre = calloc(spec, sizeof(float));
    s->him = calloc(spec, sizeof(float));
    s->xre = calloc(spec, sizeof(float));
    s->xim = calloc(spec, sizeof(float));
    s->inbuf = calloc(2 * (size_t)B, sizeof(float));
    s->are = calloc(bins, sizeof(float));
    s->aim = calloc(bins, sizeof(float));
    s->tmp = calloc(2 * (size_t)B, sizeof(float));
    if (!s->fft || !s->hre || !s->him || !s->xre || !s->xim || !s->inbuf || !s->are || !s->aim ||
        !s->tmp)
        return -1;
    for (uint32_t p = 0; p < s->P; p++) {
        uint32_t a = lo + p * B, n = hi - a < B ? hi - a : B;
        memset(s->tmp, 0, sizeof(float) * 2 * B);
        for (uint32_t i = 0; i < n; i++)
            s->tmp[i] = ir[a + i] * scale;
        ls_fft_forward(s->fft, s->tmp, s->hre + p * bins, s->him + p * bins);
    }
    (void)len;
    return 0;
}

ls_partconv *ls_partconv_create(const float *ir, uint32_t len, float scale)
{
    if (!ir || len == 0)
        return NULL;
    ls_partconv *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->len = len;
    uint32_t B = LS_PARTCONV_BLOCK, lo = 0, max_lo = 0;
    while (lo < len && c->nstages < MAX_STAGES) {
        uint32_t next = B * 8;
        uint32_t hi = (B >= LAST_STAGE_BLOCK || next >= len) ? len : next;
        stage *s = &c->st[c->nstages++];
        if (stage_init(s, ir, len, scale, B, lo, hi) < 0) {
            ls_partconv_destroy(c);
            return NULL;
        }
        max_lo = lo;
        lo = hi;
        B = next;
    }
    uint32_t ring = 1;
    while (ring < 2 * (max_lo + LS_PARTCONV_BLOCK))
        ring <<= 1;
    c->ring = calloc(ring, sizeof(float));
    if (!c->ring) {
        ls_partconv_destroy(c);
        return NULL;
    }
    c->ring_mask = ring - 1;
    return c;
}

void ls_partconv_reset(ls_partconv *c)
{
    for (uint32_t i = 0; i < c->nstages; i++) {
        stage *s = &c->st[i];
        size_t spec = ((size_t)s->B + 1) * s->P;
        memset(s->xre, 0, sizeof(float) * spec);
        memset(s->xim, 0, sizeof(float) * spec);
        memset(s->inbuf, 0, sizeof(float) * 2 * s->B);
        s->fill = 0;
        s->head = 0;
    }
    memset(c->ring, 0, sizeof(float) * ((size_t)c->ring_mask + 1));
    c->t = 0;
}

uint32_t ls_partconv_tail_frames(const ls_partconv *c)
{
    return c->len + c->st[c->nstages - 1].B + LS_PARTCONV_BLOCK;
}

/* acc += x * h over B + 1 bins (B a multiple of 4). */
static void cmac(float *restrict ar, float *restrict ai, const float *restrict xr,
                 const float *restrict xi, const float *restrict hr, const float *restrict hi,
                 uint32_t B)
{
    for (uint32_t k = 0; k < B; k += 4) {
        v4f a = load4(xr + k), b = load4(xi + k), c = load4(hr + k), d = load4(hi + k);
        store4(ar + k, load4(ar + k) + a * c - b * d);
        store4(ai + k, load4(ai + k) + a * d + b * c);
    }
    ar[B] += xr[B] * hr[B] - xi[B] * hi[B];
    ai[B] += xr[B] * hi[B] + xi[B] * hr[B];
}

/* The stage's current block is complete; the block ends at absolute frame T. */
static void stage_run(ls_partconv *c, stage *s, uint64_t T)
{
    const uint32_t B = s->B, P = s->P;
    const size_t bins = (size_t)B + 1;
    s->head = s->head + 1 == P ? 0 : s->head + 1;
    float *xr = s->xre + s->head * bins, *xi = s->xim + s->head * bins;
    ls_fft_forward(s->fft, s->inbuf, xr, xi);
    memset(s->are, 0, sizeof(float) * bins);
    memset(s->aim, 0, sizeof(float) * bins);
    uint32_t idx = s->head;
    for (uint32_t p = 0; p < P; p++) {
        cmac(s->are, s->aim, s->xre + idx * bins, s->xim + idx * bins, s->hre + p * bins,
             s->him + p * bins, B);
        idx = idx == 0 ? P - 1 : idx - 1;
    }
    ls_fft_inverse(s->fft, s->are, s->aim, s->tmp);
    uint64_t at = T - B + s->lo;
    const uint32_t mask = c->ring_mask;
    float *ring = c->ring;
    const float *z = s->tmp + B;
    for (uint32_t i = 0; i < B; i++)
        ring[(at + i) & mask] += z[i];
    memcpy(s->inbuf, s->inbuf + B, sizeof(float) * B);
}

void ls_partconv_process(ls_partconv *c, const float *in, float *out, int accumulate)
{
    const uint32_t n = LS_PARTCONV_BLOCK;
    uint64_t t0 = c->t;
    c->t += n;
    for (uint32_t i = 0; i < c->nstages; i++) {
        stage *s = &c->st[i];
        float *dst = s->inbuf + s->B + s->fill;
        if (in)
            memcpy(dst, in, sizeof(float) * n);
        else
            memset(dst, 0, sizeof(float) * n);
        s->fill += n;
        if (s->fill == s->B) {
            s->fill = 0;
            stage_run(c, s, c->t);
        }
    }
    const uint32_t mask = c->ring_mask;
    uint32_t a = (uint32_t)(t0 & mask);
    float *r = c->ring + a;    /* n frames never wrap: the ring is a multiple of n */
    if (accumulate) {
        for (uint32_t i = 0; i < n; i++)
            out[i] += r[i];
    } else {
        memcpy(out, r, sizeof(float) * n);
    }
    memset(r, 0, sizeof(float) * n);
}
