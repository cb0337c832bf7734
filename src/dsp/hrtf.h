/*
 * HRTF panning from a spherical-head model (the project's own data, made
 * from formulas: nothing is measured or downloaded).
 *
 * For a source at (azimuth, elevation), each ear sees it at an angle beta
 * from the ear's axis (cos beta = +-sin(azimuth) cos(elevation)). Each ear
 * gets
 *   - a delay (Brown & Duda 1998, after Woodworth): (a/c)(1 - cos beta) for
 *     beta < 90 degrees, (a/c)(1 + beta - pi/2) beyond, so the interaural
 *     time difference is Woodworth's (a/c)(theta + sin theta) for a lateral
 *     angle theta;
 *   - a head-shadow filter H(s) = (1 + alpha s / (2 w0)) / (1 + s / (2 w0)),
 *     w0 = c / a, alpha(beta) = 1.05 + 0.95 cos(1.2 beta): +6 dB at high
 *     frequencies facing the ear, -20 dB at 150 degrees; made digital by
 *     the bilinear transform.
 * a = 0.0875 m, c = 343 m/s. Direction changes are interpolated sample by
 * sample, so moving sources do not click.
 *
 * ls_hrtf_process never allocates and calls no libm function: render thread.
 * ls_hrtf_model uses libm and is cheap: call it per quantum, or per frame for
 * automated positions.
 */
#ifndef LS_DSP_HRTF_H
#define LS_DSP_HRTF_H

#include <stdint.h>

#define LS_HRTF_HEAD_RADIUS 0.0875
#define LS_HRTF_SPEED_OF_SOUND 343.0
#define LS_HRTF_RING 1024u

typedef struct ls_hrtf {
    double tau_k;                 /* set once: K / (2 w0), K = 2 fs */
    double sample_rate;
    float ring[2][LS_HRTF_RING];  /* per-ear delay lines */
    uint32_t w;                   /* write position */
    float x1[2], y1[2];           /* filter state */
    float delay[2], alpha[2];     /* the values reached at the end of the last call */
    int primed;                   /* delay / alpha hold real values */
} ls_hrtf;

/* The model's per-ear delay (in frames at sample_rate) and alpha for a
 * direction (degrees). Index 0 is the left ear, 1 the right. */
void ls_hrtf_model(double azimuth, double elevation, double sample_rate, float delay[2],
                   float alpha[2]);

/* Initialize for a sample rate (any thread). */
void ls_hrtf_init(ls_hrtf *h, double sample_rate);
/* Forget past input. */
void ls_hrtf_reset(ls_hrtf *h);
/* Frames of output after the last non-zero input that may be non-zero. */
uint32_t ls_hrtf_tail_frames(const ls_hrtf *h);

/*
 * Render n frames: left ear from in_l, right ear from in_r (the same array
 * for a mono source; NULL for silence). delay[e] / alpha[e] hold n values
 * each per ear, or, when `ramp` is set, the target values only: the model
 * then moves linearly from the previous call's values to them across the n
 * frames.
 */
void ls_hrtf_process(ls_hrtf *h, const float *in_l, const float *in_r, float *out_l,
                     float *out_r, uint32_t n, const float *const delay[2],
                     const float *const alpha[2], int ramp);

#endif
