/*
 * sfxr's synthesizer without a context: the envelope's length against
 * trunc(v^2 * 1e5) per stage + 3, the square wave's period against
 * floor(100 / (f^2 + 0.001)) supersamples (zero crossings), presets repeat by
 * seed and differ across seeds, every preset renders finite samples.
 */
#include "check.h"
#include "dsp/sfxr.h"

#include <string.h>

#define MAXN 400000
static float buf[MAXN];

static void test_envelope_length(void)
{
    ls_sfxr_settings s;
    ls_sfxr_defaults(&s);
    s.attack = 0.1f;
    s.sustain = 0.2f;
    s.decay = 0.3f;
    ls_sfxr_state st;
    ls_sfxr_start(&st, &s, 1);
    size_t n = ls_sfxr_render(&st, buf, MAXN);
    uint64_t expect = (uint64_t)(int)(0.1f * 0.1f * 100000.0f) + (uint64_t)(int)(0.2f * 0.2f * 100000.0f) +
                      (uint64_t)(int)(0.3f * 0.3f * 100000.0f) + 3;
    CHECK(n == expect);
    CHECK(ls_sfxr_envelope_frames(&s) == expect);
    CHECK(buf[n - 1] == 0.0f && buf[n - 2] == 0.0f && buf[n - 3] != 0.0f);
}

static void test_square_period(void)
{
    ls_sfxr_settings s;
    ls_sfxr_defaults(&s);
    s.sustain = 1.0f;
    s.decay = 0.0f;
    ls_sfxr_state st;
    ls_sfxr_start(&st, &s, 1);
    size_t n = ls_sfxr_render(&st, buf, 44100);
    CHECK(n == 44100);
    /* rising edges: the period is floor(100 / (0.09 + 0.001)) = 1098 supersamples */
    int first = -1, last = -1, count = 0;
    for (size_t i = 1000; i < n; i++) {
        if (buf[i - 1] < 0.0f && buf[i] >= 0.0f) {
            if (first < 0)
                first = (int)i;
            last = (int)i;
            count++;
        }
    }
    double period = (double)(last - first) / (count - 1) * 8.0;
    double expect = (double)(int)(100.0 / ((double)0.3f * 0.3f + 0.001));
    CHECK_NEAR(period, expect, 2.0);
}

static void test_presets_repeat(void)
{
    for (int p = 0; p < LS_SFXR_PRESETS; p++) {
        ls_sfxr_settings a, b, c;
        ls_sfxr_defaults(&a);
        ls_sfxr_defaults(&b);
        ls_sfxr_defaults(&c);
        CHECK(ls_sfxr_make_preset(&a, p, 9) == 0);
        ls_sfxr_make_preset(&b, p, 9);
        ls_sfxr_make_preset(&c, p, 10);
        CHECK(memcmp(&a, &b, sizeof a) == 0);
        CHECK(memcmp(&a, &c, sizeof a) != 0);
        ls_sfxr_state st;
        ls_sfxr_start(&st, &a, 3);
        size_t n = ls_sfxr_render(&st, buf, MAXN);
        CHECK(n > 0 && n <= ls_sfxr_envelope_frames(&a));
        int finite = 1;
        for (size_t i = 0; i < n; i++)
            finite &= isfinite(buf[i]) && buf[i] >= -1.0f && buf[i] <= 1.0f;
        CHECK(finite);
    }
    ls_sfxr_settings s;
    CHECK(ls_sfxr_make_preset(&s, 99, 0) == -1);
}

TEST_MAIN(TEST(test_envelope_length), TEST(test_square_period),
          TEST(test_presets_repeat))
