/*
 * Delay line kernel (DelayNode): a ring of `len` frames per channel, written
 * one block at a time, read at a fractional delay with linear interpolation.
 * No graph knowledge, no allocation.
 *
 * Positions: a block of n frames written at ring position `pos` occupies
 * pos .. pos+n-1 (mod len). Reading output frame i of a block that starts at
 * `pos` with a delay of d frames reads the signal at position pos + i - d:
 * between frames k = floor(pos + i - d) and k + 1, weighted by the fraction.
 * The caller keeps d <= len - n - 1 so the frames read are never overwritten.
 */
#ifndef LS_DSP_DELAY_H
#define LS_DSP_DELAY_H

#include <stdint.h>

/* Copy n frames of x into the ring at pos (wrapping). */
void ls_delay_write(float *ring, uint32_t len, uint32_t pos, const float *x, uint32_t n);

/* Zero n frames of the ring at pos (wrapping). */
void ls_delay_write_zeros(float *ring, uint32_t len, uint32_t pos, uint32_t n);

/* Read n frames with one delay d (frames, 0 <= d <= len - n - 1). */
void ls_delay_read(const float *ring, uint32_t len, uint32_t pos, double d, float *y, uint32_t n);

/* Read n frames with a delay per frame d[i] (frames). */
void ls_delay_read_var(const float *ring, uint32_t len, uint32_t pos, const double *d, float *y,
                       uint32_t n);

#endif
