/*
 * Offline rendering in blocks (ls_offline_context_render_into): the same
 * samples as one whole render, bit for bit, whatever the block sizes; stops
 * at suspensions; open-ended renders (ls_offline_context_set_tail) end where
 * the rule says, computed here from the stop time; the WAV writer in blocks
 * writes the bytes ls_buffer_save_wav writes.
 */
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RATE 44100.0
#define LEN 10007   /* not a whole number of quanta */

/* oscillator (stopped at stop_s unless negative) -> lowpass -> destination */
static ls_context *make_graph(uint32_t channels, uint64_t length, double stop_s)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_offline_context_create(channels, length, RATE, &ctx));
    if (!ctx)
        return NULL;
    ls_oscillator_options oo = ls_oscillator_options_default();
    oo.type = LS_OSCILLATOR_TYPE_SAWTOOTH;
    oo.frequency = 330;
    ls_node *osc, *lp;
    CHECK_OK(ls_oscillator_create(ctx, &oo, &osc));
    ls_biquad_filter_options bo = ls_biquad_filter_options_default();
    bo.frequency = 2000;
    CHECK_OK(ls_biquad_filter_create(ctx, &bo, &lp));
    CHECK_OK(ls_node_connect(osc, lp, 0, 0));
    CHECK_OK(ls_node_connect(lp, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(osc, 0.001));
    if (stop_s >= 0)
        CHECK_OK(ls_source_stop(osc, stop_s));
    ls_node_release(osc);
    ls_node_release(lp);
    return ctx;
}

static void test_blocks_match_whole(void)
{
    ls_context *whole = make_graph(2, LEN, 0.15);
    ls_buffer *ref = NULL;
    CHECK_OK(ls_offline_context_render(whole, &ref));
    if (!ref)
        return;
    const uint64_t sizes[][4] = {{1, 127, 129, 1000}, {128, 256, 4096, 128}, {333, 5, 7000, 64}};
    for (int s = 0; s < 3; s++) {
        ls_context *ctx = make_graph(2, LEN, 0.15);
        float *out = calloc(2 * (size_t)LEN, sizeof(float));
        uint64_t pos = 0;
        int calls = 0;
        while (pos < LEN && calls < 100000) {
            uint64_t want = sizes[s][calls % 4];
            float *tmp = calloc(2 * (size_t)want, sizeof(float));
            uint64_t got = 0;
            CHECK_OK(ls_offline_context_render_into(ctx, tmp, want, want, &got));
            CHECK(got == want || pos + got == LEN);
            for (int c = 0; c < 2; c++)
                memcpy(out + (size_t)c * LEN + pos, tmp + (size_t)c * want, sizeof(float) * got);
            pos += got;
            calls++;
            free(tmp);
        }
        CHECK(pos == LEN);
        CHECK(ls_offline_context_frames_delivered(ctx) == LEN);
        CHECK(ls_context_get_state(ctx) == LS_CONTEXT_STATE_CLOSED);
        uint64_t got = 99;
        CHECK(ls_offline_context_render_into(ctx, out, LEN, 1, &got) == LS_ERROR_INVALID_STATE);
        CHECK(got == 0);
        ls_buffer *dummy = NULL;
        CHECK(ls_offline_context_render(ctx, &dummy) == LS_ERROR_INVALID_STATE);
        for (int c = 0; c < 2; c++)
            CHECK(memcmp(out + (size_t)c * LEN, ls_buffer_channel_data(ref, (uint32_t)c),
                         sizeof(float) * LEN) == 0);
        free(out);
        ls_context_release(ctx);
    }
    ls_buffer_release(ref);
    ls_context_release(whole);
}

static void test_suspension(void)
{
    ls_context *ctx = make_graph(1, LEN, -1);
    CHECK_OK(ls_offline_context_suspend_at(ctx, 1000.0 / RATE));   /* rounds down to 896 */
    float *out = calloc(LEN, sizeof(float));
    uint64_t got = 0;
    CHECK_OK(ls_offline_context_render_into(ctx, out, LEN, 3000, &got));
    CHECK(got == 896);
    CHECK(ls_context_get_state(ctx) == LS_CONTEXT_STATE_SUSPENDED);
    /* a suspension at the frame rendering stands at is refused */
    CHECK(ls_offline_context_suspend_at(ctx, 896.0 / RATE) == LS_ERROR_INVALID_STATE);
    CHECK_OK(ls_offline_context_render_into(ctx, out + got, LEN, 3000, &got));
    CHECK(got == 3000);
    CHECK(ls_context_get_state(ctx) == LS_CONTEXT_STATE_RUNNING);
    free(out);
    ls_context_release(ctx);
}

static uint64_t render_open(ls_context *ctx, uint64_t block)
{
    float *tmp = malloc(sizeof(float) * 2 * block);
    uint64_t total = 0, got = 0;
    do {
        got = 0;
        CHECK_OK(ls_offline_context_render_into(ctx, tmp, block, block, &got));
        total += got;
    } while (got == block && ls_context_get_state(ctx) != LS_CONTEXT_STATE_CLOSED);
    free(tmp);
    return total;
}

static void test_open_end(void)
{
    /* stop at 0.1 s: frame 4410 lies in the quantum [4352, 4480), which has
     * sound; quiet quanta from 4480 on; the tail of 0.05 s is 2205 frames:
     * the first quantum boundary at least 2205 frames after 4480 is 6784. */
    const uint64_t cap = 1000000;
    const double tail = 0.05;
    uint64_t quiet_from = (4410 / 128 + 1) * 128;
    uint64_t tail_frames = (uint64_t)ceil(tail * RATE);
    uint64_t expect = quiet_from + (tail_frames + 127) / 128 * 128;
    for (int b = 0; b < 2; b++) {
        ls_context *ctx = make_graph(2, cap, 0.1);
        CHECK(ls_offline_context_sources_done(ctx) == 0);
        CHECK_OK(ls_offline_context_set_tail(ctx, tail, 1e-4f));
        uint64_t n = render_open(ctx, b ? 1000 : 4096);
        CHECK(n == expect);
        CHECK(ls_context_get_state(ctx) == LS_CONTEXT_STATE_CLOSED);
        CHECK(ls_offline_context_sources_done(ctx) == 1);
        ls_context_release(ctx);
    }
    /* never stopped: the cap ends it */
    ls_context *ctx = make_graph(1, 5000, -1);
    CHECK_OK(ls_offline_context_set_tail(ctx, tail, 1e-4f));
    CHECK(render_open(ctx, 999) == 5000);
    ls_context_release(ctx);
    /* bad arguments; too late once rendering began */
    ctx = make_graph(1, 5000, -1);
    CHECK(ls_offline_context_set_tail(ctx, -1, 1e-4f) == LS_ERROR_RANGE);
    CHECK(ls_offline_context_set_tail(ctx, NAN, 1e-4f) == LS_ERROR_RANGE);
    CHECK(ls_offline_context_set_tail(ctx, 1, -1.0f) == LS_ERROR_RANGE);
    float x[128];
    uint64_t got;
    CHECK_OK(ls_offline_context_render_into(ctx, x, 128, 128, &got));
    CHECK(ls_offline_context_set_tail(ctx, 1, 1e-4f) == LS_ERROR_INVALID_STATE);
    ls_context_release(ctx);
}

static unsigned char *slurp(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc((size_t)*size);
    if (d && fread(d, 1, (size_t)*size, f) != (size_t)*size) {
        free(d);
        d = NULL;
    }
    fclose(f);
    return d;
}

static void test_wav_writer_blocks(void)
{
    const char *dir = getenv("TMPDIR");
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/ls_test_ws_a_%d.wav", dir ? dir : "/tmp", (int)getpid());
    snprintf(b, sizeof b, "%s/ls_test_ws_b_%d.wav", dir ? dir : "/tmp", (int)getpid());
    const ls_wav_format fmts[] = {LS_WAV_PCM8, LS_WAV_PCM16, LS_WAV_PCM24, LS_WAV_FLOAT32};
    for (uint32_t ch = 1; ch <= 3; ch += 2) {
        ls_buffer *buf;
        CHECK_OK(ls_buffer_create(ch, 1001, 22050, &buf));
        for (uint32_t c = 0; c < ch; c++)
            for (int i = 0; i < 1001; i++)
                ls_buffer_channel_data(buf, c)[i] = (float)sin(0.01 * i * (c + 2)) * 1.1f;
        for (int f = 0; f < 4; f++) {
            CHECK_OK(ls_buffer_save_wav(buf, a, fmts[f]));
            ls_wav_writer *w = NULL;
            CHECK_OK(ls_wav_writer_open(b, ch, 22050, fmts[f], &w));
            if (!w)
                continue;
            const float *d = ls_buffer_channel_data(buf, 0);
            uint64_t pos = 0, step = 1;
            while (pos < 1001) {
                uint64_t n = 1001 - pos < step ? 1001 - pos : step;
                CHECK_OK(ls_wav_writer_write(w, d + pos, 1001, n));
                pos += n;
                step = step * 3 + 1;
            }
            CHECK(ls_wav_writer_frames(w) == 1001);
            CHECK_OK(ls_wav_writer_close(w));
            long sa = 0, sb = 0;
            unsigned char *da = slurp(a, &sa), *db = slurp(b, &sb);
            CHECK(da && db && sa == sb && memcmp(da, db, (size_t)sa) == 0);
            free(da);
            free(db);
        }
        ls_buffer_release(buf);
    }
    ls_wav_writer *w = NULL;
    CHECK(ls_wav_writer_open(a, 0, 22050, LS_WAV_PCM16, &w) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_wav_writer_open(a, 1, 22050, (ls_wav_format)7, &w) == LS_ERROR_INVALID_ARGUMENT);
    CHECK(ls_wav_writer_open("/nonexistent-dir/x.wav", 1, 22050, LS_WAV_PCM16, &w) == LS_ERROR_IO);
    unlink(a);
    unlink(b);
}

TEST_MAIN(TEST(test_blocks_match_whole), TEST(test_suspension), TEST(test_open_end),
          TEST(test_wav_writer_blocks))
