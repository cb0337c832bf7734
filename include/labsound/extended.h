/*
 * labsound: the extended node set (LabSound's src/extended nodes, rebuilt
 * as first-class nodes). Included from labsound.h.
 *
 * Threads and errors as in labsound.h: every function here is a control
 * thread call; none may be called from the render thread. Sources start and
 * stop with ls_source_start / ls_source_stop (absolute context seconds).
 */
#ifndef LABSOUND_EXTENDED_H
#define LABSOUND_EXTENDED_H

#include "labsound.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================== */
/* Noise, envelopes, band-limited oscillators and shapers              */
/* ================================================================== */

/* ------------------------------------------------------------------ */
/* NoiseNode: white, pink (-3 dB/octave) or brown (-6 dB/octave) noise */
/* ------------------------------------------------------------------ */

typedef enum ls_noise_type {
    LS_NOISE_WHITE = 0,
    LS_NOISE_PINK = 1,
    LS_NOISE_BROWN = 2
} ls_noise_type;

typedef struct ls_noise_options {
    ls_node_options node;
    ls_noise_type type;             /* default WHITE */
    int has_seed;                   /* 0: the engine picks a seed of its own */
    uint64_t seed;                  /* the generator's seed when has_seed */
} ls_noise_options;
LS_API ls_noise_options ls_noise_options_default(void);
/** A scheduled source with one mono output. Control thread. Errors:
 *  INVALID_ARGUMENT (type not an enum value), INVALID_STATE (closed), NO_MEM. */
LS_API ls_result ls_noise_create(ls_context *ctx, const ls_noise_options *options, ls_node **out);
LS_API ls_noise_type ls_noise_get_type(const ls_node *node);
/** Errors: INVALID_ARGUMENT (not a noise node or not an enum value). */
LS_API ls_result ls_noise_set_type(ls_node *node, ls_noise_type type);
/** The seed the generator started from. */
LS_API uint64_t ls_noise_get_seed(const ls_node *node);

/* ------------------------------------------------------------------ */
/* ADSRNode: an envelope applied to its input (or to 1 with no input)  */
/* ------------------------------------------------------------------ */

typedef struct ls_adsr_options {
    ls_node_options node;
    float attack_time;              /* seconds, default 0.125 */
    float attack_level;             /* default 1 */
    float decay_time;               /* seconds, default 0.125 */
    float sustain_time;             /* seconds, one-shot mode only; default 0.125 */
    float sustain_level;            /* default 0.5 */
    float release_time;             /* seconds, default 0.125 */
    int one_shot;                   /* default 0: the gate holds the sustain */
} ls_adsr_options;
LS_API ls_adsr_options ls_adsr_options_default(void);
/** Params (a-rate; a time or level is read at the frame its segment begins):
 *  "gate" (> 0 is on), "attack_time", "attack_level", "decay_time",
 *  "sustain_time", "sustain_level", "release_time". Control thread.
 *  Errors: RANGE (a value not finite, a time negative), INVALID_STATE
 *  (closed), NO_MEM. */
LS_API ls_result ls_adsr_create(ls_context *ctx, const ls_adsr_options *options, ls_node **out);
LS_API ls_param *ls_adsr_gate(ls_node *node);
/** gate.setValueAtTime(1, when) / (0, when). Errors: RANGE (when negative or
 *  not finite), INVALID_ARGUMENT (not an ADSR node). */
LS_API ls_result ls_adsr_gate_on(ls_node *node, double when);
LS_API ls_result ls_adsr_gate_off(ls_node *node, double when);
LS_API int ls_adsr_get_one_shot(const ls_node *node);
/** Errors: INVALID_ARGUMENT (not an ADSR node). */
LS_API ls_result ls_adsr_set_one_shot(ls_node *node, int one_shot);

/* ------------------------------------------------------------------ */
/* PolyBLEPNode: quasi-band-limited classic waveforms                  */
/* ------------------------------------------------------------------ */

typedef enum ls_polyblep_type {
    LS_POLYBLEP_TRIANGLE = 0,
    LS_POLYBLEP_SQUARE = 1,
    LS_POLYBLEP_RECTANGLE = 2,             /* pulse_width: the high part of the period */
    LS_POLYBLEP_SAWTOOTH = 3,
    LS_POLYBLEP_RAMP = 4,
    LS_POLYBLEP_MODIFIED_TRIANGLE = 5,     /* pulse_width: the rising part */
    LS_POLYBLEP_MODIFIED_SQUARE = 6,       /* three levels; pulse_width: the non-zero part */
    LS_POLYBLEP_HALF_WAVE_RECTIFIED_SINE = 7,
    LS_POLYBLEP_FULL_WAVE_RECTIFIED_SINE = 8,
    LS_POLYBLEP_TRIANGULAR_PULSE = 9,      /* pulse_width: the pulse's width */
    LS_POLYBLEP_TRAPEZOID_FIXED = 10,
    LS_POLYBLEP_TRAPEZOID_VARIABLE = 11    /* pulse_width: the flat part */
} ls_polyblep_type;

typedef struct ls_polyblep_options {
    ls_node_options node;
    ls_polyblep_type type;          /* default SAWTOOTH */
    float frequency;                /* default 440 */
    float detune;                   /* cents, default 0 */
    float amplitude;                /* default 1 */
    float pulse_width;              /* 0 .. 1, default 0.5 */
} ls_polyblep_options;
LS_API ls_polyblep_options ls_polyblep_options_default(void);
/** A scheduled source, one mono output. Params (a-rate): "frequency",
 *  "detune", "amplitude", "pulse_width". Control thread. Errors:
 *  INVALID_ARGUMENT (type), RANGE (a value not finite), INVALID_STATE, NO_MEM. */
LS_API ls_result ls_polyblep_create(ls_context *ctx, const ls_polyblep_options *options,
                                    ls_node **out);
LS_API ls_polyblep_type ls_polyblep_get_type(const ls_node *node);
/** Errors: INVALID_ARGUMENT (not a PolyBLEP node or not an enum value). */
LS_API ls_result ls_polyblep_set_type(ls_node *node, ls_polyblep_type type);

/* ------------------------------------------------------------------ */
/* SupersawNode: N detuned band-limited sawtooths                      */
/* ------------------------------------------------------------------ */

#define LS_SUPERSAW_MAX_VOICES 32
typedef struct ls_supersaw_options {
    ls_node_options node;
    uint32_t voices;                /* 1 .. 32, default 7 */
    float frequency;                /* default 440 */
    float detune;                   /* spread in cents, default 12: voices from -detune to +detune */
} ls_supersaw_options;
LS_API ls_supersaw_options ls_supersaw_options_default(void);
/** A scheduled source, one mono output: the mean of `voices` sawtooths,
 *  voice i detuned by -detune + 2 * detune * i / (voices - 1) cents. Params
 *  (a-rate): "frequency", "detune". Errors: NOT_SUPPORTED (voices 0 or > 32),
 *  RANGE (a value not finite, detune outside 0 .. 1200), INVALID_STATE, NO_MEM. */
LS_API ls_result ls_supersaw_create(ls_context *ctx, const ls_supersaw_options *options,
                                    ls_node **out);
LS_API uint32_t ls_supersaw_get_voices(const ls_node *node);
/** Errors: NOT_SUPPORTED (0 or > 32), INVALID_ARGUMENT (not a supersaw). */
LS_API ls_result ls_supersaw_set_voices(ls_node *node, uint32_t voices);

/* ------------------------------------------------------------------ */
/* ClipNode: hard clip to [a, b], or a * tanh(b * x)                   */
/* ------------------------------------------------------------------ */

typedef enum ls_clip_mode {
    LS_CLIP_MODE_CLIP = 0,
    LS_CLIP_MODE_TANH = 1
} ls_clip_mode;

typedef struct ls_clip_options {
    ls_node_options node;
    ls_clip_mode mode;              /* default CLIP */
    float a;                        /* clip: lower bound; tanh: output gain. Default -1 */
    float b;                        /* clip: upper bound; tanh: input gain. Default 1 */
} ls_clip_options;
LS_API ls_clip_options ls_clip_options_default(void);
/** Params (a-rate): "a", "b". Errors: INVALID_ARGUMENT (mode), RANGE, INVALID_STATE, NO_MEM. */
LS_API ls_result ls_clip_create(ls_context *ctx, const ls_clip_options *options, ls_node **out);
LS_API ls_clip_mode ls_clip_get_mode(const ls_node *node);
LS_API ls_result ls_clip_set_mode(ls_node *node, ls_clip_mode mode);

/* ------------------------------------------------------------------ */
/* DiodeNode: Parker's diode model (the ring modulator's diode)        */
/* ------------------------------------------------------------------ */

typedef struct ls_diode_options {
    ls_node_options node;
    float distortion;               /* h, the linear part's slope; default 1 */
    float vb;                       /* bias voltage: below it nothing conducts; default 0.2 */
    float vl;                       /* where the curve turns linear (> vb); default 0.4 */
} ls_diode_options;
LS_API ls_diode_options ls_diode_options_default(void);
/** y = 0 for |x| <= vb; h (|x| - vb)^2 / (2 vl - 2 vb) for vb < |x| <= vl;
 *  h |x| - h vl + h (vl - vb)^2 / (2 vl - 2 vb) above. Params (a-rate):
 *  "distortion", "vb", "vl" (where vl <= vb the quadratic part is empty).
 *  Errors: RANGE, INVALID_STATE, NO_MEM. */
LS_API ls_result ls_diode_create(ls_context *ctx, const ls_diode_options *options, ls_node **out);

/* ================================================================== */
/* Monitors, the peak compressor and pulse-width modulation            */
/* ================================================================== */

/* ------------------------------------------------------------------ */
/* PowerMonitorNode: passes its input through; its RMS level in dB     */
/* ------------------------------------------------------------------ */

#define LS_POWER_MONITOR_MAX_WINDOW 65536u
#define LS_POWER_MONITOR_FLOOR_DB (-120.0f)   /* the reading of silence */

typedef struct ls_power_monitor_options {
    ls_node_options node;
    uint32_t window_size;           /* frames, 1 .. 65536; default 128 */
} ls_power_monitor_options;
LS_API ls_power_monitor_options ls_power_monitor_options_default(void);
/** One input, one output (the input unchanged). After each quantum the
 *  render thread publishes (one atomic store) 20 log10(rms) of the latest
 *  window_size frames, rms = sqrt(mean over those frames and over the input's
 *  channels of x^2): the channels' powers are averaged. Frames before the
 *  node first rendered count as silence; non-finite samples count as 0; the
 *  figure is floored at LS_POWER_MONITOR_FLOOR_DB. Control thread. Errors:
 *  NOT_SUPPORTED (window_size 0 or above the maximum), INVALID_STATE
 *  (closed), NO_MEM. */
LS_API ls_result ls_power_monitor_create(ls_context *ctx, const ls_power_monitor_options *options,
                                         ls_node **out);
/** The latest level in dB (LS_POWER_MONITOR_FLOOR_DB before the first
 *  quantum; NaN if node is not a power monitor). Any thread but the render
 *  thread; lock-free (one atomic load), callable while the context plays. */
LS_API float ls_power_monitor_get_db(const ls_node *node);
/** The window in frames (0 if not a power monitor). Any control thread. */
LS_API uint32_t ls_power_monitor_get_window_size(const ls_node *node);

/* ------------------------------------------------------------------ */
/* SpectralMonitorNode: passes its input through; its latest spectrum   */
/* ------------------------------------------------------------------ */

#define LS_SPECTRAL_MONITOR_MIN_WINDOW 32u
#define LS_SPECTRAL_MONITOR_MAX_WINDOW 32768u

typedef struct ls_spectral_monitor_options {
    ls_node_options node;
    uint32_t window_size;           /* a power of two, 32 .. 32768; default 512 */
} ls_spectral_monitor_options;
LS_API ls_spectral_monitor_options ls_spectral_monitor_options_default(void);
/** One input, one output (the input unchanged). The render thread keeps the
 *  input, down-mixed to mono by the speakers rules (as AnalyserNode does), in
 *  a ring guarded by a frame counter (a seqlock: it never waits or
 *  allocates). Control thread. Errors: NOT_SUPPORTED (window_size not a
 *  power of two in range), INVALID_STATE (closed), NO_MEM. */
LS_API ls_result ls_spectral_monitor_create(ls_context *ctx,
                                            const ls_spectral_monitor_options *options,
                                            ls_node **out);
LS_API uint32_t ls_spectral_monitor_get_window_size(const ls_node *node);
/** out[k] = |X[k]| for k = 0 .. window_size / 2 (window_size / 2 + 1
 *  values), X the DFT of the latest window_size mono frames times a Blackman
 *  window w[n] = 0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N), scaled by
 *  2 / sum(w) so that a full-scale sine on a bin reads 1 (DC and Nyquist read
 *  twice their amplitude). Frames before the node first rendered count as
 *  silence. Control threads (takes the context's lock; the render thread
 *  never waits for it; retries if the render thread overwrote the frames
 *  while they were copied). Errors: INVALID_ARGUMENT (not a spectral monitor,
 *  out NULL), INDEX_SIZE (capacity < window_size / 2 + 1). */
LS_API ls_result ls_spectral_monitor_get_magnitude(ls_node *node, float *out, uint32_t capacity);

/* ------------------------------------------------------------------ */
/* PeakCompNode: a feed-forward peak compressor                        */
/* ------------------------------------------------------------------ */

typedef struct ls_peak_comp_options {
    ls_node_options node;
    float threshold;                /* dB, default -20 */
    float ratio;                    /* >= 1, default 4 */
    float attack;                   /* seconds, default 0.001 */
    float release;                  /* seconds, default 0.1 */
    float makeup;                   /* dB, default 0 */
    float knee;                     /* dB (the knee's full width), default 0 */
} ls_peak_comp_options;
LS_API ls_peak_comp_options ls_peak_comp_options_default(void);
/** Per frame: peak p = max over channels |x| (linked channels); envelope
 *  e += (1 - a)(p - e), a = exp(-1 / (t fs)) with t = attack while p > e,
 *  release otherwise (t = 0: e follows p); level L = 20 log10 e; static curve
 *  G(L) = L below T - W/2, T + (L - T)/R above T + W/2, L + (1/R - 1)
 *  (L - T + W/2)^2 / (2 W) between; gain 10^((G(L) - L + makeup) / 20) on
 *  every channel. Params (a-rate): "threshold", "ratio" (min 1), "attack",
 *  "release" (min 0), "makeup", "knee" (min 0). Control thread. Errors:
 *  RANGE (a value not finite, ratio < 1, a time or the knee negative),
 *  INVALID_STATE (closed), NO_MEM. */
LS_API ls_result ls_peak_comp_create(ls_context *ctx, const ls_peak_comp_options *options,
                                     ls_node **out);

/* ------------------------------------------------------------------ */
/* PWMNode: pulse-width modulation of a carrier by a modulator         */
/* ------------------------------------------------------------------ */

/** Two inputs, carrier (0) and modulator (1), one output with the carrier's
 *  channels: y = 1 where carrier > modulator, else -1 (modulator channel c,
 *  or its last channel). With nothing connected to input 1 the carrier
 *  passes through unchanged (LabSound's behaviour); with both inputs silent
 *  the output is silent. Control thread. Errors: INVALID_STATE (closed),
 *  NO_MEM. */
LS_API ls_result ls_pwm_create(ls_context *ctx, const ls_node_options *options, ls_node **out);
/* sfxr sound effects                                                   */
/* ================================================================== */

/* ------------------------------------------------------------------ */
/* SfxrNode: DrPetter's sfxr sound-effect synthesizer                  */
/* ------------------------------------------------------------------ */

typedef enum ls_sfxr_wave {
    LS_SFXR_WAVE_SQUARE = 0,
    LS_SFXR_WAVE_SAWTOOTH = 1,
    LS_SFXR_WAVE_SINE = 2,
    LS_SFXR_WAVE_NOISE = 3
} ls_sfxr_wave;

typedef enum ls_sfxr_preset {
    LS_SFXR_PRESET_COIN = 0,
    LS_SFXR_PRESET_LASER = 1,
    LS_SFXR_PRESET_EXPLOSION = 2,
    LS_SFXR_PRESET_POWER_UP = 3,
    LS_SFXR_PRESET_HIT = 4,
    LS_SFXR_PRESET_JUMP = 5,
    LS_SFXR_PRESET_SELECT = 6,
    LS_SFXR_PRESET_MUTATE = 7,      /* nudges the current settings */
    LS_SFXR_PRESET_RANDOMIZE = 8,
    LS_SFXR_PRESET_COUNT = 9
} ls_sfxr_preset;

/* sfxr's sliders: 0 .. 1, those marked +- in -1 .. 1. Setting index i
 * (ls_sfxr_get / ls_sfxr_set) is wave_type (0) then the fields in order. */
typedef struct ls_sfxr_options {
    ls_node_options node;
    ls_sfxr_wave wave_type;         /* default SQUARE */
    float attack, sustain, sustain_punch, decay;            /* 0, 0.3, 0, 0.4 */
    float start_frequency, min_frequency, slide, delta_slide; /* 0.3, 0, 0+-, 0+- */
    float vibrato_depth, vibrato_speed;                     /* 0, 0 */
    float change_amount, change_speed;                      /* 0+-, 0 */
    float square_duty, duty_sweep;                          /* 0, 0+- */
    float repeat_speed;                                     /* 0 */
    float phaser_offset, phaser_sweep;                      /* 0+-, 0+- */
    float lpf_cutoff, lpf_cutoff_sweep, lpf_resonance;      /* 1, 0+-, 0 */
    float hpf_cutoff, hpf_cutoff_sweep;                     /* 0, 0+- */
    float volume;                                           /* 0.5 */
    int has_seed;                   /* 0: the engine picks a seed of its own */
    uint64_t seed;                  /* the noise generator's seed when has_seed */
} ls_sfxr_options;
LS_API ls_sfxr_options ls_sfxr_options_default(void);
/** A scheduled source, one mono output. The settings are read at the frame
 *  the sound starts (the frequency group again at each repeat), as sfxr's
 *  ResetSample; the node ends by itself when the sound is over. sfxr runs at
 *  44.1 kHz; at other context rates its output is linearly interpolated.
 *  Control thread. Errors: INVALID_ARGUMENT (wave_type), RANGE (a setting
 *  not finite or outside its slider range), INVALID_STATE (closed), NO_MEM. */
LS_API ls_result ls_sfxr_create(ls_context *ctx, const ls_sfxr_options *options, ls_node **out);
/** The number of settings (24), a setting's name ("wave_type", "attack", ...)
 *  and range. Any thread. Errors: INVALID_ARGUMENT (index out of range). */
LS_API int ls_sfxr_setting_count(void);
LS_API const char *ls_sfxr_setting_name(int index);
LS_API ls_result ls_sfxr_setting_range(int index, float *lo, float *hi);
/** A setting's value (NaN for a bad node or index). Control thread. */
LS_API float ls_sfxr_get(const ls_node *node, int index);
/** Control thread; takes effect at the next start. Errors: INVALID_ARGUMENT
 *  (not an sfxr node, bad index, wave_type not 0 .. 3), RANGE (not finite or
 *  outside the setting's range). */
LS_API ls_result ls_sfxr_set(ls_node *node, int index, float value);
/** sfxr's generator buttons from a generator seeded by `seed` (the same seed
 *  gives the same settings). Control thread. Errors: INVALID_ARGUMENT. */
LS_API ls_result ls_sfxr_apply_preset(ls_node *node, ls_sfxr_preset preset, uint64_t seed);
/** The noise generator's seed. Control thread. */
LS_API uint64_t ls_sfxr_get_seed(const ls_node *node);
/** The envelope's length in 44.1 kHz frames: trunc(attack^2 * 1e5) +
 *  trunc(sustain^2 * 1e5) + trunc(decay^2 * 1e5) + 3
 *  (the last two frames are 0, as in sfxr). Control thread. */
LS_API uint64_t ls_sfxr_length_frames(const ls_node *node);

/* ================================================================== */
/* GranulationNode: grains of an AudioBuffer                           */
/* ================================================================== */

typedef enum ls_grain_window {
    LS_GRAIN_WINDOW_HANN = 0,       /* 0.5 - 0.5 cos(2 pi t), t = j / (L - 1) */
    LS_GRAIN_WINDOW_TRIANGLE = 1,   /* 1 - |2 t - 1| */
    LS_GRAIN_WINDOW_GAUSSIAN = 2,   /* exp(-((2 t - 1) / 0.4)^2 / 2) */
    LS_GRAIN_WINDOW_TUKEY = 3,      /* alpha 0.5 */
    LS_GRAIN_WINDOW_BLACKMAN = 4,   /* 0.42 - 0.5 cos(2 pi t) + 0.08 cos(4 pi t) */
    LS_GRAIN_WINDOW_RECTANGLE = 5,
    LS_GRAIN_WINDOW_HAMMING = 6,    /* 0.54 - 0.46 cos(2 pi t) */
    LS_GRAIN_WINDOW_COUNT = 7
} ls_grain_window;

#define LS_GRANULATION_MAX_VOICES 256u

typedef struct ls_granulation_options {
    ls_node_options node;           /* unused: no inputs; the output has the buffer's channels */
    ls_buffer *buffer;              /* required, at least one frame; retained by the node */
    float grain_duration;           /* seconds, > 0; default 0.1 */
    float grain_rate;               /* grains per second, >= 0; default 20 */
    float position_start;           /* seconds into the buffer, >= 0; default 0 */
    float position_end;             /* seconds; < 0: the buffer's end (default -1) */
    float playback_rate;            /* source seconds per output second, >= 0; default 1 */
    ls_grain_window window;         /* default HANN */
    uint64_t seed;                  /* grain positions' generator; default 0 */
    uint32_t max_voices;            /* grains sounding at once, 1 .. 256; default 8 */
    ls_interpolation interpolation; /* default DEFAULT: the context's; LINEAR and CUBIC
                                       read 0 outside the buffer, SINC zeros past it */
} ls_granulation_options;
LS_API ls_granulation_options ls_granulation_options_default(void);
/** A scheduled source with one output of the buffer's channel count. Grains
 *  start at the first played frame and then every sample_rate / grain_rate
 *  frames (the rate read at each grain's onset; onset k of a constant rate at
 *  ceil(k * sample_rate / grain_rate) frames after the start, values within
 *  1e-6 of a whole frame taken as it). A grain of round(grain_duration *
 *  sample_rate) frames reads the buffer from a position drawn uniformly
 *  (splitmix64 seeded by `seed`, one draw per due grain) in [position_start,
 *  max(position_start, position_end - grain_duration * playback_rate)],
 *  advancing playback_rate * buffer_rate / sample_rate buffer frames per
 *  frame (linear interpolation), times the window. A grain due while every
 *  voice sounds is dropped (counted); at most one grain starts per frame
 *  (a grain_rate above the sample rate acts as the sample rate). Params (k-rate by default, a-rate
 *  allowed; each grain reads them at its onset frame): "grain_duration",
 *  "grain_rate", "position_start", "position_end", "playback_rate".
 *  Control thread. Errors: INVALID_ARGUMENT (no buffer, an empty buffer, a
 *  window not in the enum), RANGE (a value not finite or below its minimum,
 *  grain_duration not > 0), NOT_SUPPORTED (max_voices 0 or > 256),
 *  INVALID_STATE (context closed), NO_MEM. */
LS_API ls_result ls_granulation_create(ls_context *ctx, const ls_granulation_options *options,
                                       ls_node **out);
/** The window of grains that start from now on. Control thread. Errors:
 *  INVALID_ARGUMENT (not a granulation node or not an enum value). */
LS_API ls_result ls_granulation_set_window(ls_node *node, ls_grain_window window);
LS_API ls_grain_window ls_granulation_get_window(const ls_node *node);
/** How grains read between the buffer's frames, for grains that start from
 *  now on (DEFAULT: the context's). Control thread. Errors: INVALID_ARGUMENT
 *  (not a granulation node or not an enum value), NO_MEM (SINC's table). */
LS_API ls_result ls_granulation_set_interpolation(ls_node *node, ls_interpolation mode);
/** The node's interpolation (never DEFAULT; DEFAULT for another node). Control thread. */
LS_API ls_interpolation ls_granulation_interpolation(const ls_node *node);
/** The seed, the voice count and the buffer (borrowed) given at creation.
 *  Control thread; 0 / NULL for a node that is not a granulation node. */
LS_API uint64_t ls_granulation_get_seed(const ls_node *node);
LS_API uint32_t ls_granulation_max_voices(const ls_node *node);
LS_API ls_buffer *ls_granulation_buffer(const ls_node *node);
/** Grains started, and grains dropped because every voice was sounding,
 *  so far. Any thread (atomics the render thread updates). */
LS_API uint64_t ls_granulation_grains_started(const ls_node *node);
LS_API uint64_t ls_granulation_grains_dropped(const ls_node *node);

/* ================================================================== */
/* (end of the first block)                                            */
/* ================================================================== */

/* ================================================================== */
/* Tempo-synced delays and the sampler: BPMDelayNode,                  */
/* PingPongDelayNode, SampledAudioNode                                 */
/* ================================================================== */

/* A note value: the delay is 60 / tempo * beats seconds, beats below. */
typedef enum ls_note_value {
    LS_NOTE_WHOLE = 0,              /* 4 beats */
    LS_NOTE_HALF = 1,               /* 2 */
    LS_NOTE_QUARTER = 2,            /* 1 */
    LS_NOTE_EIGHTH = 3,             /* 1/2 */
    LS_NOTE_SIXTEENTH = 4,          /* 1/4 */
    LS_NOTE_THIRTY_SECOND = 5,      /* 1/8 */
    LS_NOTE_DOTTED_WHOLE = 6,       /* dotted: 1.5 times the plain value */
    LS_NOTE_DOTTED_HALF = 7,
    LS_NOTE_DOTTED_QUARTER = 8,
    LS_NOTE_DOTTED_EIGHTH = 9,
    LS_NOTE_DOTTED_SIXTEENTH = 10,
    LS_NOTE_DOTTED_THIRTY_SECOND = 11,
    LS_NOTE_WHOLE_TRIPLET = 12,     /* triplet: 2/3 of the plain value */
    LS_NOTE_HALF_TRIPLET = 13,
    LS_NOTE_QUARTER_TRIPLET = 14,
    LS_NOTE_EIGHTH_TRIPLET = 15,
    LS_NOTE_SIXTEENTH_TRIPLET = 16,
    LS_NOTE_THIRTY_SECOND_TRIPLET = 17,
    LS_NOTE_COUNT = 18
} ls_note_value;

/** Beats (quarter notes) of a note value; 0 for a bad value. Any thread. */
LS_API double ls_note_value_beats(ls_note_value note);
/** 60 / tempo * beats(note) seconds; NaN for a bad tempo or note. Any thread. */
LS_API double ls_tempo_delay_time(double tempo, ls_note_value note);

typedef struct ls_bpm_delay_options {
    ls_node_options node;
    double tempo;                   /* BPM, > 0: default 120 */
    ls_note_value note;             /* default LS_NOTE_QUARTER */
    double max_delay_time;          /* seconds, 0 < x < 180: default 2 */
} ls_bpm_delay_options;
LS_API ls_bpm_delay_options ls_bpm_delay_options_default(void);
/** A DelayNode (the same delay line, cycles allowed) whose delay time is
 *  60 / tempo * beats(note) seconds, set from the control side.
 *  Control thread. Errors: INVALID_ARGUMENT (bad note), RANGE (tempo not
 *  finite or <= 0, or the delay beyond max_delay_time), NOT_SUPPORTED
 *  (max_delay_time out of range), INVALID_STATE (closed), NO_MEM. */
LS_API ls_result ls_bpm_delay_create(ls_context *ctx, const ls_bpm_delay_options *options,
                                     ls_node **out);
/** Control thread; the delay changes at the context's current time.
 *  Errors: INVALID_ARGUMENT (not a BPMDelay node, bad note), RANGE (tempo
 *  not finite or <= 0, delay beyond max_delay_time). */
LS_API ls_result ls_bpm_delay_set_tempo(ls_node *node, double tempo);
LS_API ls_result ls_bpm_delay_set_note(ls_node *node, ls_note_value note);
/** Control thread. 0 / -1 / NaN for a node of another type. */
LS_API double ls_bpm_delay_tempo(const ls_node *node);
LS_API int ls_bpm_delay_note(const ls_node *node);
LS_API double ls_bpm_delay_delay_time(const ls_node *node);
LS_API double ls_bpm_delay_max_delay_time(const ls_node *node);

typedef struct ls_ping_pong_delay_options {
    ls_node_options node;
    double tempo;                   /* BPM, > 0: default 120 */
    ls_note_value note;             /* default LS_NOTE_EIGHTH (LabSound's TS_8) */
    double max_delay_time;          /* seconds, 0 < x < 180: default 2 */
    float feedback;                 /* default 0.5 */
    float wet;                      /* default 1 (LabSound's "level") */
    float dry;                      /* default 1 */
} ls_ping_pong_delay_options;
LS_API ls_ping_pong_delay_options ls_ping_pong_delay_options_default(void);
/** A stereo ping-pong delay: the input (mixed to mono) goes into the left
 *  delay line, the left line's output into the right one, the right one's
 *  output times `feedback` back into the left one. Output (always two
 *  channels): L = dry * in_L + wet * left, R = dry * in_R + wet * right.
 *  feedback, wet and dry are a-rate params; the delay of each line is
 *  60 / tempo * beats(note), at least one frame. Control thread. Errors as
 *  ls_bpm_delay_create, RANGE also for non-finite feedback, wet or dry. */
LS_API ls_result ls_ping_pong_delay_create(ls_context *ctx,
                                           const ls_ping_pong_delay_options *options,
                                           ls_node **out);
/** Control thread. Errors as ls_bpm_delay_set_tempo / _set_note. */
LS_API ls_result ls_ping_pong_delay_set_tempo(ls_node *node, double tempo);
LS_API ls_result ls_ping_pong_delay_set_note(ls_node *node, ls_note_value note);
/** Control thread. 0 / -1 / NaN for a node of another type. */
LS_API double ls_ping_pong_delay_tempo(const ls_node *node);
LS_API int ls_ping_pong_delay_note(const ls_node *node);
LS_API double ls_ping_pong_delay_delay_time(const ls_node *node);
LS_API double ls_ping_pong_delay_max_delay_time(const ls_node *node);
/** The params (borrowed, valid while the node lives); NULL for another type. */
LS_API ls_param *ls_ping_pong_delay_feedback(ls_node *node);
LS_API ls_param *ls_ping_pong_delay_wet(ls_node *node);
LS_API ls_param *ls_ping_pong_delay_dry(ls_node *node);

#define LS_SAMPLED_AUDIO_MAX_VOICES 32

typedef struct ls_sampled_audio_options {
    ls_node_options node;
    ls_buffer *buffer;              /* may be NULL; retained */
    float playback_rate;            /* default 1 */
    float detune;                   /* cents, default 0 */
    ls_interpolation interpolation; /* default DEFAULT: the context's */
} ls_sampled_audio_options;
LS_API ls_sampled_audio_options ls_sampled_audio_options_default(void);
/** LabSound's sampler: a buffer player with no inputs and one output (the
 *  buffer's channels) that plays a voice per schedule, voices overlapping
 *  and summed. playback_rate and detune are k-rate params shared by every
 *  voice (rate playback_rate * 2^(detune / 1200) times the buffer's rate
 *  over the context's; below 0 plays as 0). At most
 *  LS_SAMPLED_AUDIO_MAX_VOICES voices, kept in the node (no allocation on
 *  the render thread): a schedule beyond them replaces the voice that
 *  started first. Each time the last voice ends an LS_EVENT_ENDED event is
 *  queued (events that fall together are merged). Control thread. Errors:
 *  RANGE (non-finite playback_rate or detune), INVALID_STATE, NO_MEM. */
LS_API ls_result ls_sampled_audio_create(ls_context *ctx,
                                         const ls_sampled_audio_options *options,
                                         ls_node **out);
/** Replace the buffer (NULL: none); voices playing the old one stop.
 *  Control thread. Errors: INVALID_ARGUMENT. */
LS_API ls_result ls_sampled_audio_set_buffer(ls_node *node, ls_buffer *buffer);
/** The buffer, a new reference (release it), or NULL. Control thread. */
LS_API ls_buffer *ls_sampled_audio_buffer(const ls_node *node);
/** Play the buffer from `offset` seconds for `duration` seconds (< 0: to
 *  its end) at context time `when`, loop_count + 1 times (-1: until stop);
 *  a time already past plays at once. Control thread. Errors:
 *  INVALID_ARGUMENT (not a sampler, loop_count < -1), RANGE (when or offset
 *  negative or not finite, duration not finite). */
LS_API ls_result ls_sampled_audio_schedule(ls_node *node, double when, int32_t loop_count,
                                           double offset, double duration);
/** End every voice scheduled so far at context time `when`. Control
 *  thread. Errors: INVALID_ARGUMENT, RANGE. */
LS_API ls_result ls_sampled_audio_stop(ls_node *node, double when);
/** Drop the voices that have not started yet. Control thread. Errors:
 *  INVALID_ARGUMENT. */
LS_API ls_result ls_sampled_audio_clear_schedules(ls_node *node);
/** How voices read between the buffer's frames from the next render quantum
 *  on (DEFAULT: the context's). Control thread. Errors: INVALID_ARGUMENT (not
 *  a sampler or not an enum value), NO_MEM (SINC's kernel table). */
LS_API ls_result ls_sampled_audio_set_interpolation(ls_node *node, ls_interpolation mode);
/** The node's interpolation (never DEFAULT; DEFAULT for another node). Control thread. */
LS_API ls_interpolation ls_sampled_audio_interpolation(const ls_node *node);
/** Schedules made so far (a counter). Control thread. */
LS_API uint64_t ls_sampled_audio_schedule_count(const ls_node *node);
/** The params (borrowed); NULL for another type. */
LS_API ls_param *ls_sampled_audio_playback_rate(ls_node *node);
LS_API ls_param *ls_sampled_audio_detune(ls_node *node);

/* ================================================================== */
/* (end of the tempo-synced delays and the sampler)                    */
/* ================================================================== */

#ifdef __cplusplus
}
#endif

#endif /* LABSOUND_EXTENDED_H */
