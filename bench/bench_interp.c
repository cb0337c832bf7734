/*
 * The buffer players' interpolation against a bare loop, in one process.
 *
 * The case is after webaudio-benchmark's "Simple mixing": 100 looping
 * AudioBufferSourceNodes playing a mono buffer at 38 kHz into the stereo
 * destination of a 48 kHz OfflineAudioContext, each voice from its own
 * offset (no two alike); then each voice with its own copy of the buffer
 * ("100 different buffers") and every voice alike ("100x same buffer",
 * where the sources share their work). The bare loop does the
 * same arithmetic with nothing around it: for each voice, linear
 * interpolation at positions stepped by 38000 / 48000, added into both
 * channels of a stereo mix, with a wrap at the buffer's end. Figures: ns per
 * voice-sample (one voice, one output frame, in the rendering thread's CPU
 * time) and the ratio to the bare loop, best of --repeat runs; the engine in each interpolation mode, and a single
 * voice (webaudio-benchmark's "Simple source test with resampling (Mono)").
 *
 *     cmake -S . -B build -DLS_BUILD_BENCH=ON -DCMAKE_BUILD_TYPE=Release
 *     cmake --build build --target bench_interp && build/bench_interp [seconds] [repeat]
 */
#include <labsound/labsound.h>
#include <labsound/buffers.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SR 48000.0
#define BUF_RATE 38000.0
#define BUF_FRAMES 80063
#define VOICES 100

/* The calling thread's CPU time: the offline render runs on it, and on a
 * machine shared with other work the time the thread waits for a core does
 * not count (wall-clock figures there move by 2x between runs). */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static float *make_signal(void)
{
    float *x = malloc(sizeof(float) * BUF_FRAMES);
    for (int i = 0; i < BUF_FRAMES; i++)
        x[i] = (float)(0.3 * sin(2 * M_PI * 220.0 * i / BUF_RATE) * (1 + 0.5 * sin(2 * M_PI * 3.0 * i / BUF_RATE)));
    return x;
}

/* One voice of the bare loop: linear interpolation at p + i * step, added
 * into both channels (vectorised, with an AVX2 clone as the engine's
 * kernels have: src/dsp/simd.h). */
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("tree-vectorize"), target_clones("avx2", "default")))
#endif
static void voice(float *restrict m0, float *restrict m1, const float *restrict x, double p,
                  double step)
{
    for (int i = 0; i < 128; i++) {
        const double q = p + (double)i * step;
        const int k = (int)q;
        const float fr = (float)(q - (double)k);
        const float s = x[k] + fr * (x[k + 1] - x[k]);
        m0[i] += s;
        m1[i] += s;
    }
}

/* The bare loop: 128-frame blocks, each voice's positions stepped from its
 * own playhead (wrapped at the buffer's end between blocks), linear
 * interpolation, added into a stereo mix. */
static double bare_loop(const float *x, uint64_t frames, volatile float *sink)
{
    static float mix[2][128];
    double pos[VOICES];
    const double step = BUF_RATE / SR, len = BUF_FRAMES - 1;
    for (int v = 0; v < VOICES; v++)
        pos[v] = 0.0;
    double t0 = now();
    for (uint64_t f = 0; f < frames; f += 128) {
        memset(mix, 0, sizeof mix);
        for (int v = 0; v < VOICES; v++) {
            if (pos[v] + 128 * step >= len)
                pos[v] -= len;          /* the voice restarts a block early: same work */
            voice(mix[0], mix[1], x, pos[v] < 0 ? 0 : pos[v], step);
            pos[v] += 128 * step;
        }
        *sink += mix[0][5] + mix[1][7];
    }
    return now() - t0;
}

/* `voices` looping sources into `channels` output channels: kind 0 plays
 * one buffer, each voice from its own offset (v frames: no two alike, so no
 * work is shared, and the buffer stays in the cache as the bare loop's);
 * kind 1 gives each voice its own copy of the buffer; kind 2 starts every
 * voice alike on one buffer (their work shared); kind 3 plays at playback
 * rate 2.5 (the buffer read about twice as fast as its rate). */
static double engine(const float *x, uint64_t frames, int voices, uint32_t channels,
                     ls_interpolation mode, int kind)
{
    ls_context *ctx;
    ls_buffer *buf = NULL;
    if (ls_offline_context_create(channels, frames, SR, &ctx) != LS_OK) {
        fprintf(stderr, "cannot create the context\n");
        exit(1);
    }
    ls_context_set_interpolation(ctx, mode);
    for (int v = 0; v < voices; v++) {
        if (v == 0 || kind == 1) {
            ls_buffer_release(buf);
            if (ls_buffer_create(1, BUF_FRAMES, BUF_RATE, &buf) != LS_OK) {
                fprintf(stderr, "cannot create a buffer\n");
                exit(1);
            }
            memcpy(ls_buffer_channel_data(buf, 0), x, sizeof(float) * BUF_FRAMES);
        }
        ls_buffer_source_options o = ls_buffer_source_options_default();
        o.buffer = buf;
        o.loop = 1;
        if (kind == 3)
            o.playback_rate = 2.5f;
        ls_node *n;
        if (ls_buffer_source_create(ctx, &o, &n) != LS_OK) {
            fprintf(stderr, "cannot create a source\n");
            exit(1);
        }
        ls_node_connect(n, ls_context_destination(ctx), 0, 0);
        ls_buffer_source_start(n, 0, kind == 0 ? v / BUF_RATE : 0.0, -1);
        ls_node_release(n);
    }
    ls_buffer *out = NULL;
    double t0 = now();
    ls_offline_context_render(ctx, &out);
    double t = now() - t0;
    ls_buffer_release(out);
    ls_buffer_release(buf);
    ls_context_release(ctx);
    return t;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 10.0;
    int repeat = argc > 2 ? atoi(argv[2]) : 3;
    uint64_t frames = (uint64_t)(seconds * SR) / 128 * 128;
    float *x = make_signal();
    volatile float sink = 0;
    static const char *names[] = {"", "linear", "cubic", "sinc"};
    double best_bare = 1e30, best[4] = {1e30, 1e30, 1e30, 1e30}, single[4] = {1e30, 1e30, 1e30, 1e30};
    double same[4] = {1e30, 1e30, 1e30, 1e30}, copies[4] = {1e30, 1e30, 1e30, 1e30};
    double fast[4] = {1e30, 1e30, 1e30, 1e30};
    for (int r = 0; r < repeat; r++) {
        double t = bare_loop(x, frames, &sink);
        if (t < best_bare)
            best_bare = t;
        for (int m = LS_INTERPOLATION_LINEAR; m <= LS_INTERPOLATION_SINC; m++) {
            /* sinc: a tenth of the render, it is that much slower */
            uint64_t fr = m == LS_INTERPOLATION_SINC ? frames / 10 / 128 * 128 : frames;
            t = engine(x, fr, VOICES, 2, (ls_interpolation)m, 0) * (double)frames / (double)fr;
            if (t < best[m])
                best[m] = t;
            t = engine(x, fr, VOICES, 2, (ls_interpolation)m, 1) * (double)frames / (double)fr;
            if (t < copies[m])
                copies[m] = t;
            t = engine(x, fr, VOICES, 2, (ls_interpolation)m, 2) * (double)frames / (double)fr;
            if (t < same[m])
                same[m] = t;
            t = engine(x, frames, 1, 1, (ls_interpolation)m, 0);
            if (t < single[m])
                single[m] = t;
            t = engine(x, fr, 1, 1, (ls_interpolation)m, 3) * (double)frames / (double)fr;
            if (t < fast[m])
                fast[m] = t;
        }
    }
    const double vs = (double)frames * VOICES;
    printf("100 voices of one 38 kHz mono buffer, each from its own offset, into a stereo "
           "48 kHz mix, %.0f s, best of %d\n", seconds, repeat);
    printf("%-22s %10s %12s %10s\n", "", "ns/voice-sample", "x real time", "x bare");
    printf("%-22s %10.2f %12.1f %10.2f\n", "bare C loop (linear)", 1e9 * best_bare / vs,
           seconds / best_bare, 1.0);
    for (int m = 1; m <= 3; m++)
        printf("engine, %-14s %10.2f %12.1f %10.2f\n", names[m], 1e9 * best[m] / vs,
               seconds / best[m], best[m] / best_bare);
    printf("\neach voice its own copy of the buffer (\"100 different buffers\")\n");
    for (int m = 1; m <= 3; m++)
        printf("engine, %-14s %10.2f %12.1f %10.2f\n", names[m], 1e9 * copies[m] / vs,
               seconds / copies[m], copies[m] / best_bare);
    printf("\nevery voice alike on one buffer (\"100x same buffer\": their work shared)\n");
    for (int m = 1; m <= 3; m++)
        printf("engine, %-14s %10.2f %12.1f %10.2f\n", names[m], 1e9 * same[m] / vs,
               seconds / same[m], same[m] / best_bare);
    printf("\none voice, mono 48 kHz output (\"Simple source test with resampling (Mono)\")\n");
    for (int m = 1; m <= 3; m++)
        printf("engine, %-14s %10.2f ns/sample %10.0fx real time\n", names[m],
               1e9 * single[m] / (double)frames, seconds / single[m]);
    printf("\none voice at playback rate 2.5 (the buffer read about twice as fast as its rate)\n");
    for (int m = 1; m <= 3; m++)
        printf("engine, %-14s %10.2f ns/sample %10.0fx real time\n", names[m],
               1e9 * fast[m] / (double)frames, seconds / fast[m]);
    free(x);
    return sink == 12345.0f;
}
