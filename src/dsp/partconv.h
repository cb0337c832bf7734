/*
 * Zero-latency partitioned FFT convolution of one channel, for impulse
 * responses of any length, in render-quantum (128-frame) blocks.
 *
 * The impulse response is split into stages of growing partition size
 * (128, 1024, 8192 frames; non-uniform partitioning): stage k convolves the
 * part of the response that starts at its own partition size with a
 * uniformly partitioned overlap-save convolver (a frequency-domain delay
 * line), so its result for a block is only needed once the block is
 * complete, and long responses cost a few multiply-adds per frame instead of
 * one per partition of 128. The first stage works on the current quantum,
 * so the output has no latency: out[n] = sum_k ir[k] in[n - k] exactly (up
 * to the FFT's rounding).
 *
 * ls_partconv_create allocates everything (control thread); process and
 * reset never allocate, lock or call libm, so they may run on the render
 * thread. One thread processes a given convolver at a time.
 */
#ifndef LS_DSP_PARTCONV_H
#define LS_DSP_PARTCONV_H

#include <stdint.h>

#define LS_PARTCONV_BLOCK 128u

typedef struct ls_partconv ls_partconv;

/* A convolver for ir[0..len-1] multiplied by `scale`. len >= 1. NULL when
 * out of memory. Control thread. */
ls_partconv *ls_partconv_create(const float *ir, uint32_t len, float scale);
/* Free. NULL allowed. Control thread. */
void ls_partconv_destroy(ls_partconv *c);
/* Convolve the next LS_PARTCONV_BLOCK input frames (in == NULL: zeros) and
 * write (accumulate == 0) or add (accumulate != 0) the same number of
 * output frames. in and out may be the same array. */
void ls_partconv_process(ls_partconv *c, const float *in, float *out, int accumulate);
/* Forget all past input. */
void ls_partconv_reset(ls_partconv *c);
/* Frames after the last non-zero input frame in which output may still be
 * non-zero (the response's length plus the buffering of the stages). */
uint32_t ls_partconv_tail_frames(const ls_partconv *c);

#endif
