/* Dynamics compressor kernel; see compressor.h. */
#include "compressor.h"

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
    if (d > LS_COMPRESSOR_DELAY_RING - 1)
        d = LS_COMPRESSOR_DELAY_RING - 1;
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
    c->curve_valid = 1;
}

void ls_compressor_process(ls_compressor *c, const float *const *in, float *const *out,
                           uint32_t channels, uint32_t n, float threshold, float knee,
                           float ratio, float attack, float release)
{
    const float sr = (float)c->sample_rate;
    update_curve(c, threshold, knee, ratio);
    const float k = c->k;
    float makeup = powf(1.0f / saturate(c, 1.0f, k), 0.6f);
    float attack_frames = fmaxf(0.001f, attack) * sr;
    float release_frames = release * sr;
    const float inv_sat_release_frames = 1.0f / (0.0025f * sr);
    const float min_release_nats = 2.0f * 0.11512925464970229f;  /* 2 dB in nepers */
    /* adaptive release: a cubic through (0, y1) .. (3, y4), the release
     * time scaled by 0.09, 0.16, 0.42, 0.98 from deep to shallow compression */
    const float y1 = release_frames * 0.09f, y2 = release_frames * 0.16f;
    const float y3 = release_frames * 0.42f, y4 = release_frames * 0.98f;
    const uint32_t mask = LS_COMPRESSOR_DELAY_RING - 1;

    uint32_t frame = 0;
    for (uint32_t div = 0; div < n / LS_COMPRESSOR_DIVISION; div++) {
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
        float detector = c->detector_average, gain = c->compressor_gain;
        for (uint32_t i = 0; i < LS_COMPRESSOR_DIVISION; i++, frame++) {
            float peak = 0.0f;
            for (uint32_t ch = 0; ch < channels; ch++) {
                float s = in[ch] ? in[ch][frame] : 0.0f;
                c->delay[ch][c->write] = s;
                float a = fabsf(s);
                if (a > peak)
                    peak = a;
            }
            /* below the threshold the curve is the identity: no attenuation;
             * above the knee a power law: log2 a = log2 A + (slope - 1) log2 x */
            float attenuation = 1.0f, log2_att = 0.0f;
            if (peak > 0.0001f && peak >= c->linear_threshold) {
                if (peak >= c->knee_threshold) {
                    log2_att = c->log2_gain_above + (c->slope - 1.0f) * log2f(peak);
                    attenuation = exp2f(log2_att);
                } else {
                    attenuation = knee_curve(c, peak, k) / peak;
                    log2_att = log2f(attenuation);
                }
            }
            float rate = 1.0f;
            if (attenuation > detector) {
                /* 10^(max(2 dB, -20 log10 a) / 20 / frames) - 1 */
                float nats = fmaxf(min_release_nats, -0.6931471805599453f * log2_att);
                rate = expf(nats * inv_sat_release_frames) - 1.0f;
            }
            detector += (attenuation - detector) * rate;
            detector = fminf(1.0f, detector);
            if (!isfinite(detector))
                detector = 1.0f;
            if (envelope_rate < 1.0f) {
                gain += (scaled_desired - gain) * envelope_rate;
            } else {
                gain *= envelope_rate;
                gain = fminf(1.0f, gain);
            }
            float warped = sinf(half_pi_f * gain);
            float total = makeup * warped;
            float db_gain = 20.0f * log10f(warped);
            if (db_gain < c->metering_gain)
                c->metering_gain = db_gain;
            else
                c->metering_gain += (db_gain - c->metering_gain) * c->metering_release_k;
            for (uint32_t ch = 0; ch < channels; ch++)
                out[ch][frame] = c->delay[ch][c->read] * total;
            c->read = (c->read + 1) & mask;
            c->write = (c->write + 1) & mask;
        }
        c->detector_average = detector;
        c->compressor_gain = gain;
    }
}
