/*
 * sfxr's synthesizer (DrPetter's 2007 algorithm, as LabSound's SfxrNode
 * uses it), written afresh from its description: a square / sawtooth / sine
 * / noise oscillator run 8x oversampled at 44.1 kHz, with a frequency slide
 * and its acceleration, vibrato, one arpeggio step, a duty sweep, a repeat
 * that re-reads the frequency settings, a resonant low-pass and a one-pole
 * high-pass (both swept), a phaser (a swept comb) and a linear attack /
 * sustain (with punch) / decay envelope.
 *
 * Every setting is the 0 .. 1 (or -1 .. 1) slider value of sfxr; they are
 * read when the sound starts (ls_sfxr_start) and, for the frequency group,
 * again at each repeat, as sfxr's ResetSample does.
 *
 * Plain state, no allocation: usable on any thread, testable without a context.
 */
#ifndef LS_DSP_SFXR_H
#define LS_DSP_SFXR_H

#include <stddef.h>
#include <stdint.h>

#define LS_SFXR_RATE 44100.0

enum { LS_SFXR_SQUARE = 0, LS_SFXR_SAWTOOTH = 1, LS_SFXR_SINE = 2, LS_SFXR_NOISE = 3 };

/* The settings, in this order (ls_sfxr_setting_names). */
typedef struct ls_sfxr_settings {
    float wave_type;            /* 0 .. 3, as the enum above */
    float attack, sustain, sustain_punch, decay;
    float start_frequency, min_frequency, slide, delta_slide;
    float vibrato_depth, vibrato_speed;
    float change_amount, change_speed;
    float square_duty, duty_sweep;
    float repeat_speed;
    float phaser_offset, phaser_sweep;
    float lpf_cutoff, lpf_cutoff_sweep, lpf_resonance;
    float hpf_cutoff, hpf_cutoff_sweep;
    float volume;
} ls_sfxr_settings;

#define LS_SFXR_SETTINGS 24

extern const char *const ls_sfxr_setting_names[LS_SFXR_SETTINGS];
/* lowest and highest value of each setting */
extern const float ls_sfxr_setting_min[LS_SFXR_SETTINGS], ls_sfxr_setting_max[LS_SFXR_SETTINGS];

static inline float *ls_sfxr_field(ls_sfxr_settings *s, int i) { return &s->wave_type + i; }

/* sfxr's defaults (its ResetParams), volume 0.5. */
void ls_sfxr_defaults(ls_sfxr_settings *s);

enum {
    LS_SFXR_GEN_COIN, LS_SFXR_GEN_LASER, LS_SFXR_GEN_EXPLOSION, LS_SFXR_GEN_POWER_UP,
    LS_SFXR_GEN_HIT, LS_SFXR_GEN_JUMP, LS_SFXR_GEN_SELECT, LS_SFXR_GEN_MUTATE,
    LS_SFXR_GEN_RANDOMIZE, LS_SFXR_PRESETS
};
/* sfxr's generator buttons, drawing from a generator seeded by `seed`:
 * every preset but MUTATE starts from the defaults (the volume is kept);
 * MUTATE nudges the current settings. Returns -1 for an unknown preset. */
int ls_sfxr_make_preset(ls_sfxr_settings *s, int preset, uint64_t seed);

/* Frames (at 44.1 kHz) sfxr writes: attack^2, sustain^2, decay^2 times
 * 100000, each truncated, plus 3 (the sustain and decay stages last one frame
 * more than their length; the decay's last frame and the one after are 0). */
uint64_t ls_sfxr_envelope_frames(const ls_sfxr_settings *s);

typedef struct ls_sfxr_state {
    ls_sfxr_settings p;
    uint64_t rng;
    int playing;
    int phase, period;
    double fperiod, fmaxperiod, fslide, fdslide;
    float square_duty, square_slide;
    double arp_mod;
    int arp_time, arp_limit;
    float fltp, fltdp, fltw, fltw_d, fltdmp, fltphp, flthp, flthp_d;
    float vib_phase, vib_speed, vib_amp;
    float env_vol;
    int env_stage, env_time, env_length[3];
    float fphase, fdphase;
    int iphase, ipp;
    int rep_time, rep_limit;
    float noise_buffer[32];
    float phaser_buffer[1024];
} ls_sfxr_state;

/* Start a sound from `settings` (copied); the noise generator from `seed`. */
void ls_sfxr_start(ls_sfxr_state *s, const ls_sfxr_settings *settings, uint64_t seed);
/* Write up to n frames at 44.1 kHz; returns how many were written (fewer
 * when the sound ends: the envelope is over or the frequency fell below
 * min_frequency). */
size_t ls_sfxr_render(ls_sfxr_state *s, float *out, size_t n);

#endif
