/*
 * labsound: filter, delay, routing and shaping nodes.
 *
 * BiquadFilterNode, IIRFilterNode, DelayNode, ChannelSplitterNode,
 * ChannelMergerNode, StereoPannerNode and WaveShaperNode. Included by
 * labsound.h; not meant to be included on its own.
 *
 * Every function here is for control threads only (never the render thread).
 * Each *_create function hands the caller one reference and may also return
 * INVALID_STATE (closed context), NOT_SUPPORTED (channel options out of
 * range), INVALID_ARGUMENT (NULL context or out pointer, an enum value out
 * of range) and NO_MEM, besides the errors it lists.
 *
 * Param getters (ls_biquad_filter_frequency, ls_delay_delay_time, ...) return
 * a param borrowed from the node (valid as long as it), or NULL when the node
 * is not of that type; they cannot fail otherwise. Other getters return the
 * type's default for a node of another type.
 */
#ifndef LABSOUND_FILTERS_H
#define LABSOUND_FILTERS_H

#ifndef LABSOUND_H
#error "include labsound/labsound.h, which includes this header"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* BiquadFilterNode                                                    */
/* ------------------------------------------------------------------ */

typedef enum ls_biquad_type {
    LS_BIQUAD_LOWPASS = 0,
    LS_BIQUAD_HIGHPASS = 1,
    LS_BIQUAD_BANDPASS = 2,
    LS_BIQUAD_LOWSHELF = 3,
    LS_BIQUAD_HIGHSHELF = 4,
    LS_BIQUAD_PEAKING = 5,
    LS_BIQUAD_NOTCH = 6,
    LS_BIQUAD_ALLPASS = 7
} ls_biquad_type;

typedef struct ls_biquad_filter_options {
    ls_node_options node;
    ls_biquad_type type;            /* default LOWPASS */
    float frequency;                /* default 350 Hz */
    float detune;                   /* default 0 cents */
    float q;                        /* default 1 */
    float gain;                     /* default 0 dB */
} ls_biquad_filter_options;
LS_API ls_biquad_filter_options ls_biquad_filter_options_default(void);
/** Control thread. Errors: RANGE (a non-finite value). Params: "frequency",
 *  "detune", "Q", "gain" (all a-rate). */
LS_API ls_result ls_biquad_filter_create(ls_context *ctx, const ls_biquad_filter_options *options,
                                         ls_node **out);
LS_API ls_biquad_type ls_biquad_filter_get_type(const ls_node *node);
/** Control thread. Errors: INVALID_ARGUMENT (not a biquad, not an enum value). */
LS_API ls_result ls_biquad_filter_set_type(ls_node *node, ls_biquad_type type);
LS_API ls_param *ls_biquad_filter_frequency(ls_node *node);
LS_API ls_param *ls_biquad_filter_detune(ls_node *node);
LS_API ls_param *ls_biquad_filter_q(ls_node *node);
LS_API ls_param *ls_biquad_filter_gain(ls_node *node);
/**
 * getFrequencyResponse: for each of the n frequencies (Hz), the magnitude and
 * phase (radians) of the filter with the params' current values. Frequencies
 * outside [0, sample_rate / 2] give NaN. Control thread.
 * Errors: INVALID_ARGUMENT (not a biquad, a NULL array with n > 0).
 */
LS_API ls_result ls_biquad_filter_get_frequency_response(ls_node *node, const float *frequencies,
                                                         float *mag, float *phase, size_t n);

/* ------------------------------------------------------------------ */
/* IIRFilterNode                                                       */
/* ------------------------------------------------------------------ */

/** Most coefficients of each side. */
#define LS_IIR_MAX_COEFFS 20

typedef struct ls_iir_filter_options {
    ls_node_options node;
    const double *feedforward;      /* required: 1..20 values, not all zero */
    size_t feedforward_count;
    const double *feedback;         /* required: 1..20 values, feedback[0] != 0 */
    size_t feedback_count;
} ls_iir_filter_options;
LS_API ls_iir_filter_options ls_iir_filter_options_default(void);
/** The coefficients are copied and normalized by feedback[0]. Control thread.
 *  Errors: NOT_SUPPORTED (a side with 0 or more than 20 coefficients),
 *  INVALID_STATE (every feedforward coefficient 0, or feedback[0] == 0),
 *  RANGE (a non-finite coefficient). */
LS_API ls_result ls_iir_filter_create(ls_context *ctx, const ls_iir_filter_options *options,
                                      ls_node **out);
/** As ls_biquad_filter_get_frequency_response, for an IIR filter. */
LS_API ls_result ls_iir_filter_get_frequency_response(ls_node *node, const float *frequencies,
                                                      float *mag, float *phase, size_t n);

/* ------------------------------------------------------------------ */
/* DelayNode                                                           */
/* ------------------------------------------------------------------ */

/** Longest max_delay_time, in seconds. */
#define LS_DELAY_MAX_TIME 180.0

typedef struct ls_delay_options {
    ls_node_options node;
    double max_delay_time;          /* default 1 s; (0, 180) */
    float delay_time;               /* default 0 s */
} ls_delay_options;
LS_API ls_delay_options ls_delay_options_default(void);
/**
 * A delay line with linear interpolation. Inside a cycle of the graph the
 * delay is at least one render quantum (128 frames), so feedback loops
 * through a DelayNode render. Control thread.
 * Errors: NOT_SUPPORTED (max_delay_time not in (0, 180)), RANGE (non-finite
 * delay_time). Param: "delayTime" (a-rate, [0, max_delay_time]).
 */
LS_API ls_result ls_delay_create(ls_context *ctx, const ls_delay_options *options, ls_node **out);
LS_API ls_param *ls_delay_delay_time(ls_node *node);
LS_API double ls_delay_max_delay_time(const ls_node *node);

/* ------------------------------------------------------------------ */
/* ChannelSplitterNode and ChannelMergerNode                           */
/* ------------------------------------------------------------------ */

typedef struct ls_channel_splitter_options {
    ls_node_options node;
    uint32_t number_of_outputs;     /* default 6; 1..32 */
} ls_channel_splitter_options;
LS_API ls_channel_splitter_options ls_channel_splitter_options_default(void);
/** Output i is channel i of the input (discrete). Control thread.
 *  Errors: INDEX_SIZE (number_of_outputs not in 1..32), INVALID_STATE
 *  (channel options other than count = outputs, explicit, discrete). */
LS_API ls_result ls_channel_splitter_create(ls_context *ctx,
                                            const ls_channel_splitter_options *options,
                                            ls_node **out);

typedef struct ls_channel_merger_options {
    ls_node_options node;
    uint32_t number_of_inputs;      /* default 6; 1..32 */
} ls_channel_merger_options;
LS_API ls_channel_merger_options ls_channel_merger_options_default(void);
/** Input i (down-mixed to mono) becomes channel i of the output. Control
 *  thread. Errors: INDEX_SIZE (number_of_inputs not in 1..32), INVALID_STATE
 *  (channel count other than 1, mode other than explicit). */
LS_API ls_result ls_channel_merger_create(ls_context *ctx,
                                          const ls_channel_merger_options *options,
                                          ls_node **out);

/* ------------------------------------------------------------------ */
/* StereoPannerNode                                                    */
/* ------------------------------------------------------------------ */

typedef struct ls_stereo_panner_options {
    ls_node_options node;
    float pan;                      /* default 0; [-1, 1] */
} ls_stereo_panner_options;
LS_API ls_stereo_panner_options ls_stereo_panner_options_default(void);
/** Equal-power panning of a mono or stereo input to stereo. Control thread.
 *  Errors: NOT_SUPPORTED (channel count above 2, count mode "max"),
 *  RANGE (non-finite pan). Param: "pan" (a-rate). */
LS_API ls_result ls_stereo_panner_create(ls_context *ctx, const ls_stereo_panner_options *options,
                                         ls_node **out);
LS_API ls_param *ls_stereo_panner_pan(ls_node *node);

/* ------------------------------------------------------------------ */
/* WaveShaperNode                                                      */
/* ------------------------------------------------------------------ */

typedef enum ls_oversample_type {
    LS_OVERSAMPLE_NONE = 0,
    LS_OVERSAMPLE_2X = 1,
    LS_OVERSAMPLE_4X = 2
} ls_oversample_type;

typedef struct ls_wave_shaper_options {
    ls_node_options node;
    const float *curve;             /* default NULL (the input passes unchanged) */
    size_t curve_length;            /* 0, or at least 2 */
    ls_oversample_type oversample;  /* default NONE */
} ls_wave_shaper_options;
LS_API ls_wave_shaper_options ls_wave_shaper_options_default(void);
/** Control thread. Errors: INVALID_STATE (a curve of 1 value), RANGE
 *  (a non-finite curve value). The curve is copied. */
LS_API ls_result ls_wave_shaper_create(ls_context *ctx, const ls_wave_shaper_options *options,
                                       ls_node **out);
/** Set or clear (values NULL, n 0) the curve; it is copied. Control thread.
 *  Errors: INVALID_STATE (n == 1), RANGE, INVALID_ARGUMENT, NO_MEM. */
LS_API ls_result ls_wave_shaper_set_curve(ls_node *node, const float *values, size_t n);
/** The curve's length (0 when none) and a pointer to a copy kept on the
 *  control side, valid until the next set_curve. Control thread. */
LS_API const float *ls_wave_shaper_get_curve(const ls_node *node, size_t *n);
/** Control thread. Errors: INVALID_ARGUMENT. */
LS_API ls_result ls_wave_shaper_set_oversample(ls_node *node, ls_oversample_type type);
LS_API ls_oversample_type ls_wave_shaper_get_oversample(const ls_node *node);

#ifdef __cplusplus
}
#endif
#endif /* LABSOUND_FILTERS_H */
