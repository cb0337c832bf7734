/*
 * General IIR filter kernel (IIRFilterNode): up to 20 feedforward and 20
 * feedback coefficients, normalized so that a[0] = 1, computed in double
 * precision: up to 3 coefficients a side with the biquad's kernel (two
 * frames per step: src/dsp/biquad.c), up to 5 in direct form I with the
 * history in registers (the newest output's term added last, so the serial
 * dependency between samples is one multiply and one subtract), longer
 * filters in transposed direct form II. No graph knowledge, no allocation.
 *
 *   y[n] = sum_{k=0}^{M-1} b[k] x[n-k] - sum_{k=1}^{N-1} a[k] y[n-k]
 */
#ifndef LS_DSP_IIR_H
#define LS_DSP_IIR_H

#include <stddef.h>
#include <stdint.h>

#define LS_IIR_MAX_ORDER 20

typedef struct ls_iir_coefs {
    double b[LS_IIR_MAX_ORDER], a[LS_IIR_MAX_ORDER];   /* a[0] == 1; both zero-padded */
    uint32_t nb, na;
    uint32_t order;                                     /* max(nb, na) */
} ls_iir_coefs;

typedef struct ls_iir_state {
    double s[LS_IIR_MAX_ORDER];   /* orders above 5: transposed direct form II state */
    double x[4], y[4];            /* up to 5 coefficients: the last inputs and outputs */
} ls_iir_state;

/* Normalize b (nb values) and a (na values) by a[0] into c. Returns 0, or -1
 * when a count is out of 1..20 or a[0] is 0. */
int ls_iir_coefs_set(ls_iir_coefs *c, const double *b, size_t nb, const double *a, size_t na);

void ls_iir_reset(ls_iir_state *s);

/* Filter n samples; x and y may be the same array. */
void ls_iir_run(const ls_iir_coefs *c, ls_iir_state *s, const float *x, float *y, size_t n);

/* Two channels with one filter: ls_iir_run on each, the same samples, the
 * two interleaved (faster: their serial dependencies overlap). The four
 * arrays are distinct, or xa == ya and xb == yb. */
void ls_iir_run2(const ls_iir_coefs *c, ls_iir_state *sa, ls_iir_state *sb, const float *xa,
                 const float *xb, float *ya, float *yb, size_t n);

/* Magnitude and phase of H at z = e^{i pi w}, w = f / nyquist. */
void ls_iir_response(const ls_iir_coefs *c, double w, double *mag, double *phase);

/* Flush tiny history values; true when the history is entirely zero. */
int ls_iir_state_settle(ls_iir_state *s);

#endif
