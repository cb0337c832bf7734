/*
 * Band-limited wavetables for a periodic waveform given by its Fourier
 * coefficients (PeriodicWave, and the oscillator's built-in shapes).
 *
 * A wavetable set holds one table per band, three bands per octave. Band j
 * keeps partials 1 .. P_j with P_j = floor(P_max * 2^(-j/3)) (P_max = half
 * the base table size), so it is free of aliasing for every fundamental up
 * to nyquist / P_j. A lookup blends two neighbouring bands with a weight that
 * is a continuous function of the fundamental frequency and reaches a band
 * only where all of its partials stay below the Nyquist frequency: sweeping
 * the frequency neither clicks nor aliases. Fundamentals at or beyond the
 * Nyquist frequency (in absolute value) give silence: no partial fits.
 *
 * Tables are read with linear interpolation, whose images fall with the
 * square of the table's oversampling. Each table is therefore at least the
 * base size (4096 for sample rates up to 96 kHz, doubling per octave of
 * sample rate above), at least 8 samples per cycle of its highest partial
 * P, and at least sqrt(2e5 P) samples: for spectra falling as 1/k
 * (sawtooth, square) every image stays about 105 dB below the fundamental
 * (up to 32768 samples per table, 1.1 MB per wave at 48 kHz).
 *
 * Normalization follows the Web Audio spec's PeriodicWave: the waveform of
 * all the coefficients, sampled on band 0's table (a power of two of at
 * least the base size), is scaled so its largest absolute sample is 1, and
 * that one factor is applied to every band.
 *
 * Creating and destroying allocate (control thread); every lookup and render
 * function is allocation- and lock-free and may run on the render thread.
 * A set is immutable once created, so any number of threads may read it.
 */
#ifndef LS_DSP_WAVETABLE_H
#define LS_DSP_WAVETABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LS_WAVETABLE_BANDS_PER_OCTAVE 3
#define LS_WAVETABLE_MAX_BANDS 48

typedef struct ls_wavetable_band {
    const float *data;   /* size + 1 samples: one period plus a copy of data[0] */
    uint32_t size;       /* power of two */
    uint32_t mask;       /* size - 1 */
    uint32_t shift;      /* 64 - log2(size): a 64-bit fixed-point phase >> shift is the index */
    uint32_t partials;   /* highest partial the table holds */
    double max_frequency;/* highest fundamental (Hz) the band is ever used for */
} ls_wavetable_band;

typedef struct ls_wavetable {
    double sample_rate;
    double nyquist;
    double inv_sample_rate;
    double band_base;    /* fundamental (Hz) at which band 0 starts to fade */
    double inv_f0;       /* 1 / (nyquist / P_max) */
    float scale;         /* coefficients to table values: 1 / peak, or 1 when disabled */
    uint32_t max_partials;
    uint32_t count;      /* bands */
    ls_wavetable_band band[LS_WAVETABLE_MAX_BANDS];
    float *memory;
} ls_wavetable;

/* Base table size for a sample rate (4096 up to 96 kHz, then doubling). */
uint32_t ls_wavetable_base_size(double sample_rate);

/*
 * Build the set for coefficients real[k] (cosine) and imag[k] (sine),
 * k = 0 .. n-1; index 0 is ignored, as are partials beyond P_max. Either
 * array may be NULL (all zeros). The waveform is
 *   x(t) = sum_k real[k] cos(2 pi k t) + imag[k] sin(2 pi k t),
 * divided by its peak unless `normalize` is false. Returns NULL when memory
 * runs out. Control thread. Coefficients must be finite (the caller checks).
 */
ls_wavetable *ls_wavetable_create(const float *real, const float *imag, size_t n,
                                  double sample_rate, bool normalize);
void ls_wavetable_destroy(ls_wavetable *wt);

/* The bands a fundamental `freq` (Hz, any sign) reads: band *lo with weight
 * 1 - *mix and band *lo + 1 with weight *mix (*mix is 0 when only one band
 * is read). Returns false, reading nothing, at or beyond the Nyquist
 * frequency. */
bool ls_wavetable_bands_for(const ls_wavetable *wt, double freq, uint32_t *lo, float *mix);

/* One sample of the wave for fundamental `freq` (Hz, any sign) at `phase`
 * (cycles; any value, only its fractional part matters). */
float ls_wavetable_lookup(const ls_wavetable *wt, double freq, double phase);

/* Render n samples at a constant fundamental `freq` (Hz; negative plays the
 * wave backwards), starting at *phase (cycles, in [0, 1)); *phase is left at
 * the phase of the sample after the last one rendered, in [0, 1). */
void ls_wavetable_render_constant(const ls_wavetable *wt, float *out, uint32_t n, double freq,
                                  double *phase);

/* Same, with a fundamental per sample. */
void ls_wavetable_render(const ls_wavetable *wt, float *out, uint32_t n, const float *freq,
                         double *phase);

#endif
