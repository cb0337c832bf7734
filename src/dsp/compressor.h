/*
 * Dynamics compressor kernel, the design Web Audio implementations share:
 * a 6 ms look-ahead (the signal is delayed, the gain is computed from the
 * undelayed input), a static curve that is linear below the threshold,
 * follows an exponential knee of width `knee` dB above it and a constant
 * ratio beyond, an asymmetric detector, an envelope updated every 32 frames
 * (attack from the largest compression asked for so far, adaptive release
 * that is faster the deeper the compression), a sine warp of the gain, and
 * make-up gain (1 / curve(1))^0.6.
 *
 * ls_compressor_process never allocates or locks: render thread.
 */
#ifndef LS_DSP_COMPRESSOR_H
#define LS_DSP_COMPRESSOR_H

#include <stdint.h>

#define LS_COMPRESSOR_MAX_CHANNELS 2
#define LS_COMPRESSOR_DELAY_RING 2048u
#define LS_COMPRESSOR_DIVISION 32u
#define LS_COMPRESSOR_BLOCK 128u      /* frames computed a pass at a time */

typedef struct ls_compressor {
    double sample_rate;
    /* static curve, recomputed when threshold, knee or ratio change */
    float db_threshold, db_knee, ratio;
    float linear_threshold, knee_threshold, knee_threshold_db, y_knee_threshold_db, slope, k;
    float log2_gain_above;         /* above the knee, attenuation = 2^(this + (slope - 1) log2 x) */
    float makeup;                  /* (1 / curve(1))^0.6 */
    int curve_valid;
    /* state */
    float detector_average, compressor_gain, max_attack_diff_db, metering_gain;
    float metering_release_k;
    float delay[LS_COMPRESSOR_MAX_CHANNELS][LS_COMPRESSOR_DELAY_RING];
    uint32_t read, write, delay_frames;
} ls_compressor;

void ls_compressor_init(ls_compressor *c, double sample_rate);

/* Compress n frames (a multiple of 32) of `channels` (1 or 2) channels;
 * in[c] == NULL reads silence. Parameters are the node's, per call. */
void ls_compressor_process(ls_compressor *c, const float *const *in, float *const *out,
                           uint32_t channels, uint32_t n, float threshold, float knee,
                           float ratio, float attack, float release);

/* The metering gain in dB (the node's `reduction`). */
static inline float ls_compressor_reduction(const ls_compressor *c)
{
    return c->metering_gain;
}

#endif
