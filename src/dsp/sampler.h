/*
 * Sampler voice kernel (SampledAudioNode): one voice reads a region of a
 * buffer, looped a number of times, at a fractional step, and adds it into
 * an output block. No graph knowledge, no allocation.
 *
 * Positions are in buffer frames (double). A whole-frame position copies the
 * sample; between frames the value comes from the voice's interpolator
 * (src/dsp/interp.h), the one AudioBufferSourceNode uses, so the two render
 * the same samples. ls_sampler_value is the cubic alone (0 outside the
 * buffer).
 */
#ifndef LS_DSP_SAMPLER_H
#define LS_DSP_SAMPLER_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ls_sampler_voice {
    double pos;                  /* playhead, buffer frames */
    double region_start;         /* the region played: [start, end) */
    double region_end;
    int64_t loops_left;          /* plays of the region after this one; < 0: forever */
} ls_sampler_voice;

/* The buffer's value at position pos (0 <= pos < n) of channel x. */
float ls_sampler_value(const float *x, int64_t n, double pos);

/* A playhead at or past the region's end goes back into the region (by
 * whole region lengths, in constant time however far it went) and the plays
 * it used are counted off: false when the voice has no plays left (it then
 * ends). A playhead inside the region is left as it is (true). */
bool ls_sampler_wrap(ls_sampler_voice *v);

#define LS_SAMPLER_MAX_CHANNELS 32

/* Add frames [begin, end) of voice v into y[0 .. channels-1], stepping
 * `step` (>= 0) buffer frames per output frame, x[c] the buffer's channels
 * of n frames, read between frames with interpolation `mode` (LS_INTERP_*,
 * src/dsp/interp.h; the signal continued past the buffer's edges). The
 * positions of the frames up to the region's end are pos + j * step.
 * Returns the frame the voice ended at (end if it goes on). */
uint32_t ls_sampler_voice_add(ls_sampler_voice *v, const float *const *x, uint32_t channels,
                              int64_t n, double step, int mode, float *const *y,
                              uint32_t begin, uint32_t end);

#endif
