/*
 * ADSR envelope (ADSRNode), frame-exact and linear in every segment.
 *
 * A gate rising above 0 at frame n starts the attack from the current level
 * L0: the level climbs by attack_level / A per frame (A = attack_time * sample
 * rate, rounded), so from 0 it reaches attack_level at frame n + A. Decay then
 * runs linearly to sustain_level over D = decay_time frames, and the level
 * follows sustain_level while the gate stays on. The gate falling to 0 (or,
 * in one-shot mode, sustain_time after the sustain began, whatever the gate
 * does) starts the release from the current level L: L * (1 - j / R) for
 * R = release_time frames, then 0. Each segment's first frame outputs the level
 * the previous one ended at; each time and level is read at the frame its
 * segment begins.
 */
#ifndef LS_DSP_ENVELOPE_H
#define LS_DSP_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>

enum { LS_ENV_IDLE = 0, LS_ENV_ATTACK, LS_ENV_DECAY, LS_ENV_SUSTAIN, LS_ENV_RELEASE };

typedef struct ls_envelope {
    int stage;
    bool gate;                 /* the gate's last state */
    bool one_shot;
    double level;              /* the level output last */
    double start, end;         /* the segment runs from start to end ... */
    double target;             /* the level it leaves (the attack's end is virtual) */
    long len, pos;             /* ... over len frames; pos frames done */
} ls_envelope;

/* Per-frame inputs: each pointer addresses n values, or one (its step is 0). */
typedef struct ls_envelope_inputs {
    const float *gate, *attack_time, *attack_level, *decay_time, *sustain_time,
        *sustain_level, *release_time;
    size_t gate_step, attack_time_step, attack_level_step, decay_time_step, sustain_time_step,
        sustain_level_step, release_time_step;
} ls_envelope_inputs;

void ls_envelope_init(ls_envelope *e, bool one_shot);
/* Compute n frames of the envelope into out. */
void ls_envelope_run(ls_envelope *e, const ls_envelope_inputs *in, double sample_rate,
                     float *out, size_t n);

#endif
