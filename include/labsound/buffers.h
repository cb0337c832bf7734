/*
 * labsound: audio files, resampling, buffer sources, analysis and recording.
 *
 * Included by labsound.h; never include it on its own. The same rules hold as
 * for the rest of the public API: no function here may be called from the
 * render thread, and a function that returns an error changes nothing.
 */
#ifndef LABSOUND_BUFFERS_H
#define LABSOUND_BUFFERS_H

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* WAV files                                                           */
/* ------------------------------------------------------------------ */

/** Size of the message buffer the decoding functions fill on failure. */
#define LS_DECODE_MESSAGE_SIZE 256

/** What a WAV file held, as the decoder found it. */
typedef struct ls_wav_info {
    uint32_t format_tag;        /* 1 PCM, 3 IEEE float (the sub-format for EXTENSIBLE) */
    uint32_t extensible;        /* 1 if the fmt chunk was WAVE_FORMAT_EXTENSIBLE */
    uint32_t bits_per_sample;   /* container bits: 8, 16, 24, 32 or 64 */
    uint32_t valid_bits;        /* EXTENSIBLE's valid bits, else bits_per_sample */
    uint32_t channels;
    uint32_t channel_mask;      /* EXTENSIBLE's speaker mask, else 0 */
    uint32_t sample_rate;
    uint64_t frames;
} ls_wav_info;

/**
 * Decode a RIFF WAVE file held in memory into a new buffer (one reference
 * for the caller) at the file's sample rate. Reads PCM 8 (unsigned), 16, 24
 * and 32 bit (scaled by 2^-(bits-1)), IEEE float 32 and 64, plain or
 * WAVE_FORMAT_EXTENSIBLE, 1 to 32 channels; skips unknown chunks (odd sizes
 * padded as RIFF requires). Never reads outside data[0 .. size-1].
 * `message` (may be NULL) receives an English description of what is wrong
 * on failure; `info` (may be NULL) what the file held on success.
 * Any thread (no context involved). Errors: FORMAT (not a WAV file,
 * truncated, inconsistent header, unsupported encoding, no frames),
 * NOT_SUPPORTED (sample rate outside 3000..768000), NO_MEM, INVALID_ARGUMENT.
 */
LS_API ls_result ls_wav_decode(const void *data, size_t size, ls_buffer **out,
                               ls_wav_info *info, char message[LS_DECODE_MESSAGE_SIZE]);

/** ls_wav_decode on the contents of a file. Any thread (blocks on I/O).
 *  Errors: as ls_wav_decode, plus IO (the file cannot be read; message says why). */
LS_API ls_result ls_wav_load(const char *path, ls_buffer **out, ls_wav_info *info,
                             char message[LS_DECODE_MESSAGE_SIZE]);

/** A WAV file written in blocks (the same bytes ls_buffer_save_wav writes for
 *  the same samples): open, write any number of blocks, close. */
typedef struct ls_wav_writer ls_wav_writer;
/** Create (or truncate) `path` and write a header whose sizes
 *  ls_wav_writer_close fills in. Control thread (blocks on I/O).
 *  Errors: INVALID_ARGUMENT (NULL, unknown format), NOT_SUPPORTED (channels
 *  0 or > 32, rate out of range), IO (the file cannot be created; errno says
 *  why), NO_MEM. */
LS_API ls_result ls_wav_writer_open(const char *path, uint32_t channels, double sample_rate,
                                    ls_wav_format format, ls_wav_writer **out);
/** Append `frames` frames of planar float32 (channel c at data + c * stride;
 *  PCM formats clip to [-1, 1]). Control thread. Errors: INVALID_ARGUMENT,
 *  NOT_SUPPORTED (the file would pass 4 GiB: nothing is written), IO (then
 *  every later write fails too). */
LS_API ls_result ls_wav_writer_write(ls_wav_writer *w, const float *data, size_t stride,
                                     uint64_t frames);
/** Frames written so far. Any thread that owns the writer. */
LS_API uint64_t ls_wav_writer_frames(const ls_wav_writer *w);
/** Fill in the header's sizes, close the file and free the writer (whatever
 *  the result). Control thread. Errors: INVALID_ARGUMENT (NULL), IO (a write
 *  failed earlier or now). */
LS_API ls_result ls_wav_writer_close(ls_wav_writer *w);

/* ------------------------------------------------------------------ */
/* Resampling                                                          */
/* ------------------------------------------------------------------ */

/**
 * A new buffer (one reference for the caller) holding `in` resampled to
 * `sample_rate` with a band-limited windowed-sinc (Kaiser) filter: passband
 * flat to 0.9 of the lower Nyquist frequency, stopband from the lower
 * Nyquist frequency on, attenuated by at least 120 dB. The length is
 * ceil(length * sample_rate / in_rate). The same rate gives a copy.
 * Any thread (no context involved). Errors: NOT_SUPPORTED (rate outside
 * 3000..768000), NO_MEM, INVALID_ARGUMENT.
 */
LS_API ls_result ls_buffer_resample(const ls_buffer *in, double sample_rate, ls_buffer **out);

/** A new buffer holding the mean of the input's channels (one channel).
 *  Any thread. Errors: NO_MEM, INVALID_ARGUMENT. */
LS_API ls_result ls_buffer_mix_to_mono(const ls_buffer *in, ls_buffer **out);

/* ------------------------------------------------------------------ */
/* AudioBufferSourceNode                                               */
/* ------------------------------------------------------------------ */

typedef struct ls_buffer_source_options {
    ls_node_options node;
    ls_buffer *buffer;          /* default NULL; a reference is taken */
    int loop;                   /* default 0 */
    double loop_start;          /* default 0 */
    double loop_end;            /* default 0 */
    float playback_rate;        /* default 1 */
    float detune;               /* default 0 */
    ls_interpolation interpolation; /* default DEFAULT: the context's */
} ls_buffer_source_options;
LS_API ls_buffer_source_options ls_buffer_source_options_default(void);

/** Control thread. Errors: INVALID_STATE (closed context), RANGE (a value not
 *  finite), NO_MEM, INVALID_ARGUMENT. Params (k-rate, fixed): "playbackRate",
 *  "detune". */
LS_API ls_result ls_buffer_source_create(ls_context *ctx, const ls_buffer_source_options *options,
                                         ls_node **out);
/** Set the buffer (NULL allowed at any time). As the spec says, a node takes a
 *  non-null buffer once: setting another (even after NULL) fails. A buffer at
 *  another rate than the context's is resampled here, before the call returns.
 *  Control thread. Errors: INVALID_STATE (a buffer was already set), NO_MEM,
 *  INVALID_ARGUMENT. */
LS_API ls_result ls_buffer_source_set_buffer(ls_node *node, ls_buffer *buffer);
/** The buffer as given, as a new reference for the caller, or NULL. Control thread. */
LS_API ls_buffer *ls_buffer_source_buffer(const ls_node *node);
/** loop, loop_start, loop_end (seconds). Control thread. Errors: RANGE (not
 *  finite), INVALID_ARGUMENT (not a buffer source). */
LS_API ls_result ls_buffer_source_set_loop(ls_node *node, int loop);
/** How the node reads between the buffer's frames from the next render
 *  quantum on (DEFAULT: the context's). Control thread. Errors:
 *  INVALID_ARGUMENT (not a buffer source or not an enum value), NO_MEM
 *  (SINC's kernel table, built once). */
LS_API ls_result ls_buffer_source_set_interpolation(ls_node *node, ls_interpolation mode);
/** The node's interpolation (never DEFAULT; DEFAULT for a node that is not a
 *  buffer source). Control thread. */
LS_API ls_interpolation ls_buffer_source_interpolation(const ls_node *node);
LS_API ls_result ls_buffer_source_set_loop_start(ls_node *node, double seconds);
LS_API ls_result ls_buffer_source_set_loop_end(ls_node *node, double seconds);
LS_API int ls_buffer_source_loop(const ls_node *node);
LS_API double ls_buffer_source_loop_start(const ls_node *node);
LS_API double ls_buffer_source_loop_end(const ls_node *node);
LS_API ls_param *ls_buffer_source_playback_rate(ls_node *node);
LS_API ls_param *ls_buffer_source_detune(ls_node *node);
/**
 * start(when, offset, duration): play from `offset` seconds into the buffer,
 * for `duration` seconds of buffer time (negative: until the end or stop).
 * Control thread. Errors: RANGE (when, offset or a given duration negative or
 * not finite), INVALID_STATE (already started), INVALID_ARGUMENT.
 */
LS_API ls_result ls_buffer_source_start(ls_node *node, double when, double offset, double duration);

/* ------------------------------------------------------------------ */
/* AnalyserNode                                                        */
/* ------------------------------------------------------------------ */

typedef struct ls_analyser_options {
    ls_node_options node;
    uint32_t fft_size;              /* default 2048; a power of two in 32 .. 32768 */
    double min_decibels;            /* default -100 */
    double max_decibels;            /* default -30 */
    double smoothing_time_constant; /* default 0.8 */
} ls_analyser_options;
LS_API ls_analyser_options ls_analyser_options_default(void);
/** Control thread. Errors: INDEX_SIZE (fft_size, or min_decibels >= max_decibels,
 *  or smoothing outside [0, 1]), INVALID_STATE (closed), NO_MEM. */
LS_API ls_result ls_analyser_create(ls_context *ctx, const ls_analyser_options *options,
                                    ls_node **out);
/** Setters: control thread. Errors: INDEX_SIZE as above, NO_MEM, INVALID_ARGUMENT. */
LS_API ls_result ls_analyser_set_fft_size(ls_node *node, uint32_t fft_size);
LS_API ls_result ls_analyser_set_min_decibels(ls_node *node, double v);
LS_API ls_result ls_analyser_set_max_decibels(ls_node *node, double v);
LS_API ls_result ls_analyser_set_smoothing_time_constant(ls_node *node, double v);
LS_API uint32_t ls_analyser_fft_size(const ls_node *node);
LS_API double ls_analyser_min_decibels(const ls_node *node);
LS_API double ls_analyser_max_decibels(const ls_node *node);
LS_API double ls_analyser_smoothing_time_constant(const ls_node *node);
/**
 * The spec's getters. Each fills min(n, fft_size or fft_size / 2) values
 * and returns how many it wrote. The frequency getters window the latest
 * fft_size samples (Blackman), transform, smooth over time and convert to
 * dB, at most once per render quantum. Never allocate. Control thread.
 */
LS_API size_t ls_analyser_get_float_frequency_data(ls_node *node, float *out, size_t n);
LS_API size_t ls_analyser_get_byte_frequency_data(ls_node *node, uint8_t *out, size_t n);
LS_API size_t ls_analyser_get_float_time_domain_data(ls_node *node, float *out, size_t n);
LS_API size_t ls_analyser_get_byte_time_domain_data(ls_node *node, uint8_t *out, size_t n);

/* ------------------------------------------------------------------ */
/* RecorderNode                                                        */
/* ------------------------------------------------------------------ */

/** A node that passes its input through and, between start and stop, records
 *  it (mixed to `channels` channels). The render side writes into chunks the
 *  control side allocated beforehand. Control thread. Errors: NOT_SUPPORTED
 *  (channels 0 or > 32), INVALID_STATE (closed), NO_MEM. */
LS_API ls_result ls_recorder_create(ls_context *ctx, uint32_t channels, ls_node **out);
/** Start or resume recording (from the next render quantum). Control thread.
 *  Errors: INVALID_ARGUMENT, NO_MEM. */
LS_API ls_result ls_recorder_start(ls_node *node);
/** Stop recording (from the next render quantum). Control thread. */
LS_API ls_result ls_recorder_stop(ls_node *node);
/** Frames recorded so far, and frames lost because no chunk was ready. */
LS_API uint64_t ls_recorder_frames(ls_node *node);
LS_API uint64_t ls_recorder_dropped_frames(ls_node *node);
/** A new buffer holding what was recorded so far (at the context's rate).
 *  Control thread. Errors: INVALID_STATE (nothing recorded), NO_MEM. */
LS_API ls_result ls_recorder_to_buffer(ls_node *node, ls_buffer **out);

#ifdef __cplusplus
}
#endif
#endif /* LABSOUND_BUFFERS_H */
