/*
 * AnalyserNode: passes its input through unchanged and keeps the latest
 * 32768 samples of it, down-mixed to mono, for the spec's four getters.
 *
 * Render half: down-mixes each quantum into a ring buffer (allocated at
 * creation) and publishes the count of samples written with a release store.
 * Every node in the graph is processed each quantum whether or not its output
 * is connected, so an analyser whose output goes nowhere still sees its input.
 *
 * Control half: the getters read the most recent fft_size samples from the
 * ring (the render side is at most a quantum ahead of what was published and
 * the ring holds 32768 + 128 spare samples, so what is read is never being
 * written), and compute the spectrum as the spec says: Blackman window
 * (alpha 0.16), real FFT scaled by 1/N, magnitude, smoothing over time
 * S[k] = tau S_prev[k] + (1 - tau) |X[k]|, decibels 20 log10 S[k]; at most
 * once per render quantum. All of that state lives in the processor's
 * control section, under the context's lock, with its scratch allocated when
 * fft_size is set, so the getters never allocate.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../dsp/fft.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#define AN_MAX_FFT 32768u
#define AN_RING 65536u            /* power of two, > AN_MAX_FFT + LS_Q */

typedef struct an_proc {
    ls_proc base;
    /* set once */
    float *ring;                  /* AN_RING floats */

    /* shared */
    atomic_uint_fast64_t written; /* samples written into the ring */

    /* control (under the context's lock) */
    uint32_t fft_size;
    double min_db, max_db, smoothing;
    ls_fft *fft;
    float *window, *time, *re, *im; /* fft_size, fft_size, fft_size/2+1 each */
    float *smoothed;                /* fft_size / 2 */
    float *db;                      /* fft_size / 2: the last computed frequency data */
    uint64_t db_quantum;            /* quantum the data was computed in, UINT64_MAX: none */

    /* render */
    float mono[LS_Q];
} an_proc;

/* ------------------------------------------------------------------ */
/* Render half                                                         */
/* ------------------------------------------------------------------ */

static bool an_process(ls_proc *base, ls_render *r)
{
    an_proc *p = (an_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    uint64_t w = atomic_load_explicit(&p->written, memory_order_relaxed);
    float *dst = p->ring + (w & (AN_RING - 1));   /* AN_RING is a multiple of LS_Q */
    if (in->silent) {
        memset(dst, 0, sizeof(float) * LS_Q);
        ls__bus_silence(r, out, in->channels);
    } else {
        if (in->channels == 1) {
            memcpy(dst, in->ch[0], sizeof(float) * LS_Q);
        } else {
            ls_bus mono;
            mono.channels = 1;
            mono.silent = 0;
            mono.nblocks = 0;
            mono.ch[0] = p->mono;
            memset(p->mono, 0, sizeof p->mono);
            ls__mix_sum(&mono, in, LS_CHANNEL_INTERPRETATION_SPEAKERS);
            memcpy(dst, p->mono, sizeof(float) * LS_Q);
        }
        if (ls__bus_alloc(r, out, in->channels))
            for (uint32_t c = 0; c < in->channels; c++)
                memcpy(out->ch[c], in->ch[c], sizeof(float) * LS_Q);
    }
    atomic_store_explicit(&p->written, w + LS_Q, memory_order_release);
    return false;
}

static void free_analysis(an_proc *p)
{
    ls_fft_destroy(p->fft);
    free(p->window);
    free(p->time);
    free(p->re);
    free(p->im);
    free(p->smoothed);
    free(p->db);
    p->fft = NULL;
    p->window = p->time = p->re = p->im = p->smoothed = p->db = NULL;
}

static void an_destroy(ls_proc *base)
{
    an_proc *p = (an_proc *)base;
    free_analysis(p);
    free(p->ring);
    p->ring = NULL;
}

static const ls_proc_vtable an_vtable = {an_process, NULL, an_destroy};

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

static an_proc *as_an(const ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_ANALYSER ? (an_proc *)node->proc : NULL;
}

static bool valid_fft_size(uint32_t n)
{
    return n >= 32 && n <= AN_MAX_FFT && (n & (n - 1)) == 0;
}

/* control: allocate the analysis state for fft size n (p's old state kept on failure). */
static ls_result setup_analysis(an_proc *p, uint32_t n)
{
    an_proc t = {0};
    t.fft = ls_fft_create(n);
    t.window = malloc(sizeof(float) * n);
    t.time = malloc(sizeof(float) * n);
    t.re = malloc(sizeof(float) * (n / 2 + 1));
    t.im = malloc(sizeof(float) * (n / 2 + 1));
    t.smoothed = calloc(n / 2, sizeof(float));
    t.db = malloc(sizeof(float) * (n / 2));
    if (!t.fft || !t.window || !t.time || !t.re || !t.im || !t.smoothed || !t.db) {
        free_analysis(&t);
        return LS_ERROR_NO_MEM;
    }
    const double a = 0.16, a0 = (1 - a) / 2, a1 = 0.5, a2 = a / 2;
    for (uint32_t i = 0; i < n; i++)
        t.window[i] = (float)(a0 - a1 * cos(2 * M_PI * i / n) + a2 * cos(4 * M_PI * i / n));
    free_analysis(p);
    p->fft = t.fft;
    p->window = t.window;
    p->time = t.time;
    p->re = t.re;
    p->im = t.im;
    p->smoothed = t.smoothed;
    p->db = t.db;
    p->fft_size = n;
    p->db_quantum = UINT64_MAX;
    return LS_OK;
}

LS__OPTIONS_DEFAULT(analyser)

ls_result ls_analyser_create(ls_context *ctx, const ls_analyser_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_analyser_options o = options ? *options : ls_analyser_options_default();
    const ls_node_descriptor *desc = &ls__analyser_type;
    if (!valid_fft_size(o.fft_size) || !isfinite(o.min_decibels) || !isfinite(o.max_decibels) ||
        !(o.min_decibels < o.max_decibels) || !(o.smoothing_time_constant >= 0) ||
        !(o.smoothing_time_constant <= 1))
        return LS_ERROR_INDEX_SIZE;
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_ANALYSER, &an_vtable, sizeof(an_proc), 1, 1,
                                  &desc->channel_defaults, &o.node, &node);
    if (r != LS_OK)
        return r;
    an_proc *p = (an_proc *)node->proc;
    atomic_init(&p->written, 0);
    p->ring = calloc(AN_RING, sizeof(float));
    if (!p->ring || setup_analysis(p, o.fft_size) != LS_OK) {
        an_destroy(node->proc);
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    p->min_db = o.min_decibels;
    p->max_db = o.max_decibels;
    p->smoothing = o.smoothing_time_constant;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_result ls_analyser_set_fft_size(ls_node *node, uint32_t n)
{
    an_proc *p = as_an(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!valid_fft_size(n))
        return LS_ERROR_INDEX_SIZE;
    ls__lock(node->ctx);
    ls_result r = n == p->fft_size ? LS_OK : setup_analysis(p, n);
    ls__unlock(node->ctx);
    return r;
}

static ls_result set_db(ls_node *node, double v, int which)
{
    an_proc *p = as_an(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_result r = LS_OK;
    ls__lock(node->ctx);
    if (!isfinite(v))
        r = LS_ERROR_INDEX_SIZE;
    else if (which == 0 ? !(v < p->max_db) : !(v > p->min_db))
        r = LS_ERROR_INDEX_SIZE;
    else if (which == 0)
        p->min_db = v;
    else
        p->max_db = v;
    ls__unlock(node->ctx);
    return r;
}

ls_result ls_analyser_set_min_decibels(ls_node *node, double v) { return set_db(node, v, 0); }
ls_result ls_analyser_set_max_decibels(ls_node *node, double v) { return set_db(node, v, 1); }

ls_result ls_analyser_set_smoothing_time_constant(ls_node *node, double v)
{
    an_proc *p = as_an(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!(v >= 0 && v <= 1))
        return LS_ERROR_INDEX_SIZE;
    ls__lock(node->ctx);
    p->smoothing = v;
    ls__unlock(node->ctx);
    return LS_OK;
}

uint32_t ls_analyser_fft_size(const ls_node *n) { return as_an(n) ? as_an(n)->fft_size : 0; }
double ls_analyser_min_decibels(const ls_node *n) { return as_an(n) ? as_an(n)->min_db : 0; }
double ls_analyser_max_decibels(const ls_node *n) { return as_an(n) ? as_an(n)->max_db : 0; }
double ls_analyser_smoothing_time_constant(const ls_node *n)
{
    return as_an(n) ? as_an(n)->smoothing : 0;
}

/* control, under lock: the latest n samples into dst. */
static void read_latest(an_proc *p, float *dst, uint32_t n)
{
    uint64_t w = atomic_load_explicit(&p->written, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t k = w - n + i;   /* wraps below 0 for the first samples: the ring holds zeros */
        dst[i] = (w >= (uint64_t)n - i) ? p->ring[k & (AN_RING - 1)] : 0.0f;
    }
}

/* control, under lock: p->db for the current quantum. */
static void compute_frequency(ls_node *node, an_proc *p)
{
    uint64_t q = ls_context_current_frame(node->ctx) / LS_Q;
    if (q == p->db_quantum)
        return;
    p->db_quantum = q;
    uint32_t n = p->fft_size;
    read_latest(p, p->time, n);
    for (uint32_t i = 0; i < n; i++)
        p->time[i] *= p->window[i];
    ls_fft_forward(p->fft, p->time, p->re, p->im);
    const float tau = (float)p->smoothing, scale = 1.0f / (float)n;
    for (uint32_t k = 0; k < n / 2; k++) {
        float mag = sqrtf(p->re[k] * p->re[k] + p->im[k] * p->im[k]) * scale;
        float s = tau * p->smoothed[k] + (1.0f - tau) * mag;
        if (!isfinite(s))
            s = 0.0f;
        p->smoothed[k] = s;
        p->db[k] = s > 0.0f ? 20.0f * log10f(s) : -INFINITY;
    }
}

size_t ls_analyser_get_float_frequency_data(ls_node *node, float *out, size_t n)
{
    an_proc *p = as_an(node);
    if (!p || !out)
        return 0;
    ls__lock(node->ctx);
    compute_frequency(node, p);
    size_t m = n < p->fft_size / 2 ? n : p->fft_size / 2;
    memcpy(out, p->db, sizeof(float) * m);
    ls__unlock(node->ctx);
    return m;
}

size_t ls_analyser_get_byte_frequency_data(ls_node *node, uint8_t *out, size_t n)
{
    an_proc *p = as_an(node);
    if (!p || !out)
        return 0;
    ls__lock(node->ctx);
    compute_frequency(node, p);
    size_t m = n < p->fft_size / 2 ? n : p->fft_size / 2;
    const double k = 255.0 / (p->max_db - p->min_db);
    for (size_t i = 0; i < m; i++) {
        double v = floor(k * ((double)p->db[i] - p->min_db));
        out[i] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
    }
    ls__unlock(node->ctx);
    return m;
}

size_t ls_analyser_get_float_time_domain_data(ls_node *node, float *out, size_t n)
{
    an_proc *p = as_an(node);
    if (!p || !out)
        return 0;
    ls__lock(node->ctx);
    size_t m = n < p->fft_size ? n : p->fft_size;
    read_latest(p, p->time, p->fft_size);
    memcpy(out, p->time, sizeof(float) * m);
    ls__unlock(node->ctx);
    return m;
}

size_t ls_analyser_get_byte_time_domain_data(ls_node *node, uint8_t *out, size_t n)
{
    an_proc *p = as_an(node);
    if (!p || !out)
        return 0;
    ls__lock(node->ctx);
    size_t m = n < p->fft_size ? n : p->fft_size;
    read_latest(p, p->time, p->fft_size);
    for (size_t i = 0; i < m; i++) {
        double v = floor(128.0 * (1.0 + (double)p->time[i]));
        out[i] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
    }
    ls__unlock(node->ctx);
    return m;
}

LS__CREATE_FN(analyser)

static ls_result get_fft_size(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_ANALYSER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_analyser_fft_size(node);
    return LS_OK;
}

static ls_result set_fft_size(ls_node *node, const ls_value *v)
{
    return ls_analyser_set_fft_size(node, (uint32_t)v->i);
}

static ls_result get_min_decibels(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_ANALYSER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_analyser_min_decibels(node);
    return LS_OK;
}

static ls_result set_min_decibels(ls_node *node, const ls_value *v)
{
    return ls_analyser_set_min_decibels(node, (double)v->f);
}

static ls_result get_max_decibels(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_ANALYSER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_analyser_max_decibels(node);
    return LS_OK;
}

static ls_result set_max_decibels(ls_node *node, const ls_value *v)
{
    return ls_analyser_set_max_decibels(node, (double)v->f);
}

static ls_result get_smoothing_time_constant(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_ANALYSER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_analyser_smoothing_time_constant(node);
    return LS_OK;
}

static ls_result set_smoothing_time_constant(ls_node *node, const ls_value *v)
{
    return ls_analyser_set_smoothing_time_constant(node, (double)v->f);
}

static const ls_option_descriptor analyser_options[] = {
    {"fft_size", LS_VALUE_UINT, offsetof(ls_analyser_options, fft_size), 0, 2048, NULL, NULL,
     LS_OPTION_POWER_OF_TWO,
     "frames per analysis, a power of two from 32 to 32768", 32, 32768},
    {"min_decibels", LS_VALUE_DOUBLE, offsetof(ls_analyser_options, min_decibels), 0, -100.0, NULL,
     NULL, 0,
     "bottom of the byte data's range in dB"},
    {"max_decibels", LS_VALUE_DOUBLE, offsetof(ls_analyser_options, max_decibels), 0, -30.0, NULL,
     NULL, 0,
     "top of the byte data's range in dB"},
    {"smoothing_time_constant", LS_VALUE_DOUBLE, offsetof(ls_analyser_options,
     smoothing_time_constant), 0, 0.8, NULL, NULL, 0,
     "averaging of each spectrum with the previous one, 0 to 1", 0, 1},
};

static const ls_setting_descriptor analyser_settings[] = {
    {"fft_size", LS_VALUE_UINT, NULL, "fft_size", get_fft_size, set_fft_size,
     "frames per analysis, a power of two from 32 to 32768"},
    {"min_decibels", LS_VALUE_DOUBLE, NULL, "min_decibels", get_min_decibels, set_min_decibels,
     "bottom of the byte data's range in dB"},
    {"max_decibels", LS_VALUE_DOUBLE, NULL, "max_decibels", get_max_decibels, set_max_decibels,
     "top of the byte data's range in dB"},
    {"smoothing_time_constant", LS_VALUE_DOUBLE, NULL, "smoothing_time_constant",
     get_smoothing_time_constant, set_smoothing_time_constant,
     "averaging of each spectrum with the previous one, 0 to 1"},
};

const ls_node_descriptor ls__analyser_type = {
    .name = "Analyser", .key = "analyser", .type = LS_NODE_TYPE_ANALYSER,
    .doc = "passes its input through and gives its waveform and spectrum",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .options = analyser_options, .option_count = LS__COUNT(analyser_options),
    .settings = analyser_settings, .setting_count = LS__COUNT(analyser_settings),
    .options_size = sizeof(ls_analyser_options),
    .options_init = analyser_options_init, .create = analyser_create_any,
};
