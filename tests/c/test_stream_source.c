/*
 * Stream sources (include/labsound/streams.h) and their ring (src/ring.h):
 * what is written is what plays, frame for frame; a short ring gives silence
 * and counts underruns (per node and in the context's stats) until the
 * stream ends; an ended stream ends the node once played out (and an
 * open-ended render with it); a discarded stream goes silent at once; the
 * ring keeps a writer and a reader on two threads in order.
 */
#include "check.h"
#include "ring.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0

static ls_node *make_stream(ls_context *ctx, uint32_t channels, uint32_t capacity)
{
    ls_stream_source_options o = ls_stream_source_options_default();
    CHECK(o.channels == 2 && o.capacity_frames == 16384);
    o.channels = channels;
    o.capacity_frames = capacity;
    ls_node *n = NULL;
    CHECK_OK(ls_stream_source_create(ctx, &o, &n));
    if (n)
        CHECK_OK(ls_node_connect(n, ls_context_destination(ctx), 0, 0));
    return n;
}

/* x[c][i] = (i + 1) * 1e-4 * (c ? -1 : 1), planar with stride n */
static float *ramp(uint32_t channels, uint64_t n, uint64_t first)
{
    float *x = malloc(sizeof(float) * channels * n);
    for (uint32_t c = 0; c < channels; c++)
        for (uint64_t i = 0; i < n; i++)
            x[c * n + i] = (float)((first + i + 1) * 1e-4) * (c ? -1.0f : 1.0f);
    return x;
}

static void test_plays_what_is_written(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(2, 4096, RATE, &ctx));
    ls_node *s = make_stream(ctx, 2, 1024);
    float *x = ramp(2, 1000, 0);
    uint64_t w = 0;
    CHECK_OK(ls_stream_source_write(s, x, 1000, 1000, &w));
    CHECK(w == 1000);
    CHECK(ls_stream_source_queued(s) == 1000 && ls_stream_source_writable(s) == 24);
    CHECK_OK(ls_stream_source_end(s, 0));
    CHECK(ls_stream_source_write(s, x, 1000, 1, &w) == LS_ERROR_INVALID_STATE && w == 0);
    float *out = calloc(2 * 2048, sizeof(float));
    uint64_t got;
    CHECK_OK(ls_offline_context_render_into(ctx, out, 2048, 2048, &got));
    CHECK(got == 2048);
    CHECK(memcmp(out, x, sizeof(float) * 1000) == 0);
    CHECK(memcmp(out + 2048, x + 1000, sizeof(float) * 1000) == 0);
    int zeros = 1;
    for (int c = 0; c < 2; c++)
        for (int i = 1000; i < 2048; i++)
            zeros &= out[c * 2048 + i] == 0.0f;
    CHECK(zeros);
    CHECK(ls_stream_source_finished(s) == 1);
    CHECK(ls_stream_source_underruns(s) == 0);
    CHECK(ls_stream_source_frames_played(s) == 1000);
    ls_event ev;
    int ended = 0;
    while (ls_context_poll_event(ctx, &ev)) {
        if (ev.type == LS_EVENT_ENDED && ev.node == s)
            ended++;
        if (ev.node)
            ls_node_release(ev.node);
    }
    CHECK(ended == 1);
    free(out);
    free(x);
    ls_node_release(s);
    ls_context_release(ctx);
}

static void test_underruns_counted(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 4096, RATE, &ctx));
    ls_node *s = make_stream(ctx, 1, 512);
    float out[640];
    uint64_t got, w;
    /* not primed yet: an empty ring is not an underrun */
    CHECK_OK(ls_offline_context_render_into(ctx, out, 128, 128, &got));
    CHECK(ls_stream_source_underruns(s) == 0);
    float *x = ramp(1, 200, 0);
    CHECK_OK(ls_stream_source_write(s, x, 200, 200, &w));
    /* quanta: 128 frames, 72 frames (short: 1), empty (2), empty (3) */
    CHECK_OK(ls_offline_context_render_into(ctx, out, 512, 512, &got));
    CHECK(memcmp(out, x, sizeof(float) * 200) == 0);
    CHECK(out[200] == 0.0f && out[511] == 0.0f);
    CHECK(ls_stream_source_underruns(s) == 3);
    ls_context_stats st;
    ls_context_get_stats(ctx, &st);
    CHECK(st.stream_underruns == 3);
    /* ended: no more underruns, the node ends */
    CHECK_OK(ls_stream_source_end(s, 0));
    CHECK_OK(ls_offline_context_render_into(ctx, out, 256, 256, &got));
    CHECK(ls_stream_source_underruns(s) == 3 && ls_stream_source_finished(s));
    free(x);
    ls_node_release(s);
    ls_context_release(ctx);
}

static void test_discard_goes_silent(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 4096, RATE, &ctx));
    ls_node *s = make_stream(ctx, 1, 4096);
    float *x = ramp(1, 3000, 0);
    uint64_t w, got;
    CHECK_OK(ls_stream_source_write(s, x, 3000, 3000, &w));
    float out[1024];
    CHECK_OK(ls_offline_context_render_into(ctx, out, 256, 256, &got));
    CHECK(memcmp(out, x, sizeof(float) * 256) == 0);
    CHECK_OK(ls_stream_source_end(s, 1));
    CHECK_OK(ls_stream_source_end(s, 0));   /* does not undo the discard */
    CHECK_OK(ls_offline_context_render_into(ctx, out, 512, 512, &got));
    int zeros = 1;
    for (int i = 0; i < 512; i++)
        zeros &= out[i] == 0.0f;
    CHECK(zeros);
    CHECK(ls_stream_source_finished(s) && ls_stream_source_queued(s) == 0);
    CHECK(ls_stream_source_frames_played(s) == 256);
    free(x);
    ls_node_release(s);
    ls_context_release(ctx);
}

/* An open-ended render fed in chunks no longer than the ring: ends the
 * documented tail after the stream is played out, with every frame in place. */
static void test_open_render_fed_in_chunks(void)
{
    const uint64_t total = 10000, cap = 1024;
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(2, 1000000, RATE, &ctx));
    CHECK_OK(ls_offline_context_set_tail(ctx, 0.01, 1e-6f));   /* 480 frames */
    ls_node *s = make_stream(ctx, 2, (uint32_t)cap);
    float *x = ramp(2, total, 0);
    float *out = calloc(2 * 20000, sizeof(float));
    uint64_t fed = 0, done = 0;
    for (int guard = 0; guard < 1000 && ls_context_get_state(ctx) != LS_CONTEXT_STATE_CLOSED; guard++) {
        while (fed < total) {
            float tmp[2 * 1024];
            uint64_t n = total - fed < 1024 ? total - fed : 1024, w = 0;
            memcpy(tmp, x + fed, sizeof(float) * n);
            memcpy(tmp + n, x + total + fed, sizeof(float) * n);
            CHECK_OK(ls_stream_source_write(s, tmp, n, n, &w));
            fed += w;
            if (w < n)
                break;
        }
        if (fed == total)
            ls_stream_source_end(s, 0);
        uint64_t got = 0;
        float blk[2 * 700];
        CHECK_OK(ls_offline_context_render_into(ctx, blk, 700, 700, &got));
        for (int c = 0; c < 2; c++)
            memcpy(out + c * 20000 + done, blk + c * 700, sizeof(float) * got);
        done += got;
    }
    CHECK(ls_stream_source_underruns(s) == 0);
    /* the stream ends in the quantum holding frame 9999, [9984, 10112); quiet
     * from 10112; 480 frames of quiet need 4 quanta: 10624 */
    CHECK(done == 10624);
    CHECK(memcmp(out, x, sizeof(float) * total) == 0);
    CHECK(memcmp(out + 20000, x + total, sizeof(float) * total) == 0);
    free(x);
    free(out);
    ls_node_release(s);
    ls_context_release(ctx);
}

static void test_bad_arguments(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 4096, RATE, &ctx));
    ls_stream_source_options o = ls_stream_source_options_default();
    ls_node *n = NULL;
    o.channels = 0;
    CHECK(ls_stream_source_create(ctx, &o, &n) == LS_ERROR_NOT_SUPPORTED);
    o.channels = 33;
    CHECK(ls_stream_source_create(ctx, &o, &n) == LS_ERROR_NOT_SUPPORTED);
    o.channels = 1;
    o.capacity_frames = 64;
    CHECK(ls_stream_source_create(ctx, &o, &n) == LS_ERROR_RANGE);
    CHECK(n == NULL);
    ls_node *g;
    CHECK_OK(ls_gain_create(ctx, NULL, &g));
    uint64_t w = 5;
    float x[4] = {0};
    CHECK(ls_stream_source_write(g, x, 4, 4, &w) == LS_ERROR_INVALID_ARGUMENT && w == 0);
    CHECK(ls_stream_source_end(g, 0) == LS_ERROR_INVALID_ARGUMENT);
    CHECK(ls_stream_source_writable(g) == 0 && ls_stream_source_underruns(g) == 0);
    ls_node_release(g);
    o = ls_stream_source_options_default();
    CHECK_OK(ls_stream_source_create(ctx, &o, &n));
    CHECK(ls_source_start(n, 0) == LS_ERROR_INVALID_STATE);   /* plays from its creation */
    CHECK(ls_stream_source_write(n, x, 1, 4, &w) == LS_ERROR_INVALID_ARGUMENT);   /* stride < frames */
    ls_node_release(n);
    ls_context_release(ctx);
}

/* Two threads: the writer writes 0, 1, 2, ... in odd-sized blocks, the reader
 * reads odd-sized blocks and checks the sequence; neither waits for the
 * other beyond retrying. */
#define SEQ_TOTAL 2000000u
static ls_audio_ring seq_ring;

static void *seq_writer(void *arg)
{
    (void)arg;
    float buf[2 * 333];
    uint64_t next = 0;
    while (next < SEQ_TOTAL) {
        uint64_t n = SEQ_TOTAL - next < 333 ? SEQ_TOTAL - next : 333;
        for (uint64_t i = 0; i < n; i++) {
            buf[i] = (float)((next + i) % 1000003);
            buf[333 + i] = -buf[i];
        }
        uint64_t done = 0;
        while (done < n) {
            float tmp[2 * 333];
            memcpy(tmp, buf + done, sizeof(float) * (n - done));
            memcpy(tmp + (n - done), buf + 333 + done, sizeof(float) * (n - done));
            done += ls_audio_ring_write(&seq_ring, tmp, n - done, n - done);
        }
        next += n;
    }
    return NULL;
}

static void test_ring_two_threads(void)
{
    CHECK(ls_audio_ring_init(&seq_ring, 2, 1000));
    pthread_t t;
    pthread_create(&t, NULL, seq_writer, NULL);
    float a[129], b[129];
    float *dst[2] = {a, b};
    uint64_t seen = 0;
    int bad = 0;
    while (seen < SEQ_TOTAL) {
        uint64_t n = ls_audio_ring_read(&seq_ring, dst, 129);
        for (uint64_t i = 0; i < n; i++) {
            float want = (float)((seen + i) % 1000003);
            bad += a[i] != want || b[i] != -want;
        }
        seen += n;
    }
    pthread_join(t, NULL);
    CHECK(bad == 0);
    CHECK(ls_audio_ring_readable(&seq_ring) == 0 && ls_audio_ring_writable(&seq_ring) == 1000);
    ls_audio_ring_free(&seq_ring);
}

/* Interleaved int16, int32 and float frames, 1, 2 and 3 channels, written in
 * pieces that wrap the ring: each channel reads back as the sample divided by
 * 32768 or 2^31 in double, rounded to float (the planar write of those). */
static void test_interleaved_writes(void)
{
    enum { N = 1500, CAP = 1024 };
    const uint32_t channel_counts[] = {1, 2, 3};
    for (int f = 0; f < 3; f++) {
        for (int ci = 0; ci < 3; ci++) {
            const uint32_t ch = channel_counts[ci];
            int16_t *s16 = malloc(sizeof(int16_t) * N * ch);
            int32_t *s32 = malloc(sizeof(int32_t) * N * ch);
            float *f32 = malloc(sizeof(float) * N * ch);
            float *want = malloc(sizeof(float) * N * ch);    /* planar */
            uint32_t state = 12345u + (uint32_t)(f * 7 + ci);
            for (uint64_t i = 0; i < N; i++)
                for (uint32_t c = 0; c < ch; c++) {
                    state = state * 1664525u + 1013904223u;
                    int32_t v = (int32_t)state;
                    if (i == 3)
                        v = c ? INT32_MIN : INT32_MAX;    /* the extremes */
                    s16[i * ch + c] = (int16_t)(v >> 16);
                    s32[i * ch + c] = v;
                    f32[i * ch + c] = (float)v * 1e-10f;
                    want[c * N + i] = f == 0 ? (float)((double)(int16_t)(v >> 16) / 32768.0)
                                    : f == 1 ? (float)((double)v / 2147483648.0)
                                             : (float)v * 1e-10f;
                }
            const void *data = f == 0 ? (const void *)s16 : f == 1 ? (const void *)s32 : (const void *)f32;
            const size_t bytes = f == 0 ? 2 : 4;
            const ls_stream_sample_format fmt = f == 0 ? LS_STREAM_SAMPLE_S16
                                              : f == 1 ? LS_STREAM_SAMPLE_S32 : LS_STREAM_SAMPLE_F32;
            ls_context *ctx;
            CHECK_OK(ls_offline_context_create(ch, 4096, RATE, &ctx));
            ls_node *s = make_stream(ctx, ch, CAP);
            float *out = calloc((size_t)ch * N, sizeof(float));
            float *outp[3];
            for (uint32_t c = 0; c < ch; c++)
                outp[c] = out + (size_t)c * N;
            /* 700 frames, then read 600, then the rest in two writes (the
             * second wraps the ring), rendering no more than is queued */
            uint64_t w = 0, done = 0, read = 0;
            CHECK_OK(ls_stream_source_write_interleaved(s, data, fmt, 700, &w));
            CHECK(w == 700);
            done = w;
            float *tmp = calloc((size_t)ch * 4096, sizeof(float));
            uint64_t got = 0;
            CHECK_OK(ls_offline_context_render_into(ctx, tmp, 640, 640, &got));
            for (uint32_t c = 0; c < ch; c++)
                memcpy(outp[c], tmp + (size_t)c * 640, sizeof(float) * 640);
            read = 640;
            while (done < N) {
                CHECK_OK(ls_stream_source_write_interleaved(
                    s, (const unsigned char *)data + done * ch * bytes, fmt, N - done, &w));
                CHECK(w > 0);
                done += w;
                const uint64_t want_frames = 640;   /* never more than is queued */
                CHECK_OK(ls_offline_context_render_into(ctx, tmp, want_frames, want_frames, &got));
                for (uint32_t c = 0; c < ch; c++) {
                    uint64_t keep = N - read < got ? N - read : got;
                    memcpy(outp[c] + read, tmp + (size_t)c * want_frames, sizeof(float) * keep);
                }
                read += got < N - read ? got : N - read;
            }
            while (read < N) {
                CHECK_OK(ls_offline_context_render_into(ctx, tmp, 128, 128, &got));
                for (uint32_t c = 0; c < ch; c++) {
                    uint64_t keep = N - read < got ? N - read : got;
                    memcpy(outp[c] + read, tmp + (size_t)c * 128, sizeof(float) * keep);
                }
                read += got < N - read ? got : N - read;
            }
            CHECK(memcmp(out, want, sizeof(float) * ch * N) == 0);
            CHECK(ls_stream_source_write_interleaved(s, data, (ls_stream_sample_format)7, 1, &w) ==
                      LS_ERROR_INVALID_ARGUMENT && w == 0);
            CHECK_OK(ls_stream_source_end(s, 0));
            CHECK(ls_stream_source_write_interleaved(s, data, fmt, 1, &w) == LS_ERROR_INVALID_STATE &&
                  w == 0);
            free(tmp);
            free(out);
            free(want);
            free(s16);
            free(s32);
            free(f32);
            ls_node_release(s);
            ls_context_release(ctx);
        }
    }
}

TEST_MAIN(TEST(test_plays_what_is_written), TEST(test_underruns_counted), TEST(test_discard_goes_silent),
          TEST(test_open_render_fed_in_chunks), TEST(test_bad_arguments), TEST(test_ring_two_threads),
          TEST(test_interleaved_writes))
