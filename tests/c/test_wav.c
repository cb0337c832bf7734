/*
 * WAV reading and writing: round trips through every format, files built
 * byte by byte here (EXTENSIBLE, odd unknown chunks, fmt after data), and
 * malformed files, each of which must fail with LS_ERROR_FORMAT and say why
 * (an unknown chunk running past the end names that chunk).
 *
 * Round-trip tolerance: the writer scales by 2^(b-1) - 1 and the reader by
 * 2^-(b-1), so a value x comes back within |x| + 1/2 quantization steps
 * (2^-(b-1)), at most 1.5 steps; 32-bit PCM is finer than a float, so there
 * the bound is one float32 rounding of values below 1 (1.2e-7). Floats come
 * back exactly (float64 holds every float32).
 */
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *tmp_path(void)
{
    static char path[256];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/ls_test_wav_%d.wav", dir ? dir : "/tmp", (int)getpid());
    return path;
}

static void test_round_trips(void)
{
    const ls_wav_format fmts[] = {LS_WAV_PCM8, LS_WAV_PCM16, LS_WAV_PCM24, LS_WAV_PCM32,
                                  LS_WAV_FLOAT32, LS_WAV_FLOAT64};
    const double steps[] = {1.0 / 128, 1.0 / 32768, 1.0 / 8388608, 1.0 / 2147483648.0, 0, 0};
    const uint32_t chans[] = {1, 2, 3, 6, 32};
    for (unsigned ci = 0; ci < sizeof chans / sizeof chans[0]; ci++) {
        uint32_t ch = chans[ci];
        ls_buffer *b;
        CHECK_OK(ls_buffer_create(ch, 301, 22050, &b));
        for (uint32_t c = 0; c < ch; c++) {
            float *x = ls_buffer_channel_data(b, c);
            for (int i = 0; i < 301; i++)
                x[i] = (float)sin(0.05 * i * (c + 1)) * 0.9f;
        }
        for (unsigned f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
            CHECK_OK(ls_buffer_save_wav(b, tmp_path(), fmts[f]));
            ls_buffer *r = NULL;
            ls_wav_info info;
            char msg[LS_DECODE_MESSAGE_SIZE];
            CHECK_OK(ls_wav_load(tmp_path(), &r, &info, msg));
            if (!r)
                continue;
            CHECK(info.channels == ch);
            CHECK(info.extensible == (ch > 2));
            CHECK(info.sample_rate == 22050);
            CHECK(ls_buffer_length(r) == 301);
            double worst = 0;
            for (uint32_t c = 0; c < ch; c++) {
                const float *x = ls_buffer_channel_data(b, c), *y = ls_buffer_channel_data(r, c);
                for (int i = 0; i < 301; i++)
                    worst = fmax(worst, fabs((double)x[i] - y[i]));
            }
            if (steps[f] == 0)
                CHECK(worst == 0);
            else
                CHECK(worst <= fmax(steps[f] * 1.5, 1.2e-7));
            ls_buffer_release(r);
        }
        ls_buffer_release(b);
    }
    remove(tmp_path());
}

/* A little WAV builder. */
typedef struct {
    unsigned char d[4096];
    size_t n;
} wbuf;
static void put(wbuf *w, const void *p, size_t n) { memcpy(w->d + w->n, p, n); w->n += n; }
static void u16(wbuf *w, uint32_t v) { unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)}; put(w, b, 2); }
static void u32(wbuf *w, uint32_t v) { u16(w, v & 0xFFFF); u16(w, v >> 16); }
static void fmt_chunk(wbuf *w, uint32_t tag, uint32_t ch, uint32_t rate, uint32_t bits, uint32_t block)
{
    put(w, "fmt ", 4);
    u32(w, 16);
    u16(w, tag);
    u16(w, ch);
    u32(w, rate);
    u32(w, rate * block);
    u16(w, block);
    u16(w, bits);
}
static void header(wbuf *w) { w->n = 0; put(w, "RIFF", 4); u32(w, 0); put(w, "WAVE", 4); }

static void test_hand_made(void)
{
    wbuf w;
    ls_buffer *b = NULL;
    ls_wav_info info;
    char msg[LS_DECODE_MESSAGE_SIZE];
    /* odd unknown chunk (padded), data before fmt, 16-bit stereo */
    header(&w);
    put(&w, "junk", 4);
    u32(&w, 3);
    put(&w, "abc\0", 4);
    put(&w, "data", 4);
    u32(&w, 8);
    u16(&w, 0x4000); u16(&w, 0xC000); u16(&w, 0x7FFF); u16(&w, 0x8000);
    fmt_chunk(&w, 1, 2, 8000, 16, 4);
    CHECK_OK(ls_wav_decode(w.d, w.n, &b, &info, msg));
    if (b) {
        CHECK(ls_buffer_length(b) == 2);
        CHECK(ls_buffer_channel_data(b, 0)[0] == 0.5f);
        CHECK(ls_buffer_channel_data(b, 1)[0] == -0.5f);
        CHECK(ls_buffer_channel_data(b, 1)[1] == -1.0f);
        ls_buffer_release(b);
        b = NULL;
    }
    /* EXTENSIBLE float, 3 channels; data size 0xFFFFFFFF (streamed) */
    header(&w);
    put(&w, "fmt ", 4);
    u32(&w, 40);
    u16(&w, 0xFFFE); u16(&w, 3); u32(&w, 48000); u32(&w, 48000 * 12); u16(&w, 12); u16(&w, 32);
    u16(&w, 22); u16(&w, 32); u32(&w, 0x7);
    u16(&w, 3);
    put(&w, "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71", 14);
    put(&w, "data", 4);
    u32(&w, 0xFFFFFFFFu);
    float v[6] = {0.25f, -0.75f, 1.5f, 0, 0, 0};
    put(&w, v, sizeof v);
    CHECK_OK(ls_wav_decode(w.d, w.n, &b, &info, msg));
    if (b) {
        CHECK(info.extensible == 1 && info.channel_mask == 7 && info.format_tag == 3);
        CHECK(ls_buffer_length(b) == 2);
        CHECK(ls_buffer_channel_data(b, 2)[0] == 1.5f);
        ls_buffer_release(b);
        b = NULL;
    }
    /* 8-bit unsigned */
    header(&w);
    fmt_chunk(&w, 1, 1, 11025, 8, 1);
    put(&w, "data", 4);
    u32(&w, 3);
    put(&w, "\x80\x00\xC0", 3);
    CHECK_OK(ls_wav_decode(w.d, w.n, &b, &info, msg));
    if (b) {
        CHECK(ls_buffer_channel_data(b, 0)[0] == 0.0f);
        CHECK(ls_buffer_channel_data(b, 0)[1] == -1.0f);
        CHECK(ls_buffer_channel_data(b, 0)[2] == 0.5f);
        ls_buffer_release(b);
    }
}

static void expect_format_error(const void *data, size_t n, const char *needle)
{
    ls_buffer *b = NULL;
    char msg[LS_DECODE_MESSAGE_SIZE];
    ls_result r = ls_wav_decode(data, n, &b, NULL, msg);
    CHECK(r == LS_ERROR_FORMAT || r == LS_ERROR_NOT_SUPPORTED);
    CHECK(b == NULL);
    CHECK(strstr(msg, needle) != NULL);
    if (!strstr(msg, needle))
        fprintf(stderr, "  message was: %s (wanted '%s')\n", msg, needle);
}

static void test_malformed(void)
{
    wbuf w;
    expect_format_error("", 0, "not a WAV file");
    expect_format_error("garbage garbage garbage", 23, "not a WAV file");
    header(&w);
    expect_format_error(w.d, w.n, "no 'fmt ' chunk");
    /* an unknown chunk whose size runs far past the end, before 'fmt ': the
     * error names that chunk rather than the 'fmt ' it hides; the input is an
     * exactly sized heap copy so ASan sees any read past its end */
    header(&w);
    put(&w, "JUNK", 4); u32(&w, 0x7FFFFFF0u); u32(&w, 0);
    fmt_chunk(&w, 1, 1, 8000, 16, 2);
    put(&w, "data", 4); u32(&w, 2); u16(&w, 0);
    {
        unsigned char *copy = malloc(w.n);
        memcpy(copy, w.d, w.n);
        expect_format_error(copy, w.n, "the 'JUNK' chunk's size (2147483632 bytes) runs past the end of the data");
        free(copy);
    }
    /* the same between 'fmt ' and 'data', with an id that is not printable */
    header(&w);
    fmt_chunk(&w, 1, 1, 8000, 16, 2);
    put(&w, "a\x01" "b'", 4); u32(&w, 0xFFFFFFFFu); u32(&w, 0);
    expect_format_error(w.d, w.n, "the 'a\\x01b\\x27' chunk's size (4294967295 bytes) runs past the end");
    /* after both 'fmt ' and 'data' it is trailing metadata cut short: ignored */
    header(&w);
    fmt_chunk(&w, 1, 1, 8000, 16, 2);
    put(&w, "data", 4); u32(&w, 2); u16(&w, 0x4000);
    put(&w, "LIST", 4); u32(&w, 1000); u32(&w, 0);
    {
        ls_buffer *b = NULL;
        CHECK_OK(ls_wav_decode(w.d, w.n, &b, NULL, NULL));
        if (b) {
            CHECK(ls_buffer_length(b) == 1 && ls_buffer_channel_data(b, 0)[0] == 0.5f);
            ls_buffer_release(b);
        }
    }
    /* zero channels */
    header(&w);
    fmt_chunk(&w, 1, 0, 44100, 16, 0);
    put(&w, "data", 4); u32(&w, 4); u32(&w, 0);
    expect_format_error(w.d, w.n, "0 channels");
    /* 33 channels */
    header(&w);
    fmt_chunk(&w, 1, 33, 44100, 16, 66);
    put(&w, "data", 4); u32(&w, 66); w.n += 66;
    expect_format_error(w.d, w.n, "33 channels");
    /* lying block align */
    header(&w);
    fmt_chunk(&w, 1, 2, 44100, 16, 3);
    put(&w, "data", 4); u32(&w, 4); u32(&w, 0);
    expect_format_error(w.d, w.n, "block align");
    /* huge data size */
    header(&w);
    fmt_chunk(&w, 1, 1, 44100, 16, 2);
    put(&w, "data", 4); u32(&w, 0x7FFFFFF0u); u32(&w, 0);
    expect_format_error(w.d, w.n, "truncated");
    /* truncated fmt */
    header(&w);
    put(&w, "fmt ", 4); u32(&w, 16); u16(&w, 1);
    expect_format_error(w.d, w.n, "truncated");
    /* unsupported encoding (mu-law) */
    header(&w);
    fmt_chunk(&w, 7, 1, 8000, 8, 1);
    put(&w, "data", 4); u32(&w, 2); u16(&w, 0);
    expect_format_error(w.d, w.n, "format tag 0x0007");
    /* no frames */
    header(&w);
    fmt_chunk(&w, 1, 2, 44100, 16, 4);
    put(&w, "data", 4); u32(&w, 2); u16(&w, 0);
    expect_format_error(w.d, w.n, "no complete frame");
    /* sample rate out of range */
    header(&w);
    fmt_chunk(&w, 1, 1, 100, 16, 2);
    put(&w, "data", 4); u32(&w, 2); u16(&w, 0);
    expect_format_error(w.d, w.n, "sample rate");
    /* float with 16 bits */
    header(&w);
    fmt_chunk(&w, 3, 1, 8000, 16, 2);
    put(&w, "data", 4); u32(&w, 2); u16(&w, 0);
    expect_format_error(w.d, w.n, "16-bit float");
    /* every truncation of a valid file fails cleanly or decodes fewer frames */
    header(&w);
    fmt_chunk(&w, 1, 2, 44100, 24, 6);
    put(&w, "data", 4); u32(&w, 24);
    for (int i = 0; i < 24; i++) put(&w, "\x11", 1);
    for (size_t n = 0; n < w.n; n++) {
        unsigned char *copy = malloc(n ? n : 1);   /* exact size: ASan sees any overread */
        memcpy(copy, w.d, n);
        ls_buffer *b = NULL;
        ls_result r = ls_wav_decode(copy, n, &b, NULL, NULL);
        CHECK(r == LS_ERROR_FORMAT);
        free(copy);
    }
    ls_buffer *b = NULL;
    char msg[LS_DECODE_MESSAGE_SIZE];
    CHECK(ls_wav_load("/nonexistent/dir/x.wav", &b, NULL, msg) == LS_ERROR_IO);
    CHECK(strstr(msg, "cannot open") != NULL);
}

TEST_MAIN(TEST(test_round_trips), TEST(test_hand_made), TEST(test_malformed))
