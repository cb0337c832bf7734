/*
 * Band-limited sample-rate conversion of whole signals: a windowed-sinc
 * (Kaiser) polyphase filter.
 *
 * Design: cutoff at 0.95 of the lower of the two Nyquist frequencies, a
 * transition band 0.1 of it wide (so the passband is flat to 0.9 and the
 * stopband starts at the lower Nyquist frequency), a Kaiser window with
 * beta = 0.1102 (A - 8.7) for A = 125 dB and the length Kaiser's formula
 * gives for that attenuation and transition. Each phase's taps are scaled to
 * sum to 1, so DC passes exactly.
 *
 * Phases: when both rates are integers and out / gcd(in, out) <= 4096, the
 * output positions fall on exactly that many phases and the table holds
 * them all (44.1 kHz <-> 48 kHz: 160 or 147). Otherwise the table holds
 * 1024 phases and a position between two of them interpolates linearly
 * between the two filters' outputs. The table is kept under 64 MiB: for
 * extreme down-sampling ratios (long filters) it holds fewer phases.
 *
 * Output sample j sits at input position j * in_rate / out_rate; the input
 * is taken as zero outside [0, n_in).
 *
 * Nothing here allocates except ls_resampler_create; processing may run on
 * any thread that owns the plan (it is read-only, so several may share it).
 */
#ifndef LS_DSP_RESAMPLE_H
#define LS_DSP_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct ls_resampler ls_resampler;

/* A plan for in_rate -> out_rate (both positive and finite). NULL when out
 * of memory or a rate is invalid. Control thread (allocates). */
ls_resampler *ls_resampler_create(double in_rate, double out_rate);
void ls_resampler_destroy(ls_resampler *rs);

/* ceil(n_in * out_rate / in_rate). */
uint64_t ls_resampler_output_length(const ls_resampler *rs, uint64_t n_in);

/* Half the filter's length, in input samples: how many zeros process()
 * expects on each side of the input. */
uint32_t ls_resampler_padding(const ls_resampler *rs);

/* Resample one channel. `padded` points at the first real input sample of an
 * array that has ls_resampler_padding() zeros (or real context) before it and
 * after its n_in samples. Writes n_out samples. */
void ls_resampler_process(const ls_resampler *rs, const float *padded, uint64_t n_in,
                          float *out, uint64_t n_out);

#endif
