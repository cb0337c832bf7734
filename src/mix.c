/*
 * Channel up-mixing and down-mixing (Web Audio, "Channel Up-Mixing and
 * Down-Mixing").
 *
 * An input mixes every connection into one bus of computedNumberOfChannels
 * channels. Each connection is added with the rules of the input's
 * channelInterpretation:
 *
 *   "speakers"  when both counts are one of the basic layouts
 *                 mono   1: M
 *                 stereo 2: L R
 *                 quad   4: L R SL SR
 *                 5.1    6: L R C LFE SL SR
 *               the spec's up-mix and down-mix equations apply; any other
 *               pair of counts falls back to "discrete".
 *   "discrete"  up-mix fills channels in order and leaves the rest silent;
 *               down-mix drops the extra channels.
 *
 * Equal counts always add channel by channel.
 *
 * Render thread only. Every kernel runs over one quantum with restrict
 * pointers and no branch inside the loop, so the compiler vectorizes it. The
 * expressions keep the spec's order of operations, which makes the results
 * reproducible: tests compute the same float expression and compare exactly.
 */
#include "engine.h"

#include <string.h>
#include "dsp/simd.h"

/* sqrt(0.5) rounded to float. */
#define LS_SQRT_HALF 0.70710678118654752f

/* Channel indices of the basic layouts. */
enum { QUAD_L = 0, QUAD_R = 1, QUAD_SL = 2, QUAD_SR = 3 };
enum { S51_L = 0, S51_R = 1, S51_C = 2, S51_LFE = 3, S51_SL = 4, S51_SR = 5 };

/* ------------------------------------------------------------------ */
/* Kernels                                                             */
/* ------------------------------------------------------------------ */

/* d += a */
static inline void k_add(float *restrict d, const float *restrict a)
{
    for (int i = 0; i < LS_Q; i++)
        d[i] += a[i];
}

/* d += k * (a + b) */
static inline void k_add_sum2_scaled(float *restrict d, const float *restrict a,
                                     const float *restrict b, float k)
{
    for (int i = 0; i < LS_Q; i++)
        d[i] += k * (a[i] + b[i]);
}

/* d += a + k * b */
static inline void k_add_plus_scaled(float *restrict d, const float *restrict a,
                                     const float *restrict b, float k)
{
    for (int i = 0; i < LS_Q; i++)
        d[i] += a[i] + k * b[i];
}

/* d += a + k * (b + c) */
static inline void k_add_plus_sum2_scaled(float *restrict d, const float *restrict a,
                                          const float *restrict b, const float *restrict c,
                                          float k)
{
    for (int i = 0; i < LS_Q; i++)
        d[i] += a[i] + k * (b[i] + c[i]);
}

/* quad -> mono: d += 0.25 * (L + R + SL + SR) */
static inline void k_quad_to_mono(float *restrict d, const float *restrict l,
                                  const float *restrict r, const float *restrict sl,
                                  const float *restrict sr)
{
    for (int i = 0; i < LS_Q; i++)
        d[i] += 0.25f * (l[i] + r[i] + sl[i] + sr[i]);
}

/* 5.1 -> mono: d += sqrt(0.5) * (L + R) + C + 0.5 * (SL + SR) */
static inline void k_51_to_mono(float *restrict d, const float *restrict l,
                                const float *restrict r, const float *restrict c,
                                const float *restrict sl, const float *restrict sr)
{
    for (int i = 0; i < LS_Q; i++)
        d[i] += LS_SQRT_HALF * (l[i] + r[i]) + c[i] + 0.5f * (sl[i] + sr[i]);
}

/* ------------------------------------------------------------------ */
/* Mixing                                                              */
/* ------------------------------------------------------------------ */

/* Add the first n channels of src to the first n channels of dst. */
static void add_channels(ls_bus *dst, const ls_bus *src, uint32_t n)
{
    for (uint32_t c = 0; c < n; c++)
        k_add(dst->ch[c], src->ch[c]);
}

static bool is_basic_layout(uint32_t n)
{
    return n == 1 || n == 2 || n == 4 || n == 6;
}

/* "speakers" rules for two different basic layouts. */
static void mix_speakers(ls_bus *dst, const ls_bus *src)
{
    float *const *d = dst->ch;
    const float *const *s = (const float *const *)src->ch;
    uint32_t in = src->channels, out = dst->channels;

    switch (in * 8 + out) {
    /* up-mix */
    case 1 * 8 + 2: /* mono -> stereo: L = M, R = M */
    case 1 * 8 + 4: /* mono -> quad: L = M, R = M, SL = SR = 0 */
        k_add(d[0], s[0]);
        k_add(d[1], s[0]);
        break;
    case 1 * 8 + 6: /* mono -> 5.1: C = M, the rest 0 */
        k_add(d[S51_C], s[0]);
        break;
    case 2 * 8 + 4: /* stereo -> quad: L, R; SL = SR = 0 */
    case 2 * 8 + 6: /* stereo -> 5.1: L, R; C = LFE = SL = SR = 0 */
        k_add(d[0], s[0]);
        k_add(d[1], s[1]);
        break;
    case 4 * 8 + 6: /* quad -> 5.1: L, R, SL, SR; C = LFE = 0 */
        k_add(d[S51_L], s[QUAD_L]);
        k_add(d[S51_R], s[QUAD_R]);
        k_add(d[S51_SL], s[QUAD_SL]);
        k_add(d[S51_SR], s[QUAD_SR]);
        break;

    /* down-mix */
    case 2 * 8 + 1: /* stereo -> mono: M = 0.5 * (L + R) */
        k_add_sum2_scaled(d[0], s[0], s[1], 0.5f);
        break;
    case 4 * 8 + 1: /* quad -> mono: M = 0.25 * (L + R + SL + SR) */
        k_quad_to_mono(d[0], s[QUAD_L], s[QUAD_R], s[QUAD_SL], s[QUAD_SR]);
        break;
    case 4 * 8 + 2: /* quad -> stereo: L = 0.5 * (L + SL), R = 0.5 * (R + SR) */
        k_add_sum2_scaled(d[0], s[QUAD_L], s[QUAD_SL], 0.5f);
        k_add_sum2_scaled(d[1], s[QUAD_R], s[QUAD_SR], 0.5f);
        break;
    case 6 * 8 + 1: /* 5.1 -> mono: M = sqrt(0.5) (L + R) + C + 0.5 (SL + SR) */
        k_51_to_mono(d[0], s[S51_L], s[S51_R], s[S51_C], s[S51_SL], s[S51_SR]);
        break;
    case 6 * 8 + 2: /* 5.1 -> stereo: L = L + sqrt(0.5) (C + SL), R = R + sqrt(0.5) (C + SR) */
        k_add_plus_sum2_scaled(d[0], s[S51_L], s[S51_C], s[S51_SL], LS_SQRT_HALF);
        k_add_plus_sum2_scaled(d[1], s[S51_R], s[S51_C], s[S51_SR], LS_SQRT_HALF);
        break;
    case 6 * 8 + 4: /* 5.1 -> quad: L = L + sqrt(0.5) C, R = R + sqrt(0.5) C, SL, SR */
        k_add_plus_scaled(d[QUAD_L], s[S51_L], s[S51_C], LS_SQRT_HALF);
        k_add_plus_scaled(d[QUAD_R], s[S51_R], s[S51_C], LS_SQRT_HALF);
        k_add(d[QUAD_SL], s[S51_SL]);
        k_add(d[QUAD_SR], s[S51_SR]);
        break;
    default: /* unreachable: both counts are basic layouts and differ */
        add_channels(dst, src, in < out ? in : out);
        break;
    }
}

void ls__mix_sum(ls_bus *dst, const ls_bus *src, ls_channel_interpretation interp)
{
    if (src->silent)
        return;
    uint32_t in = src->channels, out = dst->channels;
    if (in > LS_MAX_CHANNELS)
        in = LS_MAX_CHANNELS;
    if (out > LS_MAX_CHANNELS)
        out = LS_MAX_CHANNELS;
    if (in == 0 || out == 0)
        return;

    if (in != out && interp == LS_CHANNEL_INTERPRETATION_SPEAKERS && is_basic_layout(in) &&
        is_basic_layout(out)) {
        mix_speakers(dst, src);
        return;
    }
    /* equal counts, or "discrete": channel i to channel i, the rest dropped
     * (down-mix) or left as they are (up-mix) */
    add_channels(dst, src, in < out ? in : out);
}

/* d = k * (a + b) */
static inline void k_set_sum2_scaled(float *restrict d, const float *restrict a,
                                     const float *restrict b, float k)
{
    for (int i = 0; i < LS_Q; i++)
        d[i] = k * (a[i] + b[i]);
}

void ls__mix_set(ls_bus *dst, const ls_bus *src, ls_channel_interpretation interp)
{
    if (!src->silent && src->channels == 2 && dst->channels == 1 &&
        interp == LS_CHANNEL_INTERPRETATION_SPEAKERS) {
        /* stereo -> mono written at once: M = 0.5 * (L + R), the value
         * 0 + 0.5 * (L + R) of zeroing and adding (up to the sign of zero) */
        k_set_sum2_scaled(dst->ch[0], src->ch[0], src->ch[1], 0.5f);
        dst->silent = 0;
        return;
    }
    ls__bus_zero(dst);
    ls__mix_sum(dst, src, interp);
}

uint32_t ls__mix_computed_channels(uint32_t max_connected, uint32_t channel_count,
                                   ls_channel_count_mode mode)
{
    uint32_t n;
    switch (mode) {
    case LS_CHANNEL_COUNT_MODE_EXPLICIT:
        n = channel_count;
        break;
    case LS_CHANNEL_COUNT_MODE_CLAMPED_MAX:
        n = max_connected < channel_count ? max_connected : channel_count;
        break;
    case LS_CHANNEL_COUNT_MODE_MAX:
    default:
        n = max_connected;
        break;
    }
    /* an input always has at least one channel (silence when unconnected) */
    if (n < 1)
        n = 1;
    if (n > LS_MAX_CHANNELS)
        n = LS_MAX_CHANNELS;
    return n;
}

/* Four blocks added to a running sum, in order: a = (((a + x0) + x1) + x2) + x3. */
static LS_VEC_FN void add4(float *restrict acc, const float *restrict x0, const float *restrict x1,
                           const float *restrict x2, const float *restrict x3, bool init)
{
    if (init)
        for (int i = 0; i < LS_Q; i++)
            acc[i] = ((x0[i] + x1[i]) + x2[i]) + x3[i];
    else
        for (int i = 0; i < LS_Q; i++)
            acc[i] = (((acc[i] + x0[i]) + x1[i]) + x2[i]) + x3[i];
}

static LS_VEC_FN void add1(float *restrict acc, const float *restrict x0, bool init)
{
    if (init)
        memcpy(acc, x0, sizeof(float) * LS_Q);
    else
        for (int i = 0; i < LS_Q; i++)
            acc[i] += x0[i];
}

void ls__mix_add_blocks(float *acc, const float *const *x, uint32_t n, bool init)
{
    uint32_t k = 0;
    for (; k + 4 <= n; k += 4, init = false)
        add4(acc, x[k], x[k + 1], x[k + 2], x[k + 3], init);
    for (; k < n; k++, init = false)
        add1(acc, x[k], init);
}
