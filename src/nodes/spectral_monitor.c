/*
 * SpectralMonitorNode: passes its input through unchanged and keeps its
 * latest frames, down-mixed to mono, for ls_spectral_monitor_get_magnitude
 * (Blackman window and FFT: src/dsp/monitor.c).
 *
 * The ring is a seqlock keyed by frame counters. Before writing a quantum
 * the render thread announces how far it will have written (`writing`,
 * then a release fence), writes the samples (relaxed atomic stores), then
 * publishes `written` with a release store. A reader takes `written`
 * (acquire), copies the window ending there, issues an acquire fence and
 * reads `writing`: if the writer has not reached the oldest copied frame
 * (writing <= first + ring size) the copy is intact, else it copies again.
 * The render thread never waits, locks or allocates.
 */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
#include "../dsp/fft.h"
#include "../dsp/monitor.h"

#include <stdlib.h>
#include <string.h>

typedef struct sm_proc {
    ls_proc base;
    /* set once */
    uint32_t window, ring_size;   /* ring_size: a power of two >= 2 * window */
    atomic_uint *ring;            /* float bits */
    /* shared */
    atomic_uint_fast64_t writing, written;
    /* control (under the context's lock) */
    ls_fft *fft;
    float *win, *frames, *scratch, *re, *im;
    /* render */
    float mono[LS_Q];
} sm_proc;

static bool sm_process(ls_proc *base, ls_render *r)
{
    sm_proc *p = (sm_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    const float *src;
    if (in->silent) {
        memset(p->mono, 0, sizeof p->mono);
        src = p->mono;
        ls__bus_silence(r, out, in->channels);
    } else {
        if (in->channels == 1) {
            src = in->ch[0];
        } else {
            ls_bus mono;
            mono.channels = 1;
            mono.silent = 0;
            mono.nblocks = 0;
            mono.ch[0] = p->mono;
            memset(p->mono, 0, sizeof p->mono);
            ls__mix_sum(&mono, in, LS_CHANNEL_INTERPRETATION_SPEAKERS);
            src = p->mono;
        }
        if (ls__bus_alloc(r, out, in->channels))
            for (uint32_t c = 0; c < in->channels; c++)
                memcpy(out->ch[c], in->ch[c], sizeof(float) * LS_Q);
    }
    uint64_t w = atomic_load_explicit(&p->written, memory_order_relaxed);
    atomic_store_explicit(&p->writing, w + LS_Q, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    const uint32_t mask = p->ring_size - 1;
    for (uint32_t i = 0; i < LS_Q; i++)
        atomic_store_explicit(&p->ring[(w + i) & mask], ls__float_bits(src[i]),
                              memory_order_relaxed);
    atomic_store_explicit(&p->written, w + LS_Q, memory_order_release);
    return false;
}

static void sm_free(sm_proc *p)
{
    ls_fft_destroy(p->fft);
    free(p->ring);
    free(p->win);
    free(p->frames);
    free(p->scratch);
    free(p->re);
    free(p->im);
    p->fft = NULL;
    p->ring = NULL;
    p->win = p->frames = p->scratch = p->re = p->im = NULL;
}

static void sm_destroy(ls_proc *base)
{
    sm_free((sm_proc *)base);
}

static const ls_proc_vtable sm_vtable = {sm_process, NULL, sm_destroy, NULL};

static sm_proc *as_sm(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_SPECTRAL_MONITOR ? (sm_proc *)n->proc : NULL;
}

LS__OPTIONS_DEFAULT(spectral_monitor)

ls_result ls_spectral_monitor_create(ls_context *ctx, const ls_spectral_monitor_options *options,
                                     ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_spectral_monitor_options o = options ? *options : ls_spectral_monitor_options_default();
    uint32_t n = o.window_size;
    if (n < LS_SPECTRAL_MONITOR_MIN_WINDOW || n > LS_SPECTRAL_MONITOR_MAX_WINDOW || (n & (n - 1)))
        return LS_ERROR_NOT_SUPPORTED;
    const ls_node_descriptor *desc = &ls__spectral_monitor_type;
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_SPECTRAL_MONITOR, &sm_vtable,
                                    sizeof(sm_proc), 1, 1, &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    sm_proc *p = (sm_proc *)node->proc;
    p->window = n;
    p->ring_size = 2 * n < 1024 ? 1024 : 2 * n;
    p->ring = calloc(p->ring_size, sizeof(atomic_uint));
    p->fft = ls_fft_create(n);
    p->win = malloc(sizeof(float) * n);
    p->frames = malloc(sizeof(float) * n);
    p->scratch = malloc(sizeof(float) * n);
    p->re = malloc(sizeof(float) * (n / 2 + 1));
    p->im = malloc(sizeof(float) * (n / 2 + 1));
    if (!p->ring || !p->fft || !p->win || !p->frames || !p->scratch || !p->re || !p->im) {
        sm_free(p);
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    for (uint32_t i = 0; i < p->ring_size; i++)
        atomic_init(&p->ring[i], 0u);       /* float bits of 0.0f */
    atomic_init(&p->writing, 0);
    atomic_init(&p->written, 0);
    ls_blackman(p->win, n);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

uint32_t ls_spectral_monitor_get_window_size(const ls_node *node)
{
    const sm_proc *p = as_sm(node);
    return p ? p->window : 0;
}

ls_result ls_spectral_monitor_get_magnitude(ls_node *node, float *out, uint32_t capacity)
{
    sm_proc *p = as_sm(node);
    if (!p || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    const uint32_t n = p->window;
    if (capacity < n / 2 + 1)
        return LS_ERROR_INDEX_SIZE;
    ls__lock(node->ctx);
    const uint32_t mask = p->ring_size - 1;
    for (;;) {
        uint64_t w1 = atomic_load_explicit(&p->written, memory_order_acquire);
        int64_t first = (int64_t)w1 - (int64_t)n;
        for (uint32_t i = 0; i < n; i++) {
            int64_t f = first + (int64_t)i;
            p->frames[i] = f < 0 ? 0.0f
                                 : ls__bits_float(atomic_load_explicit(
                                       &p->ring[(uint64_t)f & mask], memory_order_relaxed));
        }
        atomic_thread_fence(memory_order_acquire);
        uint64_t w2 = atomic_load_explicit(&p->writing, memory_order_relaxed);
        if ((int64_t)w2 <= first + (int64_t)p->ring_size)
            break;
    }
    ls_spectrum_magnitude(p->fft, p->frames, p->win, p->scratch, p->re, p->im, out);
    ls__unlock(node->ctx);
    return LS_OK;
}

LS__CREATE_FN(spectral_monitor)

static ls_result get_window_size(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_SPECTRAL_MONITOR)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_spectral_monitor_get_window_size(node);
    return LS_OK;
}

static const ls_option_descriptor spectral_monitor_options[] = {
    {"window_size", LS_VALUE_UINT, offsetof(ls_spectral_monitor_options, window_size), 0, 512,
     NULL, NULL, LS_OPTION_POWER_OF_TWO, "frames per spectrum, a power of two from 32 to 32768", 32, 32768},
};

static const ls_setting_descriptor spectral_monitor_settings[] = {
    {"window_size", LS_VALUE_UINT, NULL, "window_size", get_window_size, NULL,
     "frames per spectrum"},
};

const ls_node_descriptor ls__spectral_monitor_type = {
    .name = "SpectralMonitor", .key = "spectral_monitor", .type = LS_NODE_TYPE_SPECTRAL_MONITOR,
    .doc = "passes its input through and keeps its latest magnitude spectrum",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .options = spectral_monitor_options, .option_count = LS__COUNT(spectral_monitor_options),
    .settings = spectral_monitor_settings,
    .setting_count = LS__COUNT(spectral_monitor_settings),
    .options_size = sizeof(ls_spectral_monitor_options),
    .options_init = spectral_monitor_options_init, .create = spectral_monitor_create_any,
};
