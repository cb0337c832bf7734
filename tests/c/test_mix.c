/* Channel up-mixing and down-mixing (mix.c) against the equations of the
 * Web Audio spec, section "Channel Up-Mixing and Down-Mixing".
 *
 * Buses are built by hand over the test's own arrays. Sample values are small
 * dyadic fractions, so every sum and every product by 0.5 or 0.25 is exact
 * in float: those cases must match bit for bit. The 5.1 down-mixes multiply
 * by sqrt(0.5), which the engine rounds to float; they are compared with
 * 1e-6 absolute (values stay below 8, where one float ulp is 4.8e-7, and the
 * float rounding of sqrt(0.5) moves a result by at most 8 * 1.2e-8). */
#include "check.h"
#include "engine.h"

#include <string.h>

#define NBLK 40

static float src_mem[NBLK][LS_Q] __attribute__((aligned(64)));
static float dst_mem[NBLK][LS_Q] __attribute__((aligned(64)));
static float before[NBLK][LS_Q];

/* Distinct, exactly representable values per channel and frame. */
static float src_value(uint32_t c, uint32_t i)
{
    return (float)(c + 1) * 0.25f + (float)(i % 16) * 0.0078125f - (float)(i % 3) * 0.5f;
}
static float dst_value(uint32_t c, uint32_t i)
{
    return (float)c * -0.125f + (float)(i % 8) * 0.03125f;
}

static void make_src(ls_bus *b, uint32_t channels)
{
    memset(b, 0, sizeof *b);
    b->channels = (uint16_t)channels;
    for (uint32_t c = 0; c < channels; c++) {
        b->ch[c] = src_mem[c];
        for (uint32_t i = 0; i < LS_Q; i++)
            src_mem[c][i] = src_value(c, i);
    }
}

static void make_dst(ls_bus *b, uint32_t channels)
{
    memset(b, 0, sizeof *b);
    b->channels = (uint16_t)channels;
    for (uint32_t c = 0; c < channels; c++) {
        b->ch[c] = dst_mem[c];
        for (uint32_t i = 0; i < LS_Q; i++)
            before[c][i] = dst_mem[c][i] = dst_value(c, i);
    }
}

/* Spec equations: what output channel `o` of `out` channels receives from an
 * input of `in` channels at frame i, under "speakers". Returns false when the
 * pair has no speakers rule (the discrete rule applies). */
static bool speakers_rule(uint32_t in, uint32_t out, uint32_t o, uint32_t i, double *v)
{
    const double h = sqrt(0.5);
#define S(c) ((double)src_value((c), i))
    /* names of the input channels */
    double M = S(0);
    double L = S(0), R = in > 1 ? S(1) : 0;
    double C = in == 6 ? S(2) : 0;
    double SL = in == 4 ? S(2) : in == 6 ? S(4) : 0;
    double SR = in == 4 ? S(3) : in == 6 ? S(5) : 0;
#undef S
    double y[6] = {0, 0, 0, 0, 0, 0};
    if (in == 1 && out == 2) {            /* mono -> stereo */
        y[0] = M;                         /* output.L = input.M */
        y[1] = M;                         /* output.R = input.M */
    } else if (in == 1 && out == 4) {     /* mono -> quad */
        y[0] = M;                         /* output.L = input.M */
        y[1] = M;                         /* output.R = input.M */
        y[2] = 0;                         /* output.SL = 0 */
        y[3] = 0;                         /* output.SR = 0 */
    } else if (in == 1 && out == 6) {     /* mono -> 5.1 */
        y[2] = M;                         /* output.C = input.M; L R LFE SL SR = 0 */
    } else if (in == 2 && out == 4) {     /* stereo -> quad */
        y[0] = L;
        y[1] = R;                         /* SL = SR = 0 */
    } else if (in == 2 && out == 6) {     /* stereo -> 5.1 */
        y[0] = L;
        y[1] = R;                         /* C = LFE = SL = SR = 0 */
    } else if (in == 4 && out == 6) {     /* quad -> 5.1 */
        y[0] = L;
        y[1] = R;                         /* C = LFE = 0 */
        y[4] = SL;
        y[5] = SR;
    } else if (in == 2 && out == 1) {     /* stereo -> mono */
        y[0] = 0.5 * (L + R);
    } else if (in == 4 && out == 1) {     /* quad -> mono */
        y[0] = 0.25 * (L + R + SL + SR);
    } else if (in == 6 && out == 1) {     /* 5.1 -> mono */
        y[0] = h * (L + R) + C + 0.5 * (SL + SR);
    } else if (in == 4 && out == 2) {     /* quad -> stereo */
        y[0] = 0.5 * (L + SL);
        y[1] = 0.5 * (R + SR);
    } else if (in == 6 && out == 2) {     /* 5.1 -> stereo */
        y[0] = L + h * (C + SL);
        y[1] = R + h * (C + SR);
    } else if (in == 6 && out == 4) {     /* 5.1 -> quad */
        y[0] = L + h * C;
        y[1] = R + h * C;
        y[2] = SL;
        y[3] = SR;
    } else {
        return false;
    }
    *v = y[o];
    return true;
}

/* Discrete rule: channel o takes input channel o if there is one. */
static double discrete_rule(uint32_t in, uint32_t o, uint32_t i)
{
    return o < in ? (double)src_value(o, i) : 0.0;
}

/* Mix in -> out with interp and check every sample of every output channel;
 * returns the number of mismatches. */
static int check_pair(uint32_t in, uint32_t out, ls_channel_interpretation interp, double tol)
{
    ls_bus src, dst;
    make_src(&src, in);
    make_dst(&dst, out);
    ls__mix_sum(&dst, &src, interp);
    int bad = 0;
    for (uint32_t o = 0; o < out; o++) {
        for (uint32_t i = 0; i < LS_Q; i++) {
            double add;
            if (in == out || interp == LS_CHANNEL_INTERPRETATION_DISCRETE ||
                !speakers_rule(in, out, o, i, &add))
                add = discrete_rule(in, o, i);
            double want = (double)before[o][i] + add;
            double got = dst_mem[o][i];
            if (!(fabs(got - want) <= tol)) {
                if (bad < 4)
                    fprintf(stderr, "  %u->%u %s ch %u frame %u: got %.9g want %.9g\n", in, out,
                            interp == LS_CHANNEL_INTERPRETATION_SPEAKERS ? "speakers" : "discrete",
                            o, i, got, want);
                bad++;
            }
        }
    }
    return bad;
}

static const uint32_t layouts[] = {1, 2, 4, 6};

static void test_speakers_all_pairs(void)
{
    for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 4; b++) {
            uint32_t in = layouts[a], out = layouts[b];
            /* only the 5.1 down-mixes use sqrt(0.5); everything else is exact */
            double tol = (in == 6 && out < 6) ? 1e-6 : 0.0;
            int bad = check_pair(in, out, LS_CHANNEL_INTERPRETATION_SPEAKERS, tol);
            if (bad)
                fprintf(stderr, "speakers %u -> %u: %d mismatches\n", in, out, bad);
            CHECK(bad == 0);
        }
    }
}

static void test_discrete_all_pairs(void)
{
    for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 4; b++) {
            uint32_t in = layouts[a], out = layouts[b];
            int bad = check_pair(in, out, LS_CHANNEL_INTERPRETATION_DISCRETE, 0.0);
            if (bad)
                fprintf(stderr, "discrete %u -> %u: %d mismatches\n", in, out, bad);
            CHECK(bad == 0);
        }
    }
}

/* Spot checks of the equations with literal numbers, independent of the
 * helpers above. */
static void test_literal_values(void)
{
    ls_bus src, dst;
    /* stereo -> mono: 0.5 * (1 + 3) = 2 */
    make_src(&src, 2);
    make_dst(&dst, 1);
    src_mem[0][0] = 1.0f;
    src_mem[1][0] = 3.0f;
    dst_mem[0][0] = 0.0f;
    ls__mix_sum(&dst, &src, LS_CHANNEL_INTERPRETATION_SPEAKERS);
    CHECK(dst_mem[0][0] == 2.0f);

    /* quad -> stereo: L = 0.5 * (1 + 5) = 3, R = 0.5 * (2 + 6) = 4 */
    make_src(&src, 4);
    make_dst(&dst, 2);
    src_mem[0][0] = 1.0f;
    src_mem[1][0] = 2.0f;
    src_mem[2][0] = 5.0f;
    src_mem[3][0] = 6.0f;
    dst_mem[0][0] = dst_mem[1][0] = 0.0f;
    ls__mix_sum(&dst, &src, LS_CHANNEL_INTERPRETATION_SPEAKERS);
    CHECK(dst_mem[0][0] == 3.0f);
    CHECK(dst_mem[1][0] == 4.0f);

    /* 5.1 -> mono with L R C LFE SL SR = 1 1 1 1 1 1: 2 sqrt(0.5) + 1 + 1 */
    make_src(&src, 6);
    make_dst(&dst, 1);
    for (int c = 0; c < 6; c++)
        src_mem[c][0] = 1.0f;
    dst_mem[0][0] = 0.0f;
    ls__mix_sum(&dst, &src, LS_CHANNEL_INTERPRETATION_SPEAKERS);
    CHECK_NEAR(dst_mem[0][0], 2.0 * sqrt(0.5) + 2.0, 1e-6);

    /* 5.1 -> stereo, LFE dropped: L = 1 + sqrt(0.5) (2 + 4), R = 0 */
    make_src(&src, 6);
    make_dst(&dst, 2);
    src_mem[0][0] = 1.0f;
    src_mem[1][0] = 0.0f;
    src_mem[2][0] = 2.0f;
    src_mem[3][0] = 100.0f;
    src_mem[4][0] = 4.0f;
    src_mem[5][0] = -2.0f;
    dst_mem[0][0] = dst_mem[1][0] = 0.0f;
    ls__mix_sum(&dst, &src, LS_CHANNEL_INTERPRETATION_SPEAKERS);
    CHECK_NEAR(dst_mem[0][0], 1.0 + sqrt(0.5) * 6.0, 1e-6);
    CHECK_NEAR(dst_mem[1][0], 0.0, 1e-6);

    /* mono -> 5.1: center only */
    make_src(&src, 1);
    make_dst(&dst, 6);
    src_mem[0][0] = 0.75f;
    for (int c = 0; c < 6; c++)
        dst_mem[c][0] = 0.0f;
    ls__mix_sum(&dst, &src, LS_CHANNEL_INTERPRETATION_SPEAKERS);
    CHECK(dst_mem[0][0] == 0.0f && dst_mem[1][0] == 0.0f && dst_mem[2][0] == 0.75f &&
          dst_mem[3][0] == 0.0f && dst_mem[4][0] == 0.0f && dst_mem[5][0] == 0.0f);
}

/* Counts that are not basic layouts use the discrete rule even under
 * "speakers". */
static void test_discrete_odd_counts(void)
{
    static const ls_channel_interpretation both[] = {LS_CHANNEL_INTERPRETATION_SPEAKERS,
                                                     LS_CHANNEL_INTERPRETATION_DISCRETE};
    for (int k = 0; k < 2; k++) {
        /* 3 -> 5: channels 0..2 added, 3 and 4 untouched */
        CHECK(check_pair(3, 5, both[k], 0.0) == 0);
        /* 8 -> 2: channels 0 and 1 added, 2..7 dropped */
        CHECK(check_pair(8, 2, both[k], 0.0) == 0);
        /* one basic layout and one other count */
        CHECK(check_pair(1, 3, both[k], 0.0) == 0);
        CHECK(check_pair(6, 5, both[k], 0.0) == 0);
        CHECK(check_pair(2, 8, both[k], 0.0) == 0);
    }
    /* 8 -> 2 by literal values */
    ls_bus src, dst;
    make_src(&src, 8);
    make_dst(&dst, 2);
    for (int c = 0; c < 8; c++)
        src_mem[c][5] = (float)(c + 1);
    dst_mem[0][5] = dst_mem[1][5] = 0.5f;
    ls__mix_sum(&dst, &src, LS_CHANNEL_INTERPRETATION_DISCRETE);
    CHECK(dst_mem[0][5] == 1.5f);
    CHECK(dst_mem[1][5] == 2.5f);
}

static void test_same_count_up_to_32(void)
{
    for (uint32_t n = 1; n <= LS_MAX_CHANNELS; n++) {
        CHECK(check_pair(n, n, LS_CHANNEL_INTERPRETATION_SPEAKERS, 0.0) == 0);
        CHECK(check_pair(n, n, LS_CHANNEL_INTERPRETATION_DISCRETE, 0.0) == 0);
    }
    CHECK(check_pair(32, 1, LS_CHANNEL_INTERPRETATION_SPEAKERS, 0.0) == 0);
    CHECK(check_pair(1, 32, LS_CHANNEL_INTERPRETATION_SPEAKERS, 0.0) == 0);
}

/* The sum accumulates: two sources into one bus. */
static void test_accumulates(void)
{
    static float a[LS_Q], b0[LS_Q], b1[LS_Q], out[LS_Q];
    for (int i = 0; i < LS_Q; i++) {
        a[i] = 0.25f;
        b0[i] = 1.0f;
        b1[i] = 2.0f;
        out[i] = 0.0f;
    }
    ls_bus mono = {0}, stereo = {0}, dst = {0};
    mono.channels = 1;
    mono.ch[0] = a;
    stereo.channels = 2;
    stereo.ch[0] = b0;
    stereo.ch[1] = b1;
    dst.channels = 1;
    dst.ch[0] = out;
    ls__mix_sum(&dst, &mono, LS_CHANNEL_INTERPRETATION_SPEAKERS);
    ls__mix_sum(&dst, &stereo, LS_CHANNEL_INTERPRETATION_SPEAKERS);
    int bad = 0;
    for (int i = 0; i < LS_Q; i++)
        bad += out[i] != 1.75f;
    CHECK(bad == 0);
}

/* A silent source adds nothing, whatever its blocks hold. */
static void test_silent_skipped(void)
{
    ls_bus src, dst;
    make_src(&src, 2);
    src.silent = 1;
    make_dst(&dst, 2);
    ls__mix_sum(&dst, &src, LS_CHANNEL_INTERPRETATION_SPEAKERS);
    CHECK(memcmp(dst_mem[0], before[0], sizeof dst_mem[0]) == 0);
    CHECK(memcmp(dst_mem[1], before[1], sizeof dst_mem[1]) == 0);
    make_dst(&dst, 1);
    ls__mix_sum(&dst, &src, LS_CHANNEL_INTERPRETATION_DISCRETE);
    CHECK(memcmp(dst_mem[0], before[0], sizeof dst_mem[0]) == 0);
}

static void test_computed_channels(void)
{
    /* "max": the largest connection; channelCount is ignored */
    CHECK(ls__mix_computed_channels(1, 2, LS_CHANNEL_COUNT_MODE_MAX) == 1);
    CHECK(ls__mix_computed_channels(6, 2, LS_CHANNEL_COUNT_MODE_MAX) == 6);
    CHECK(ls__mix_computed_channels(32, 1, LS_CHANNEL_COUNT_MODE_MAX) == 32);
    /* "clamped-max": min(largest connection, channelCount) */
    CHECK(ls__mix_computed_channels(1, 2, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX) == 1);
    CHECK(ls__mix_computed_channels(6, 2, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX) == 2);
    CHECK(ls__mix_computed_channels(4, 4, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX) == 4);
    CHECK(ls__mix_computed_channels(32, 31, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX) == 31);
    /* "explicit": channelCount */
    CHECK(ls__mix_computed_channels(1, 2, LS_CHANNEL_COUNT_MODE_EXPLICIT) == 2);
    CHECK(ls__mix_computed_channels(6, 2, LS_CHANNEL_COUNT_MODE_EXPLICIT) == 2);
    CHECK(ls__mix_computed_channels(1, 32, LS_CHANNEL_COUNT_MODE_EXPLICIT) == 32);
    /* every combination of 1, 2, 4, 6 against the definitions */
    for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 4; b++) {
            uint32_t m = layouts[a], cc = layouts[b];
            CHECK(ls__mix_computed_channels(m, cc, LS_CHANNEL_COUNT_MODE_MAX) == m);
            CHECK(ls__mix_computed_channels(m, cc, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX) ==
                  (m < cc ? m : cc));
            CHECK(ls__mix_computed_channels(m, cc, LS_CHANNEL_COUNT_MODE_EXPLICIT) == cc);
        }
    }
}

TEST_MAIN(TEST(test_speakers_all_pairs), TEST(test_discrete_all_pairs), TEST(test_literal_values),
          TEST(test_discrete_odd_counts), TEST(test_same_count_up_to_32), TEST(test_accumulates),
          TEST(test_silent_skipped), TEST(test_computed_channels))
