/*
 * PeriodicWave: a reference-counted, immutable set of band-limited tables
 * built from Fourier coefficients, and the shared waves of the oscillator's
 * built-in types.
 */
#include "engine.h"
#include "dsp/wavetable.h"

#include <stdlib.h>
#include <string.h>

struct ls_periodic_wave {
    /* set once */
    ls_wavetable *table;
    float *coeffs;              /* real[n] then imag[n], as given (record.h), or NULL */
    size_t n;
    int disable_normalization;
    /* shared */
    atomic_int refcount;
};

static ls_periodic_wave *wave_from_table(ls_wavetable *table)
{
    ls_periodic_wave *w = malloc(sizeof *w);
    if (!w) {
        ls_wavetable_destroy(table);
        return NULL;
    }
    w->table = table;
    w->coeffs = NULL;
    w->n = 0;
    w->disable_normalization = 0;
    atomic_init(&w->refcount, 1);
    return w;
}

ls_result ls_periodic_wave_create(ls_context *ctx, const float *real, const float *imag,
                                  size_t n, int disable_normalization, ls_periodic_wave **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    if (n < 2)
        return LS_ERROR_INDEX_SIZE;
    for (size_t k = 0; k < n; k++)
        if ((real && !isfinite(real[k])) || (imag && !isfinite(imag[k])))
            return LS_ERROR_RANGE;
    /* the coefficients as given, for ls_periodic_wave_coefficients */
    const float sine_imag[2] = {0.0f, 1.0f};
    size_t keep = (!real && !imag) ? 2 : n;
    float *coeffs = calloc(2 * keep, sizeof(float));
    if (!coeffs)
        return LS_ERROR_NO_MEM;
    if (!real && !imag) {
        memcpy(coeffs + keep, sine_imag, sizeof sine_imag);
    } else {
        if (real)
            memcpy(coeffs, real, sizeof(float) * n);
        if (imag)
            memcpy(coeffs + keep, imag, sizeof(float) * n);
    }
    ls_wavetable *table;
    if (!real && !imag) {
        /* neither array: the spec's equivalent of a sine oscillator */
        const float sine[2] = {0.0f, 1.0f};
        table = ls_wavetable_create(NULL, sine, 2, ctx->sample_rate, !disable_normalization);
    } else {
        table = ls_wavetable_create(real, imag, n, ctx->sample_rate, !disable_normalization);
    }
    if (!table) {
        free(coeffs);
        return LS_ERROR_NO_MEM;
    }
    ls_periodic_wave *w = wave_from_table(table);
    if (!w) {
        free(coeffs);
        return LS_ERROR_NO_MEM;
    }
    w->coeffs = coeffs;
    w->n = keep;
    w->disable_normalization = disable_normalization ? 1 : 0;
    *out = w;
    return LS_OK;
}

/** Any thread. Errors: INVALID_ARGUMENT. */
ls_result ls_periodic_wave_coefficients(const ls_periodic_wave *w, const float **real,
                                        const float **imag, size_t *n,
                                        int *disable_normalization)
{
    if (!w || !real || !imag || !n || !disable_normalization || !w->coeffs)
        return LS_ERROR_INVALID_ARGUMENT;
    *real = w->coeffs;
    *imag = w->coeffs + w->n;
    *n = w->n;
    *disable_normalization = w->disable_normalization;
    return LS_OK;
}

void ls_periodic_wave_retain(ls_periodic_wave *w)
{
    if (w)
        atomic_fetch_add(&w->refcount, 1);
}

void ls_periodic_wave_release(ls_periodic_wave *w)
{
    if (w && atomic_fetch_sub(&w->refcount, 1) == 1) {
        ls_wavetable_destroy(w->table);
        free(w->coeffs);
        free(w);
    }
}

const struct ls_wavetable *ls__periodic_wave_table(const ls_periodic_wave *w)
{
    return w->table;
}

/* ------------------------------------------------------------------ */
/* Built-in waves, shared per (type, sample rate)                      */
/* ------------------------------------------------------------------ */

/* The spec's coefficients ("Oscillator Coefficients"): a[k] = 0, and b[k]
 * as below; built with normalization enabled, like the spec's built-ins. */
static ls_wavetable *build_basic(ls_oscillator_type type, double sample_rate)
{
    static const double pi = 3.14159265358979323846;
    size_t n = (size_t)ls_wavetable_base_size(sample_rate) / 2 + 1;
    if (type == LS_OSCILLATOR_TYPE_SINE)
        n = 2;
    float *b = calloc(n, sizeof(float));
    if (!b)
        return NULL;
    for (size_t k = 1; k < n; k++) {
        double kk = (double)k;
        switch (type) {
        case LS_OSCILLATOR_TYPE_SINE:
            b[k] = k == 1 ? 1.0f : 0.0f;
            break;
        case LS_OSCILLATOR_TYPE_SQUARE:
            b[k] = (k & 1) ? (float)(4.0 / (kk * pi)) : 0.0f;
            break;
        case LS_OSCILLATOR_TYPE_SAWTOOTH:
            b[k] = (float)(((k & 1) ? 2.0 : -2.0) / (kk * pi));
            break;
        case LS_OSCILLATOR_TYPE_TRIANGLE:
            /* 8 sin(k pi / 2) / (pi k)^2: 0 for even k, alternating sign for odd */
            b[k] = (k & 1) ? (float)(((k & 2) ? -8.0 : 8.0) / (pi * pi * kk * kk)) : 0.0f;
            break;
        default:
            break;
        }
    }
    ls_wavetable *t = ls_wavetable_create(NULL, b, n, sample_rate, true);
    free(b);
    return t;
}

typedef struct basic_entry {
    struct basic_entry *next;
    ls_oscillator_type type;
    double sample_rate;
    ls_periodic_wave *wave;     /* the cache's reference, kept for the process's life */
} basic_entry;

static pthread_mutex_t basic_lock = PTHREAD_MUTEX_INITIALIZER;
static basic_entry *basic_list;

ls_periodic_wave *ls__periodic_wave_basic(ls_oscillator_type type, double sample_rate)
{
    if ((int)type < 0 || type >= LS_OSCILLATOR_TYPE_CUSTOM)
        return NULL;
    pthread_mutex_lock(&basic_lock);
    ls_periodic_wave *w = NULL;
    for (basic_entry *e = basic_list; e; e = e->next)
        if (e->type == type && e->sample_rate == sample_rate) {
            w = e->wave;
            break;
        }
    if (!w) {
        basic_entry *e = malloc(sizeof *e);
        ls_wavetable *t = e ? build_basic(type, sample_rate) : NULL;
        w = t ? wave_from_table(t) : NULL;
        if (!w) {
            free(e);
            pthread_mutex_unlock(&basic_lock);
            return NULL;
        }
        e->type = type;
        e->sample_rate = sample_rate;
        e->wave = w;
        e->next = basic_list;
        basic_list = e;
    }
    ls_periodic_wave_retain(w);
    pthread_mutex_unlock(&basic_lock);
    return w;
}
