/* The device pump (callbacks of any size -> render quanta) and the capture
 * ring, without a sound card: an offline context driven by the pump must
 * produce exactly what the render loop produces in whole quanta. */
#include "check.h"
#include "engine.h"
#include "backends/device.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES (128 * 40)

/* A stereo graph: a 997 Hz sine on the left, a 0.25 constant on the right. */
static ls_context *make_graph(void)
{
    ls_context *ctx;
    if (ls_offline_context_create(2, FRAMES, 44100.0, &ctx) != LS_OK)
        return NULL;
    ls_oscillator_options oo = ls_oscillator_options_default();
    oo.frequency = 997.0f;
    ls_node *osc, *cs, *merge_l, *merge_r;
    ls_constant_source_options co = ls_constant_source_options_default();
    co.offset = 0.25f;
    ls_gain_options go = ls_gain_options_default();
    go.node.channel_count = 2;
    CHECK_OK(ls_oscillator_create(ctx, &oo, &osc));
    CHECK_OK(ls_constant_source_create(ctx, &co, &cs));
    CHECK_OK(ls_gain_create(ctx, &go, &merge_l));
    CHECK_OK(ls_gain_create(ctx, &go, &merge_r));
    /* mono into speakers stereo up-mixes to both channels: use the sine alone
     * for a distinguishable pattern on both, plus the constant */
    CHECK_OK(ls_node_connect(osc, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_node_connect(cs, merge_l, 0, 0));
    CHECK_OK(ls_node_connect(merge_l, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(osc, 0.0));
    CHECK_OK(ls_source_start(cs, 0.001));
    ls_node_release(osc);
    ls_node_release(cs);
    ls_node_release(merge_l);
    ls_node_release(merge_r);
    return ctx;
}

static void test_pump_odd_sizes(void)
{
    /* reference: whole quanta, planar */
    ls_context *a = make_graph();
    float *ref = calloc((size_t)2 * FRAMES, sizeof(float));
    atomic_store(&a->state, LS_CONTEXT_STATE_RUNNING);
    ls__on_render_thread = 1;
    ls__render_quanta(a, ref, FRAMES / LS_Q, FRAMES);

    /* the pump, with callback sizes that are not multiples of 128 */
    ls_context *b = make_graph();
    atomic_store(&b->state, LS_CONTEXT_STATE_RUNNING);
    float fifo[2 * LS_Q];
    ls_device_pump pump;
    ls__pump_init(&pump, b, 2, fifo);
    float *out = calloc((size_t)2 * FRAMES, sizeof(float));
    static const uint32_t sizes[] = {100, 37, 441, 1, 256, 127, 129, 512, 733};
    uint32_t done = 0, k = 0, callbacks = 0;
    while (done < FRAMES - 1024) {
        uint32_t n = sizes[k++ % (sizeof sizes / sizeof sizes[0])];
        ls__pump_render(&pump, out + (size_t)done * 2, n, k == 3, 1e9 * n / 44100.0);
        done += n;
        callbacks++;
    }
    ls__on_render_thread = 0;
    int mismatches = 0;
    for (uint32_t i = 0; i < done; i++)
        for (uint32_t c = 0; c < 2; c++)
            if (out[(size_t)i * 2 + c] != ref[(size_t)c * FRAMES + i])
                mismatches++;
    CHECK(mismatches == 0);
    /* the pump rendered only what was asked for, rounded up to a quantum */
    CHECK(ls_context_current_frame(b) == (uint64_t)((done + LS_Q - 1) / LS_Q) * LS_Q);
    ls_device_stats st;
    ls__pump_stats(&pump, &st);
    CHECK(st.callbacks == callbacks);
    CHECK(st.underruns == 1);
    CHECK(st.render_load > 0.0 && st.max_render_load >= st.render_load);
    free(ref);
    free(out);
    ls_context_release(a);
    ls_context_release(b);
}

static void test_pump_suspended_is_silent(void)
{
    ls_context *b = make_graph();
    float fifo[2 * LS_Q];
    ls_device_pump pump;
    ls__pump_init(&pump, b, 2, fifo);
    float out[2 * 300];
    for (int i = 0; i < 600; i++)
        out[i] = 1.0f;
    ls__pump_render(&pump, out, 300, false, 0);
    int nonzero = 0;
    for (int i = 0; i < 600; i++)
        nonzero += out[i] != 0.0f;
    CHECK(nonzero == 0);
    CHECK(ls_context_current_frame(b) == 0);
    ls_context_release(b);
}

static void test_ring(void)
{
    ls_frame_ring ring;
    CHECK(ls__ring_init(&ring, 1000, 2));
    CHECK(ring.capacity == 1024);
    float in[2 * 700];
    for (int i = 0; i < 700; i++) {
        in[2 * i] = (float)i;
        in[2 * i + 1] = -(float)i;
    }
    float planar[2 * 700];
    uint32_t expect = 0;
    /* wrap around several times with odd sizes */
    for (int round = 0; round < 20; round++) {
        uint32_t n = 300 + (uint32_t)round * 17;
        for (uint32_t i = 0; i < n; i++) {
            in[2 * i] = (float)(expect + i);
            in[2 * i + 1] = -(float)(expect + i);
        }
        CHECK(ls__ring_write(&ring, in, n) == n);
        CHECK(ls__ring_fill(&ring) == n);
        ls__ring_read_planar(&ring, planar, n, 700);
        int bad = 0;
        for (uint32_t i = 0; i < n; i++)
            bad += planar[i] != (float)(expect + i) || planar[700 + i] != -(float)(expect + i);
        CHECK(bad == 0);
        expect += n;
    }
    /* overflow: what does not fit is dropped */
    CHECK(ls__ring_write(&ring, in, 700) == 700);
    CHECK(ls__ring_write(&ring, in, 700) == 324);
    CHECK(ls__ring_fill(&ring) == 1024);
    ls__ring_skip(&ring, 1000);
    CHECK(ls__ring_fill(&ring) == 24);
    ls__ring_destroy(&ring);
}

static void test_pump_input(void)
{
    /* the input quantum follows the ring once primed; dry ring -> silence */
    ls_context *b = make_graph();
    atomic_store(&b->state, LS_CONTEXT_STATE_RUNNING);
    float fifo[2 * LS_Q];
    ls_device_pump pump;
    ls__pump_init(&pump, b, 2, fifo);
    ls_frame_ring ring;
    CHECK(ls__ring_init(&ring, 4096, 1));
    float iq[LS_Q];
    pump.input_quantum = iq;
    atomic_store(&pump.input, &ring);
    atomic_store(&pump.input_frames_hint, 256);
    b->pump = &pump;
    float in[256], out[2 * 256];
    uint32_t channels = 0;
    float next = 1.0f;
    ls__on_render_thread = 1;
    /* margin = 256 + 128 frames: the first quantum is silent until primed */
    for (int i = 0; i < 256; i++)
        in[i] = next++;
    ls__ring_write(&ring, in, 256);
    ls__pump_render(&pump, out, 128, false, 0);
    const float *q = ls__device_input(b, &channels);
    CHECK(q != NULL && channels == 1 && q[0] == 0.0f);
    for (int i = 0; i < 256; i++)
        in[i] = next++;
    ls__ring_write(&ring, in, 256);
    ls__pump_render(&pump, out, 128, false, 0);
    q = ls__device_input(b, &channels);
    CHECK(q != NULL && q[0] == 1.0f && q[127] == 128.0f);
    ls__pump_render(&pump, out, 256, false, 0);
    q = ls__device_input(b, &channels);
    CHECK(q != NULL && q[0] == 257.0f && q[127] == 384.0f);
    /* 128 left: one more quantum, then the ring is dry -> a dropout, silence */
    ls__pump_render(&pump, out, 256, false, 0);
    q = ls__device_input(b, &channels);
    CHECK(q != NULL && q[0] == 0.0f);
    ls_device_stats st;
    ls__pump_stats(&pump, &st);
    CHECK(st.input_dropouts == 1);
    ls__on_render_thread = 0;
    b->pump = NULL;
    ls__ring_destroy(&ring);
    ls_context_release(b);
}

static void test_no_portaudio(void)
{
    /* without a device backend context, input and device stats are refused / empty */
    ls_context *ctx;
    CHECK_OK(ls_context_create(NULL, &ctx));
    CHECK(ls_context_open_input(ctx, -1, 1) == LS_ERROR_INVALID_STATE);
    CHECK(strstr(ls_devices_last_error(), "null") != NULL);
    ls_node *n;
    CHECK(ls_media_stream_source_create(ctx, &n) == LS_ERROR_INVALID_STATE);
    ls_device_stats st;
    ls_context_device_stats(ctx, &st);
    CHECK(st.callbacks == 0);
    CHECK(strcmp(ls_context_backend_name(ctx), "null") == 0);
    ls_context_close(ctx);
    ls_context_release(ctx);
}

/* Producer and consumer on two threads (what capture and render do): every
 * frame arrives once, in order; run under ThreadSanitizer by make tsan. */
#define RING_TOTAL 200000u
static void *ring_producer(void *arg)
{
    ls_frame_ring *ring = arg;
    float chunk[2 * 97];
    uint32_t next = 0;
    while (next < RING_TOTAL) {
        uint32_t n = 1 + next % 97;
        if (n > RING_TOTAL - next)
            n = RING_TOTAL - next;
        for (uint32_t i = 0; i < n; i++) {
            chunk[2 * i] = (float)(next + i);
            chunk[2 * i + 1] = -(float)(next + i);
        }
        uint32_t w = ls__ring_write(ring, chunk, n);  /* what does not fit is offered again */
        next += w;
        if (w < n)
            sched_yield();
    }
    return NULL;
}

static void test_ring_threads(void)
{
    ls_frame_ring ring;
    CHECK(ls__ring_init(&ring, 256, 2));
    pthread_t t;
    CHECK(pthread_create(&t, NULL, ring_producer, &ring) == 0);
    float planar[2 * 128];
    uint32_t expect = 0;
    int bad = 0;
    while (expect < RING_TOTAL) {
        uint32_t fill = ls__ring_fill(&ring);
        if (fill == 0) {
            sched_yield();
            continue;
        }
        uint32_t n = fill < 128 ? fill : 128;
        ls__ring_read_planar(&ring, planar, n, 128);
        for (uint32_t i = 0; i < n; i++)
            bad += planar[i] != (float)(expect + i) || planar[128 + i] != -(float)(expect + i);
        expect += n;
    }
    pthread_join(t, NULL);
    CHECK(bad == 0);
    CHECK(ls__ring_fill(&ring) == 0);
    ls__ring_destroy(&ring);
}

static void test_device_backend_choice(void)
{
    /* LS_BACKEND_DEVICE goes through the device backends; with none allowed
     * it fails cleanly, saying why, and leaves nothing behind */
    setenv("LABSOUND_AUDIO_API", "none", 1);
    ls_context_options o = ls_context_options_default();
    o.backend = LS_BACKEND_DEVICE;
    ls_context *ctx = NULL;
    CHECK(ls_context_create(&o, &ctx) == LS_ERROR_NOT_SUPPORTED);
    CHECK(ctx == NULL);
    CHECK(strstr(ls_devices_last_error(), "LABSOUND_AUDIO_API") != NULL);
    unsetenv("LABSOUND_AUDIO_API");
    /* out-of-range device options are refused before anything is opened */
    ls_device_options d = ls_device_options_default();
    d.latency_hint = LS_LATENCY_SECONDS;
    d.latency = -1.0;
    CHECK(ls_device_context_create(NULL, &d, &ctx) == LS_ERROR_RANGE);
    o.backend = LS_BACKEND_NULL;
    o.buffer_size = 100;
    CHECK(ls_device_context_create(&o, NULL, &ctx) == LS_ERROR_RANGE);
}

/* A microphone keeps sounding while it is connected, whether or not its
 * creator still holds it (its reference released right after connecting);
 * once nothing hears it, it is reclaimed. */
static void test_released_microphone_keeps_sounding(void)
{
    ls_context *ctx;
    CHECK_OK(ls_offline_context_create(1, FRAMES, 44100.0, &ctx));
    atomic_store(&ctx->state, LS_CONTEXT_STATE_RUNNING);
    float fifo[LS_Q];
    ls_device_pump pump;
    ls__pump_init(&pump, ctx, 1, fifo);
    ls_frame_ring ring;
    CHECK(ls__ring_init(&ring, 4096, 1));
    float iq[LS_Q];
    pump.input_quantum = iq;
    atomic_store(&pump.input, &ring);
    atomic_store(&pump.input_frames_hint, LS_Q);
    ctx->pump = &pump;
    /* a device base that says capture is open, for the node's creation */
    static ls_device_base fake;
    fake.input_open = 1;
    fake.in_channels = 1;
    ctx->device = &fake;
    ls_node *mic;
    CHECK_OK(ls_media_stream_source_create(ctx, &mic));
    ctx->device = NULL;
    CHECK_OK(ls_node_connect(mic, ls_context_destination(ctx), 0, 0));
    ls_node_release(mic);
    ls_context_stats st;
    ls_context_get_stats(ctx, &st);
    CHECK(st.live_nodes == 2);

    ls__on_render_thread = 1;
    float in[LS_Q], out[LS_Q];
    float next = 1.0f;
    uint32_t heard = 0;
    for (int k = 0; k < 24; k++) {
        for (int i = 0; i < LS_Q; i++)
            in[i] = next++;
        ls__ring_write(&ring, in, LS_Q);
        ls__pump_render(&pump, out, LS_Q, false, 0);
        ls__on_render_thread = 0;
        ls_context_collect(ctx);        /* reclaims what the render side finished */
        ls__on_render_thread = 1;
        /* after priming, each quantum plays the input a fixed delay later */
        if (out[0] != 0.0f) {
            heard++;
            for (int i = 1; i < LS_Q; i++)
                CHECK(out[i] == out[0] + (float)i);
        }
    }
    ls__on_render_thread = 0;
    CHECK(heard >= 20);
    ls_context_get_stats(ctx, &st);
    CHECK(st.live_nodes == 2);
    ctx->pump = NULL;
    ls__ring_destroy(&ring);
    ls_context_release(ctx);
}

TEST_MAIN(TEST(test_pump_odd_sizes), TEST(test_pump_suspended_is_silent), TEST(test_ring),
          TEST(test_pump_input), TEST(test_no_portaudio), TEST(test_device_backend_choice),
          TEST(test_ring_threads), TEST(test_released_microphone_keeps_sounding))
