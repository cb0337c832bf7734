/* Dynamics compressor kernel; see compressor.h. */
#include "compressor.h"
#include "vmath.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

static const float half_pi_f = 1.57079632679489661923f;

static inline float db_to_lin(float db)
{
    return powf(10.0f, 0.05f * db);
}

static inline float lin_to_db(float x)
{
    return 20.0f * log10f(x);
}

void ls_compressor_init(ls_compressor *c, double sample_rate)
{
    memset(c, 0, sizeof *c);
    c->sample_rate = sample_rate;
    c->detector_average = 0.0f;
    c->compressor_gain = 1.0f;
    c->metering_gain = 1.0f;
    c->max_attack_diff_db = -1.0f;
    c->metering_release_k = (float)(1.0 - exp(-1.0 / (sample_rate * 0.325)));
    uint32_t d = (uint32_t)(0.006 * sample_rate);
    /* a block is written before it is read: the ring holds both */
    if (d > LS_COMPRESSOR_DELAY_RING - LS_COMPRESSOR_BLOCK - 1)
        d = LS_COMPRESSOR_DELAY_RING - LS_COMPRESSOR_BLOCK - 1;
    c->delay_frames = d;
    c->read = 0;
    c->write = d;
}

/* Linear to the threshold, then an exponential knee that matches the
 * identity's slope there and tends to threshold + 1/k. */
static float knee_curve(const ls_compressor *c, float x, float k)
{
    if (x < c->linear_threshold)
        return x;
    return c->linear_threshold + (1.0f - expf(-k * (x - c->linear_threshold))) / k;
}

static float saturate(const ls_compressor *c, float x, float k)
{
    if (x < c->knee_threshold)
        return knee_curve(c, x, k);
    float x_db = lin_to_db(x);
    return db_to_lin(c->y_knee_threshold_db + c->slope * (x_db - c->knee_threshold_db));
}

/* Slope of the knee curve in dB/dB at x. */
static float slope_at(const ls_compressor *c, float x, float k)
{
    if (x < c->linear_threshold)
        return 1.0f;
    float x2 = x * 1.001f;
    float xd = lin_to_db(x), x2d = lin_to_db(x2);
    float yd = lin_to_db(knee_curve(c, x, k)), y2d = lin_to_db(knee_curve(c, x2, k));
    return (y2d - yd) / (x2d - xd);
}

/* The knee's k whose slope at the end of the knee is 1 / ratio (bisection
 * on a geometric scale). */
static float k_at_slope(const ls_compressor *c, float desired)
{
    float x = db_to_lin(c->db_threshold + c->db_knee);
    float lo = 0.1f, hi = 10000.0f, k = 5.0f;
    for (int i = 0; i < 15; i++) {
        if (slope_at(c, x, k) < desired)
            hi = k;
        else
            lo = k;
        k = sqrtf(lo * hi);
    }
    return k;
}

static void update_curve(ls_compressor *c, float threshold, float knee, float ratio)
{
    if (c->curve_valid && threshold == c->db_threshold && knee == c->db_knee && ratio == c->ratio)
        return;
    c->db_threshold = threshold;
    c->linear_threshold = db_to_lin(threshold);
    c->db_knee = knee;
    c->ratio = ratio;
    c->slope = 1.0f / ratio;
    c->k = k_at_slope(c, 1.0f / ratio);
    c->knee_threshold_db = threshold + knee;
    c->knee_threshold = db_to_lin(c->knee_threshold_db);
    c->y_knee_threshold_db = lin_to_db(knee_curve(c, c->knee_threshold, c->k));
    /* above the knee y = 10^((yk + slope (20 log10 x - kdb)) / 20) = A x^slope
     * with log2 A = (yk - slope kdb) / 20 log2(10) */
    c->log2_gain_above = (float)(((double)c->y_knee_threshold_db -
                                  (double)c->slope * (double)c->knee_threshold_db) /
                                 20.0 * 3.321928094887362);
    c->makeup = powf(1.0f / saturate(c, 1.0f, c->k), 0.6f);
    c->curve_valid = 1;
}

static inline bool any8(v8i m)
{
    int32_t a[8];
    memcpy(a, &m, sizeof a);
    return (a[0] | a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7]) != 0;
}

/* Per frame, from the undelayed input alone: the curve's attenuation and
 * the detector's release rate should it release (10^(max(2 dB, -20 log10 a)
 * / 20 / frames) - 1). Eight frames at a time; n is a multiple of 8. The
 * knee's and the upper segment's formulas are only evaluated for a group of
 * eight frames where one of them lies there (the same values as evaluating
 * both and selecting). */
static LS_VEC_FN void attenuations(const ls_compressor *c, const float *restrict peak,
                                   float *restrict att, float *restrict rel, float k,
                                   float inv_sat_release_frames, uint32_t n)
{
    const float lt = c->linear_threshold, kt = c->knee_threshold;
    const float above = c->log2_gain_above, s1 = c->slope - 1.0f;
    const v8f min_release_log2 = ls_vm_splat(2.0f / 20.0f * 3.3219280948873623f); /* 2 dB */
    const float k_log2 = k * 1.4426950408889634f, inv_k = 1.0f / k;
    const v8f zero = ls_vm_splat(0.0f), one = ls_vm_splat(1.0f);
    for (uint32_t i = 0; i < n; i += 8) {
        v8f x = load8(peak + i);
        x = ls_vm_select(x > 1e-30f, x, ls_vm_splat(1e-30f));
        /* the identity below the threshold (and for near silence) */
        const v8i ident = (x <= 0.0001f) | (x < lt);
        const v8i upper = (x >= kt) & ~ident;
        const v8i knee = ~upper & ~ident;
        v8f l = zero, a = one;
        if (any8(knee)) {
            /* the knee: y = lt + (1 - e^(-k (x - lt))) / k; the attenuation
             * y / x (at most 1) and its log2 */
            const v8f y_knee = lt + (1.0f - ls_vm_exp2(-k_log2 * (x - lt))) * inv_k;
            v8f ak = y_knee / x;
            ak = ls_vm_select(ak < one, ak, one);
            l = ls_vm_select(knee, ls_vm_log2(ak), l);
            a = ls_vm_select(knee, ak, a);
        }
        if (any8(upper)) {
            /* beyond it y = A x^slope: the attenuation A x^(slope - 1) */
            const v8f l_above = above + s1 * ls_vm_log2(x);
            l = ls_vm_select(upper, l_above, l);
            a = ls_vm_select(upper, ls_vm_exp2(l_above), a);
        }
        store8(att + i, a);
        /* rel = 2^z - 1, z = max(-l, 2 dB in log2 units) / frames (a series
         * for e^y - 1 at small z was tried: it moved the render further from
         * Chromium's, which computes 2^z - 1 in float as here) */
        const v8f down = ls_vm_select(-l > min_release_log2, -l, min_release_log2);
        const v8f z = down * inv_sat_release_frames;
        store8(rel + i, ls_vm_exp2(z) - 1.0f);
    }
}

/* The warped gain sin(pi/2 g) and its level in dB (for the meter). */
static LS_VEC_FN void warp(float *restrict gain, float *restrict db, uint32_t n)
{
    for (uint32_t i = 0; i < n; i += 8) {
        const v8f w = ls_vm_sin_quarter(1.57079632679489661923f * load8(gain + i));
        const v8f floor_ = ls_vm_splat(1e-30f);
        store8(db + i, 6.0205999132796239f * ls_vm_log2(ls_vm_select(w > floor_, w, floor_)));
        store8(gain + i, w);
    }
}

/*
 * The two first-order recurrences of a block, lane-parallel.
 *
 * Each step of the detector and of the meter maps the previous value v to
 * min(c, p v + b) with p > 0, and such maps compose into one of the same
 * form: min(c2, p2 min(c1, p1 v + b1) + b2) = min(min(c2, p2 c1 + b2),
 * p2 p1 v + p2 b1 + b2). So eight lanes each compose the steps of sixteen
 * consecutive frames (independent chains, one vector op each), and the
 * eight composed maps are then applied in order: the values at frames 16,
 * 32, ..., 128. The sums associate differently from one step at a time, a
 * few units in the last place; the block's frames are 128 (LS_COMPRESSOR_BLOCK).
 */
#define LANE_FRAMES (LS_COMPRESSOR_BLOCK / 8)
#define BIG 3.0e38f   /* min(BIG, ...) is the identity; BIG * p stays finite */

/* detector: step i is min(min(1, a_i), (1 - r_i) v + r_i a_i); out[j] is the
 * value after frame 16 (j + 1) - 1, from v0 before frame 0 */
static LS_VEC_FN void detector_lanes(const float *restrict att, const float *restrict rel,
                                     float v0, float out[8])
{
    float ta[LANE_FRAMES][8], tr[LANE_FRAMES][8];
    for (uint32_t l = 0; l < 8; l++)
        for (uint32_t j = 0; j < LANE_FRAMES; j++) {
            ta[j][l] = att[l * LANE_FRAMES + j];
            tr[j][l] = rel[l * LANE_FRAMES + j];
        }
    v8f cc = ls_vm_splat(BIG), pp = ls_vm_splat(1.0f), bb = ls_vm_splat(0.0f);
    const v8f one = ls_vm_splat(1.0f);
    for (uint32_t j = 0; j < LANE_FRAMES; j++) {
        const v8f a = load8(ta[j]), r = load8(tr[j]), q = one - r, ra = r * a;
        const v8f ci = ls_vm_select(a < one, a, one);
        const v8f c2 = q * cc + ra;
        cc = ls_vm_select(ci < c2, ci, c2);
        pp = q * pp;
        bb = q * bb + ra;
    }
    float c8[8], p8[8], b8[8];
    store8(c8, cc);
    store8(p8, pp);
    store8(b8, bb);
    float v = v0;
    for (uint32_t l = 0; l < 8; l++) {
        const float t = p8[l] * v + b8[l];
        v = c8[l] < t ? c8[l] : t;
        out[l] = v;
    }
}

/* meter: step i is min(db_i, (1 - k) v + k db_i); returns the value after
 * the block's last frame */
static LS_VEC_FN float meter_lanes(const float *restrict db, float k, float v0)
{
    float td[LANE_FRAMES][8];
    for (uint32_t l = 0; l < 8; l++)
        for (uint32_t j = 0; j < LANE_FRAMES; j++)
            td[j][l] = db[l * LANE_FRAMES + j];
    v8f cc = ls_vm_splat(BIG), bb = ls_vm_splat(0.0f);
    const v8f kk = ls_vm_splat(k), q = ls_vm_splat(1.0f - k);
    for (uint32_t j = 0; j < LANE_FRAMES; j++) {
        const v8f d = load8(td[j]), kd = kk * d;
        const v8f c2 = q * cc + kd;
        cc = ls_vm_select(d < c2, d, c2);
        bb = q * bb + kd;
    }
    float c8[8], b8[8];
    store8(c8, cc);
    store8(b8, bb);
    float p = 1.0f;                  /* (1 - k)^16, the same for every lane */
    for (uint32_t j = 0; j < LANE_FRAMES; j++)
        p *= 1.0f - k;
    float v = v0;
    for (uint32_t l = 0; l < 8; l++) {
        const float t = p * v + b8[l];
        v = c8[l] < t ? c8[l] : t;
    }
    return v;
}

/* One division's gains without the recurrence: gain += (target - gain) r
 * (r < 1) is target + (g0 - target) (1 - r)^(i + 1) after frame i; gain *= r,
 * capped at 1 (r >= 1, g0 <= 1), is min(1, g0 r^(i + 1)). The powers come by
 * doubling, eight at a time. */
static LS_VEC_FN void division_gains(float *restrict out, float g0, float target, float r)
{
    const bool towards = r < 1.0f;
    const float q = towards ? 1.0f - r : r;
    float pw[LS_COMPRESSOR_DIVISION];
    const float q2 = q * q, q4 = q2 * q2;
    const float first[8] = {q, q2, q2 * q, q4, q4 * q, q4 * q2, q4 * q2 * q, q4 * q4};
    memcpy(pw, first, sizeof first);
    for (uint32_t base = 8; base < LS_COMPRESSOR_DIVISION; base *= 2) {
        const float step = pw[base - 1];
        for (uint32_t i = 0; i < base; i++)
            pw[base + i] = pw[i] * step;
    }
    if (towards) {
        const float d = g0 - target;
        for (uint32_t i = 0; i < LS_COMPRESSOR_DIVISION; i++)
            out[i] = target + d * pw[i];
    } else {
        for (uint32_t i = 0; i < LS_COMPRESSOR_DIVISION; i++) {
            const float g = g0 * pw[i];
            out[i] = g < 1.0f ? g : 1.0f;
        }
    }
}

void ls_compressor_process(ls_compressor *c, const float *const *in, float *const *out,
                           uint32_t channels, uint32_t n, float threshold, float knee,
                           float ratio, float attack, float release)
{
    const float sr = (float)c->sample_rate;
    update_curve(c, threshold, knee, ratio);
    const float k = c->k;
    const float makeup = c->makeup;
    float attack_frames = fmaxf(0.001f, attack) * sr;
    float release_frames = release * sr;
    const float inv_sat_release_frames = 1.0f / (0.0025f * sr);
    /* adaptive release: a cubic through (0, y1) .. (3, y4), the release
     * time scaled by 0.09, 0.16, 0.42, 0.98 from deep to shallow compression */
    const float y1 = release_frames * 0.09f, y2 = release_frames * 0.16f;
    const float y3 = release_frames * 0.42f, y4 = release_frames * 0.98f;
    const uint32_t mask = LS_COMPRESSOR_DELAY_RING - 1;

    /* the block in three passes: what depends on the input alone (the
     * attenuation asked for), the envelope's recurrence, then the gain */
    float peak[LS_COMPRESSOR_BLOCK], att[LS_COMPRESSOR_BLOCK], rel[LS_COMPRESSOR_BLOCK];
    float gains[LS_COMPRESSOR_BLOCK], db[LS_COMPRESSOR_BLOCK];
    for (uint32_t done = 0; done < n; done += LS_COMPRESSOR_BLOCK) {
        const uint32_t m = n - done < LS_COMPRESSOR_BLOCK ? n - done : LS_COMPRESSOR_BLOCK;
        for (uint32_t i = 0; i < m; i++)
            peak[i] = 0.0f;
        /* the ring takes the block in at most two runs (it wraps once) */
        const uint32_t w_first = LS_COMPRESSOR_DELAY_RING - c->write < m
                                     ? LS_COMPRESSOR_DELAY_RING - c->write : m;
        for (uint32_t ch = 0; ch < channels; ch++) {
            const float *x = in[ch] ? in[ch] + done : NULL;
            float *ring = c->delay[ch];
            if (!x) {
                memset(ring + c->write, 0, sizeof(float) * w_first);
                memset(ring, 0, sizeof(float) * (m - w_first));
                continue;
            }
            memcpy(ring + c->write, x, sizeof(float) * w_first);
            memcpy(ring, x + w_first, sizeof(float) * (m - w_first));
            for (uint32_t i = 0; i < m; i++) {
                const float a = fabsf(x[i]);
                peak[i] = a > peak[i] ? a : peak[i];
            }
        }
        attenuations(c, peak, att, rel, k, inv_sat_release_frames, m);
        /* a whole block: the detector at each division's end, lane-parallel */
        const bool whole = m == LS_COMPRESSOR_BLOCK;
        float dets[8];
        if (whole) {
            if (!isfinite(c->detector_average))
                c->detector_average = 1.0f;
            detector_lanes(att, rel, c->detector_average, dets);
        }

        for (uint32_t d0 = 0; d0 < m; d0 += LS_COMPRESSOR_DIVISION) {
            if (!isfinite(c->detector_average))
                c->detector_average = 1.0f;
            float desired = c->detector_average;
            float scaled_desired = asinf(desired) / half_pi_f;
            float envelope_rate;
            bool releasing = scaled_desired > c->compressor_gain;
            float diff_db = lin_to_db(c->compressor_gain / scaled_desired);
            if (releasing) {
                c->max_attack_diff_db = -1.0f;
                if (!isfinite(diff_db))
                    diff_db = -1.0f;
                float x = fminf(fmaxf(diff_db, -12.0f), 0.0f);
                x = 0.25f * (x + 12.0f);
                /* Lagrange form of the cubic through the four points */
                float l1 = -(x - 1.0f) * (x - 2.0f) * (x - 3.0f) / 6.0f;
                float l2 = x * (x - 2.0f) * (x - 3.0f) / 2.0f;
                float l3 = -x * (x - 1.0f) * (x - 3.0f) / 2.0f;
                float l4 = x * (x - 1.0f) * (x - 2.0f) / 6.0f;
                float frames = y1 * l1 + y2 * l2 + y3 * l3 + y4 * l4;
                envelope_rate = db_to_lin(5.0f / frames);
            } else {
                if (!isfinite(diff_db))
                    diff_db = 1.0f;
                if (c->max_attack_diff_db == -1.0f || c->max_attack_diff_db < diff_db)
                    c->max_attack_diff_db = diff_db;
                float eff = fmaxf(0.5f, c->max_attack_diff_db);
                envelope_rate = 1.0f - powf(0.25f / eff, 1.0f / attack_frames);
            }
            if (whole) {
                division_gains(gains + d0, c->compressor_gain, scaled_desired, envelope_rate);
                c->compressor_gain = gains[d0 + LS_COMPRESSOR_DIVISION - 1];
                c->detector_average = dets[(d0 + LS_COMPRESSOR_DIVISION) / LANE_FRAMES - 1];
                continue;
            }
            float detector = c->detector_average, gain = c->compressor_gain;
            const uint32_t d1 = d0 + LS_COMPRESSOR_DIVISION;
            for (uint32_t i = d0; i < d1; i++) {
                const float a = att[i];
                /* detector += (a - detector) * (a > detector ? rel : 1),
                 * without a branch: with 0 < rel < 1 the step towards a
                 * stays below a when a > detector and is a itself otherwise,
                 * so it is the smaller of a and the released step */
                const float step = detector + (a - detector) * rel[i];
                detector = a < step ? a : step;
                /* a and rel are finite (the curve's polynomials make them
                 * so, NaN input reads as silence), so detector stays finite */
                detector = detector < 1.0f ? detector : 1.0f;
                if (envelope_rate < 1.0f) {
                    gain += (scaled_desired - gain) * envelope_rate;
                } else {
                    gain *= envelope_rate;
                    gain = gain < 1.0f ? gain : 1.0f;
                }
                gains[i] = gain;
            }
            c->detector_average = detector;
            c->compressor_gain = gain;
        }

        warp(gains, db, m);
        for (uint32_t i = 0; i < m; i++)
            gains[i] *= makeup;
        const float *restrict w = gains;
        const uint32_t r_first = LS_COMPRESSOR_DELAY_RING - c->read < m
                                     ? LS_COMPRESSOR_DELAY_RING - c->read : m;
        for (uint32_t ch = 0; ch < channels; ch++) {
            const float *restrict ra = c->delay[ch] + c->read, *restrict rb = c->delay[ch];
            float *restrict y = out[ch] + done;
            for (uint32_t i = 0; i < r_first; i++)
                y[i] = ra[i] * w[i];
            for (uint32_t i = r_first; i < m; i++)
                y[i] = rb[i - r_first] * w[i];
        }
        /* the meter follows the gain down at once and back up slowly:
         * meter = db < meter ? db : meter + (db - meter) k, which (0 < k < 1)
         * is the smaller of db and the step; no branch */
        float meter = c->metering_gain;
        const float mk = c->metering_release_k;
        if (whole) {
            meter = meter_lanes(db, mk, meter);
        } else {
            for (uint32_t i = 0; i < m; i++) {
                const float step = meter + (db[i] - meter) * mk;
                meter = db[i] < step ? db[i] : step;
            }
        }
        c->metering_gain = meter;
        c->read = (c->read + m) & mask;
        c->write = (c->write + m) & mask;
    }
}
