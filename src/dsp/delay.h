/*
 * Delay line kernel (DelayNode): a ring of `len` frames per channel, written
 * one block at a time, read at a fractional delay with linear interpolation.
 * No graph knowledge, no allocation.
 *
 * Positions: a block of n frames written at ring position `pos` occupies
 * pos .. pos+n-1 (mod len). Reading output frame i of a block that starts at
 * `pos` with a delay of d frames reads the signal at position pos + i - d:
 * between frames k = floor(pos + i - d) and k + 1, weighted by the fraction.
 * The caller keeps d <= len - n so the frames read are never overwritten
 * (a ring of n + max_delay frames is enough).
 *
 * Precision: the read position (pos + i) + (len - d) is computed in single
 * precision, as Chromium does, so renders match it to rounding. Its
 * resolution is the float spacing at len: 2^-9 frame for a 1 s line at
 * 32 kHz, 2^-6 for 60 s at 48 kHz. Whole-frame delays are exact while
 * len < 2^24.
 */
#ifndef LS_DSP_DELAY_H
#define LS_DSP_DELAY_H

#include <stdint.h>

/* Copy n frames of x into the ring at pos (wrapping). */
void ls_delay_write(float *ring, uint32_t len, uint32_t pos, const float *x, uint32_t n);

/* Zero n frames of the ring at pos (wrapping). */
void ls_delay_write_zeros(float *ring, uint32_t len, uint32_t pos, uint32_t n);

/* Read n frames with one delay d (frames, 0 <= d <= len - n). */
void ls_delay_read(const float *ring, uint32_t len, uint32_t pos, float d, float *y, uint32_t n);

/* Read n frames with a delay per frame d[i] (frames). */
void ls_delay_read_var(const float *ring, uint32_t len, uint32_t pos, const float *d, float *y,
                       uint32_t n);

#endif
