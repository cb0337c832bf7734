/*
 * Peak compressor (PeakCompNode): a feed-forward compressor driven by the
 * peak of its input.
 *
 * Per frame: p = max over channels |x| (the channels are linked; a
 * non-finite sample counts as 0); a branching one-pole envelope
 * e += (1 - a)(p - e), a = exp(-1 / (t fs)), t the attack time while p > e
 * and the release time otherwise (t = 0: a = 0, e = p); the level
 * L = 20 log10 e goes through the static curve with a soft knee of full
 * width W dB around the threshold T (ls_peak_comp_curve_db); every channel
 * is multiplied by 10^((G(L) - L + makeup) / 20).
 *
 * Plain state, no allocation: usable on any thread, testable without a context.
 */
#ifndef LS_DSP_PEAKCOMP_H
#define LS_DSP_PEAKCOMP_H

#include <stddef.h>
#include <stdint.h>

typedef struct ls_peak_comp {
    double env;
} ls_peak_comp;

/* The parameter arrays, each with a stride (0: one value for the block). */
typedef struct ls_peak_comp_params {
    const float *threshold, *ratio, *attack, *release, *makeup, *knee;
    uint32_t s_threshold, s_ratio, s_attack, s_release, s_makeup, s_knee;
} ls_peak_comp_params;

/* G(L): L below T - W/2; T + (L - T)/R above T + W/2; in between
 * L + (1/R - 1)(L - T + W/2)^2 / (2 W). R < 1 counts as 1, W < 0 as 0. */
double ls_peak_comp_curve_db(double level_db, double threshold_db, double ratio, double knee_db);
/* The one-pole coefficient for a time constant of t seconds. */
double ls_peak_comp_coeff(double t, double sample_rate);

void ls_peak_comp_reset(ls_peak_comp *s);
/* in[c] and out[c] for c < channels (out may alias in); n frames. */
void ls_peak_comp_process(ls_peak_comp *s, const float *const *in, float *const *out,
                          uint32_t channels, uint32_t n, double sample_rate,
                          const ls_peak_comp_params *p);

/* PWM: out[i] = carrier[i] > mod[i] ? 1 : -1 (mod_stride 0: one value). */
void ls_pwm(const float *carrier, const float *mod, uint32_t mod_stride, float *out, uint32_t n);

#endif
