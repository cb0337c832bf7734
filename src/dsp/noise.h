/*
 * Noise generators (NoiseNode): white noise from a seeded xorshift64*
 * generator, pink noise through a cascade of first-order pole-zero sections
 * spaced two octaves apart (-3.01 dB/octave, within 0.05 dB from 30 Hz to
 * 2 kHz at 44.1 kHz), brown noise through a leaky integrator (-6.02
 * dB/octave above its 3 Hz pole). Pink and brown are scaled to an RMS of 0.2;
 * white is uniform in [-1, 1).
 *
 * Plain state, no allocation: usable on any thread, testable without a context.
 */
#ifndef LS_DSP_NOISE_H
#define LS_DSP_NOISE_H

#include <stddef.h>
#include <stdint.h>

#define LS_PINK_SECTIONS 8

typedef struct ls_noise_state {
    uint64_t rng;
    int type;                           /* ls_noise_type */
    /* pink: y_k = x_k - zero_k x_k[-1] + pole_k y_k[-1], cascaded */
    int sections;
    float zero[LS_PINK_SECTIONS], pole[LS_PINK_SECTIONS];
    float x1[LS_PINK_SECTIONS], y1[LS_PINK_SECTIONS];
    float pink_gain;
    /* brown: y = leak * y + x */
    float leak, brown, brown_gain;
} ls_noise_state;

/* A seed from splitmix64 so that nearby seeds give unrelated streams. */
uint64_t ls_noise_mix_seed(uint64_t seed);
/* Set up for a sample rate; the generator starts from `seed`. */
void ls_noise_init(ls_noise_state *s, double sample_rate, uint64_t seed, int type);
/* Write n samples. */
void ls_noise_render(ls_noise_state *s, float *out, size_t n);

#endif
