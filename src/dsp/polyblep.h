/*
 * PolyBLEP oscillators (PolyBLEPNode, SupersawNode): each waveform is its
 * naive (trivially sampled) shape plus, around every jump of height h at
 * phase p, h/2 times the two-sample polynomial BLEP residual, and around every
 * change of slope by s (per cycle) at phase p, s/2 * dt times the integrated
 * (BLAMP) residual, dt being the phase step per frame. The shapes and their
 * jumps are listed in polyblep.c.
 *
 * Plain state: usable on any thread, testable without a context.
 */
#ifndef LS_DSP_POLYBLEP_H
#define LS_DSP_POLYBLEP_H

#include <stddef.h>

#define LS_POLYBLEP_TYPES 12

/* The band-limited value at phase t in [0, 1) with phase step dt (cycles per
 * frame, |dt| < 0.5) and pulse width pw. */
double ls_polyblep_value(int type, double t, double dt, double pw);
/* The naive value (no correction). */
double ls_polyblep_naive(int type, double t, double pw);

/* n frames: out[i] = amp[i] * value(type, phase, inc[i], pw[i]), then the
 * phase advances by inc[i]. A pointer with step 0 is one value for all frames. */
void ls_polyblep_render(int type, double *phase, float *out, size_t n, const float *inc,
                        size_t inc_step, const float *pw, size_t pw_step, const float *amp,
                        size_t amp_step);

/* out[i] += gain * sawtooth(phase) with a constant phase step (SupersawNode). */
void ls_polyblep_saw_add(double *phase, double inc, float gain, float *out, size_t n);

#endif
