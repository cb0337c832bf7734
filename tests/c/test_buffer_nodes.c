/*
 * Buffer source, analyser and recorder through the C API alone (the Python
 * suite tests them in depth; this keeps the engine halves covered by the C
 * sanitizer runs). Expected values are the input samples themselves: these
 * paths copy exactly.
 */
#include "check.h"

#include <string.h>

#define SR 44100.0
#define N 1000

static ls_buffer *ramp_buffer(uint32_t channels, double rate, uint64_t n)
{
    ls_buffer *b;
    CHECK_OK(ls_buffer_create(channels, n, rate, &b));
    for (uint32_t c = 0; c < channels; c++) {
        float *x = ls_buffer_channel_data(b, c);
        for (uint64_t i = 0; i < n; i++)
            x[i] = (float)(c + 1) * 0.001f * (float)i;
    }
    return b;
}

static void test_source_analyser_recorder(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, 2048, SR, &ctx));
    ls_buffer *b = ramp_buffer(1, SR, N);
    ls_buffer_source_options so = ls_buffer_source_options_default();
    so.buffer = b;
    ls_node *src, *an, *rec;
    CHECK_OK(ls_buffer_source_create(ctx, &so, &src));
    ls_analyser_options ao = ls_analyser_options_default();
    ao.fft_size = 1024;
    CHECK_OK(ls_analyser_create(ctx, &ao, &an));
    CHECK_OK(ls_recorder_create(ctx, 1, &rec));
    CHECK_OK(ls_node_connect(src, an, 0, 0));          /* analyser output: nowhere */
    CHECK_OK(ls_node_connect(src, rec, 0, 0));
    CHECK_OK(ls_node_connect(rec, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_recorder_start(rec));
    CHECK_OK(ls_buffer_source_start(src, 0, 0, -1));
    CHECK(ls_buffer_source_start(src, 0, 0, -1) == LS_ERROR_INVALID_STATE);
    ls_buffer *out;
    CHECK_OK(ls_offline_context_render(ctx, &out));
    const float *y = ls_buffer_channel_data(out, 0), *x = ls_buffer_channel_data(b, 0);
    int same = 1;
    for (int i = 0; i < N; i++)
        same &= y[i] == x[i];
    for (int i = N; i < 2048; i++)
        same &= y[i] == 0.0f;
    CHECK(same);
    /* the analyser saw the input: its latest 1024 samples are the end of the render */
    float td[1024];
    CHECK(ls_analyser_get_float_time_domain_data(an, td, 1024) == 1024);
    CHECK(memcmp(td, y + 2048 - 1024, sizeof td) == 0);
    float fd[600];
    CHECK(ls_analyser_get_float_frequency_data(an, fd, 600) == 512);
    /* the recorder holds the whole render */
    ls_buffer *r;
    CHECK_OK(ls_recorder_to_buffer(rec, &r));
    CHECK(ls_buffer_length(r) == 2048);
    CHECK(memcmp(ls_buffer_channel_data(r, 0), y, sizeof(float) * 2048) == 0);
    CHECK(ls_recorder_dropped_frames(rec) == 0);
    CHECK(!ls_source_is_playing(src));
    ls_buffer_release(r);
    ls_buffer_release(out);
    ls_node_release(src);
    ls_node_release(an);
    ls_node_release(rec);
    ls_buffer_release(b);
    ls_context_release(ctx);
}

static void test_buffer_rules(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(2, 512, SR, &ctx));
    ls_buffer *b = ramp_buffer(2, 22050, 100);
    ls_node *src;
    CHECK_OK(ls_buffer_source_create(ctx, NULL, &src));
    CHECK(ls_buffer_source_buffer(src) == NULL);
    CHECK_OK(ls_buffer_source_set_buffer(src, b));
    CHECK(ls_buffer_source_set_buffer(src, b) == LS_ERROR_INVALID_STATE);
    CHECK_OK(ls_buffer_source_set_buffer(src, NULL));
    CHECK(ls_buffer_source_set_buffer(src, b) == LS_ERROR_INVALID_STATE);
    CHECK_OK(ls_buffer_source_set_loop_start(src, 0.5));
    CHECK(ls_buffer_source_set_loop_end(src, NAN) == LS_ERROR_RANGE);
    CHECK(ls_buffer_source_loop_start(src) == 0.5);
    CHECK(ls_buffer_source_start(src, -1, 0, -1) == LS_ERROR_RANGE);
    CHECK(ls_buffer_source_start(src, 0, -1, -1) == LS_ERROR_RANGE);
    CHECK(ls_buffer_source_playback_rate(src) != NULL);
    CHECK(ls_param_automation_rate(ls_buffer_source_detune(src)) == LS_AUTOMATION_RATE_K_RATE);
    ls_node *an;
    ls_analyser_options ao = ls_analyser_options_default();
    ao.fft_size = 48;
    CHECK(ls_analyser_create(ctx, &ao, &an) == LS_ERROR_INDEX_SIZE);
    ao.fft_size = 32;
    CHECK_OK(ls_analyser_create(ctx, &ao, &an));
    CHECK(ls_analyser_set_fft_size(an, 65536) == LS_ERROR_INDEX_SIZE);
    CHECK_OK(ls_analyser_set_fft_size(an, 32768));
    CHECK(ls_analyser_set_min_decibels(an, -20) == LS_ERROR_INDEX_SIZE);
    CHECK(ls_analyser_set_smoothing_time_constant(an, 2) == LS_ERROR_INDEX_SIZE);
    ls_node *rec;
    CHECK(ls_recorder_create(ctx, 0, &rec) == LS_ERROR_NOT_SUPPORTED);
    CHECK_OK(ls_recorder_create(ctx, 3, &rec));
    ls_buffer *nothing = NULL;
    CHECK(ls_recorder_to_buffer(rec, &nothing) == LS_ERROR_INVALID_STATE);
    ls_node_release(rec);
    ls_node_release(an);
    ls_node_release(src);
    ls_buffer_release(b);
    ls_context_release(ctx);
}

static int wrap_releases;
static void count_release(void *user)
{
    wrap_releases++;
    ((float *)user)[0] = -1.0f;     /* the lender sees the release */
}

/* ls_buffer_wrap: no copy, the release runs once, when the last reference goes,
 * including a reference a playing buffer source holds. */
static void test_buffer_wrap(void)
{
    static float mem[2 * 256];
    for (int i = 0; i < 2 * 256; i++)
        mem[i] = (float)i / 512.0f;
    ls_buffer *b = NULL;
    CHECK(ls_buffer_wrap(2, 256, SR, NULL, count_release, mem, &b) == LS_ERROR_INVALID_ARGUMENT);
    CHECK(ls_buffer_wrap(0, 256, SR, mem, count_release, mem, &b) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ls_buffer_wrap(2, 256, 10.0, mem, count_release, mem, &b) == LS_ERROR_NOT_SUPPORTED);
    CHECK(wrap_releases == 0);
    CHECK_OK(ls_buffer_wrap(2, 256, SR, mem, count_release, mem, &b));
    CHECK(ls_buffer_is_wrapped(b) == 1);
    CHECK(ls_buffer_channel_data(b, 0) == mem);
    CHECK(ls_buffer_channel_data(b, 1) == mem + 256);
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(2, 256, SR, &ctx));
    ls_node *src;
    CHECK_OK(ls_buffer_source_create(ctx, NULL, &src));
    CHECK_OK(ls_buffer_source_set_buffer(src, b));
    CHECK_OK(ls_node_connect(src, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_buffer_source_start(src, 0, 0, -1));
    ls_buffer_release(b);
    CHECK(wrap_releases == 0);      /* the source still holds it */
    ls_buffer *out = NULL;
    CHECK_OK(ls_offline_context_render(ctx, &out));
    int same = 1;
    for (int i = 0; i < 256; i++)
        same &= ls_buffer_channel_data(out, 1)[i] == mem[256 + i];
    CHECK(same);
    ls_buffer *plain;
    CHECK_OK(ls_buffer_create(1, 16, SR, &plain));
    CHECK(ls_buffer_is_wrapped(plain) == 0);
    ls_buffer_release(plain);
    ls_buffer_release(out);
    ls_node_release(src);
    ls_context_release(ctx);
    CHECK(wrap_releases == 1);
    CHECK(mem[0] == -1.0f);
}

TEST_MAIN(TEST(test_source_analyser_recorder), TEST(test_buffer_rules), TEST(test_buffer_wrap))
