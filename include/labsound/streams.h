/*
 * labsound: stream sources, audio fed into a graph from outside it.
 *
 * A stream source plays what a producer writes into its bounded lock-free
 * ring (single producer, single consumer: the render thread). The render
 * thread never waits for the producer: when the ring holds less than a
 * quantum, the rest of the quantum is silence and, unless the stream has
 * ended, an underrun is counted (per node and in ls_context_stats). Once the
 * producer calls ls_stream_source_end and the ring is played out, the node
 * ends (an LS_EVENT_ENDED event) and counts no more underruns.
 *
 * The node plays from its creation (there is no start/stop). Underruns are
 * counted from the first frame the producer writes on, so a ring that has
 * not been primed yet is not an underrun.
 *
 * Offline contexts: write before each ls_offline_context_render_into call
 * at least as many frames as the call renders (a full ring holds
 * capacity_frames), so that the stream never runs dry mid-render; an
 * open-ended render (ls_offline_context_set_tail) waits for the node to end.
 */
#ifndef LABSOUND_STREAMS_H
#define LABSOUND_STREAMS_H

#include "labsound.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ls_stream_source_options {
    ls_node_options node;
    uint32_t channels;          /* output channels, 1 .. 32; default 2 */
    uint32_t capacity_frames;   /* ring size in frames, 128 .. 2^24; default 16384 */
} ls_stream_source_options;
LS_API ls_stream_source_options ls_stream_source_options_default(void);

/** A stream source playing from now on. Control thread. Errors:
 *  INVALID_ARGUMENT (NULL), NOT_SUPPORTED (channels out of range),
 *  RANGE (capacity out of range), INVALID_STATE (context closed), NO_MEM. */
LS_API ls_result ls_stream_source_create(ls_context *ctx, const ls_stream_source_options *options,
                                         ls_node **out);

/** Frames the ring has room for now. The producer's thread. 0 for anything
 *  but a stream source. */
LS_API uint64_t ls_stream_source_writable(ls_node *node);
/** Frames queued and not yet played. Any thread. */
LS_API uint64_t ls_stream_source_queued(ls_node *node);
/**
 * Append up to `frames` frames of planar float32 (channel c at data + c *
 * stride; stride >= frames with several channels); *written receives how
 * many fitted (the rest is for a later call). Never blocks. One producer
 * thread at a time. Errors (*written = 0): INVALID_ARGUMENT (not a stream
 * source, NULL), INVALID_STATE (the stream was ended).
 */
LS_API ls_result ls_stream_source_write(ls_node *node, const float *data, size_t stride,
                                        uint64_t frames, uint64_t *written);
/** The sample formats ls_stream_source_write_interleaved takes. */
typedef enum ls_stream_sample_format {
    LS_STREAM_SAMPLE_S16 = 0,   /* int16 PCM, scaled by 1/32768 */
    LS_STREAM_SAMPLE_S32 = 1,   /* int32 PCM, scaled by 1/2^31 (rounded to float) */
    LS_STREAM_SAMPLE_F32 = 2    /* float32, as it is */
} ls_stream_sample_format;
/**
 * Append up to `frames` interleaved frames (sample i of channel c at
 * data[i * channels + c], the node's channel count) of `format`, converted
 * to float and split into the channels in one pass; *written receives how
 * many fitted. What plays is what ls_stream_source_write plays for the same
 * samples converted to planar float32 (integers scaled as PCM). Float
 * samples are copied as they are: checking them is the caller's. `data` is
 * aligned for its sample type. Never blocks. One producer thread at a time.
 * Errors (*written = 0): INVALID_ARGUMENT (not a stream source, NULL, an
 * unknown format), INVALID_STATE (the stream was ended).
 */
LS_API ls_result ls_stream_source_write_interleaved(ls_node *node, const void *data,
                                                    ls_stream_sample_format format, uint64_t frames,
                                                    uint64_t *written);
/**
 * End the stream: the node plays what is queued, then ends. With `discard`
 * nonzero it drops what is queued and goes silent at the next quantum (a
 * producer that failed). Idempotent. The producer's thread.
 * Errors: INVALID_ARGUMENT (not a stream source).
 */
LS_API ls_result ls_stream_source_end(ls_node *node, int discard);
/** Quanta this node ran dry in before its stream ended. Any thread. */
LS_API uint64_t ls_stream_source_underruns(const ls_node *node);
/** Frames it has played from its ring. Any thread. */
LS_API uint64_t ls_stream_source_frames_played(const ls_node *node);
/** 1 once the stream ended and was played out (as the render side last saw). Any thread. */
LS_API int ls_stream_source_finished(const ls_node *node);
/** Its ring size and channel count. Any thread. */
LS_API uint32_t ls_stream_source_capacity(const ls_node *node);
LS_API uint32_t ls_stream_source_channels(const ls_node *node);

#ifdef __cplusplus
}
#endif

#endif /* LABSOUND_STREAMS_H */
