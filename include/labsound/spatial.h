/*
 * labsound: spatial and dynamics nodes. Included by labsound.h.
 *
 * PannerNode and the context's AudioListener, DynamicsCompressorNode and
 * ConvolverNode. Every function here is for control threads only (never the
 * render thread), like the rest of the public API.
 */
#ifndef LABSOUND_SPATIAL_H
#define LABSOUND_SPATIAL_H

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* PannerNode                                                          */
/* ------------------------------------------------------------------ */

typedef enum ls_panning_model {
    LS_PANNING_MODEL_EQUALPOWER = 0,
    LS_PANNING_MODEL_HRTF = 1
} ls_panning_model;

typedef enum ls_distance_model {
    LS_DISTANCE_MODEL_LINEAR = 0,
    LS_DISTANCE_MODEL_INVERSE = 1,
    LS_DISTANCE_MODEL_EXPONENTIAL = 2
} ls_distance_model;

/* The panner's plain (non-AudioParam) attributes. */
typedef enum ls_panner_property {
    LS_PANNER_REF_DISTANCE = 0,      /* >= 0, default 1 */
    LS_PANNER_MAX_DISTANCE = 1,      /* > 0, default 10000 */
    LS_PANNER_ROLLOFF_FACTOR = 2,    /* >= 0, default 1 */
    LS_PANNER_CONE_INNER_ANGLE = 3,  /* degrees, default 360 */
    LS_PANNER_CONE_OUTER_ANGLE = 4,  /* degrees, default 360 */
    LS_PANNER_CONE_OUTER_GAIN = 5    /* [0, 1], default 0 */
} ls_panner_property;

typedef struct ls_panner_options {
    ls_node_options node;            /* count <= 2, mode not MAX */
    ls_panning_model panning_model;  /* default EQUALPOWER */
    ls_distance_model distance_model;/* default INVERSE */
    float position_x, position_y, position_z;          /* default 0, 0, 0 */
    float orientation_x, orientation_y, orientation_z; /* default 1, 0, 0 */
    double ref_distance, max_distance, rolloff_factor;
    double cone_inner_angle, cone_outer_angle, cone_outer_gain;
} ls_panner_options;

/** The spec's defaults. Any thread. */
LS_API ls_panner_options ls_panner_options_default(void);
/**
 * Create a PannerNode. Its params, by name: "position_x", "position_y",
 * "position_z", "orientation_x", "orientation_y", "orientation_z" (a-rate).
 * Control thread. Errors: NOT_SUPPORTED (channel count > 2, mode MAX),
 * RANGE (ref_distance < 0, max_distance <= 0, rolloff_factor < 0, a value
 * not finite), INVALID_STATE (cone_outer_gain outside [0, 1], closed
 * context), INVALID_ARGUMENT (an enum out of range), NO_MEM.
 */
LS_API ls_result ls_panner_create(ls_context *ctx, const ls_panner_options *options,
                                  ls_node **out);
LS_API ls_panning_model ls_panner_get_panning_model(const ls_node *panner);
/** Control thread. Errors: INVALID_ARGUMENT (not a panner or not an enum value), NO_MEM
 *  (the HRTF tables could not be built). */
LS_API ls_result ls_panner_set_panning_model(ls_node *panner, ls_panning_model model);
LS_API ls_distance_model ls_panner_get_distance_model(const ls_node *panner);
/** Control thread. Errors: INVALID_ARGUMENT. */
LS_API ls_result ls_panner_set_distance_model(ls_node *panner, ls_distance_model model);
/** A plain attribute's value (NaN for a bad node or property). Control thread. */
LS_API double ls_panner_get_property(const ls_node *panner, ls_panner_property prop);
/** Set a plain attribute. Control thread. Errors: RANGE (see the options; not
 *  finite), INVALID_STATE (cone_outer_gain outside [0, 1]), INVALID_ARGUMENT. */
LS_API ls_result ls_panner_set_property(ls_node *panner, ls_panner_property prop, double value);

/* ------------------------------------------------------------------ */
/* AudioListener                                                       */
/* ------------------------------------------------------------------ */

/**
 * The context's AudioListener, as a node with no inputs or outputs whose
 * params are "position_x/y/z" (default 0), "forward_x/y/z" (0, 0, -1) and
 * "up_x/y/z" (0, 1, 0), all a-rate; get them with ls_node_param_by_name.
 * Made on first use; owned by the context (borrowed: never release it).
 * Every panner of the context reads these params' values for the quantum it
 * renders. Control thread. NULL when out of memory, or when the context was
 * closed before the listener was first asked for.
 */
LS_API ls_node *ls_context_listener(ls_context *ctx);

/* ------------------------------------------------------------------ */
/* DynamicsCompressorNode                                              */
/* ------------------------------------------------------------------ */

typedef struct ls_dynamics_compressor_options {
    ls_node_options node;            /* count <= 2, mode not MAX */
    float attack;                    /* default 0.003 s, [0, 1] */
    float knee;                      /* default 30 dB, [0, 40] */
    float ratio;                     /* default 12, [1, 20] */
    float release;                   /* default 0.25 s, [0, 1] */
    float threshold;                 /* default -24 dB, [-100, 0] */
} ls_dynamics_compressor_options;
LS_API ls_dynamics_compressor_options ls_dynamics_compressor_options_default(void);
/**
 * Create a DynamicsCompressorNode. Params (k-rate, fixed): "threshold",
 * "knee", "ratio", "attack", "release". Control thread. Errors:
 * NOT_SUPPORTED (channel count > 2, mode MAX), RANGE (a value not finite),
 * INVALID_STATE (closed), NO_MEM.
 */
LS_API ls_result ls_dynamics_compressor_create(ls_context *ctx,
                                               const ls_dynamics_compressor_options *options,
                                               ls_node **out);
/** The gain reduction in dB (<= 0) of the last rendered quantum. Any thread. */
LS_API float ls_dynamics_compressor_reduction(const ls_node *compressor);

/* ------------------------------------------------------------------ */
/* ConvolverNode                                                       */
/* ------------------------------------------------------------------ */

typedef struct ls_convolver_options {
    ls_node_options node;            /* count <= 2, mode not MAX */
    ls_buffer *buffer;               /* default NULL (silence) */
    int disable_normalization;       /* default 0 */
} ls_convolver_options;
LS_API ls_convolver_options ls_convolver_options_default(void);
/**
 * Create a ConvolverNode (see ls_convolver_set_buffer for the buffer).
 * Control thread. Errors: NOT_SUPPORTED (channel options, or the buffer's
 * channels or sample rate), INVALID_STATE (closed), NO_MEM.
 */
LS_API ls_result ls_convolver_create(ls_context *ctx, const ls_convolver_options *options,
                                     ls_node **out);
/**
 * Use `buffer` (1, 2 or 4 channels at the context's sample rate) as the
 * impulse response, normalized now if ls_convolver_get_normalize says so.
 * Its samples are copied: later changes to the buffer are not heard. NULL
 * removes the response (silence). The node keeps a reference to the buffer
 * for ls_convolver_get_buffer. The FFT partitions are computed on the calling
 * thread. Control thread. Errors: NOT_SUPPORTED (channels, sample rate),
 * INVALID_ARGUMENT (not a convolver), NO_MEM.
 */
LS_API ls_result ls_convolver_set_buffer(ls_node *convolver, ls_buffer *buffer);
/** The buffer last set (borrowed), or NULL. Control thread. */
LS_API ls_buffer *ls_convolver_get_buffer(const ls_node *convolver);
/** Whether the next buffer set is normalized (default 1). Control thread. */
LS_API int ls_convolver_get_normalize(const ls_node *convolver);
/** Errors: INVALID_ARGUMENT. Control thread. */
LS_API ls_result ls_convolver_set_normalize(ls_node *convolver, int normalize);

#ifdef __cplusplus
}
#endif
#endif /* LABSOUND_SPATIAL_H */
