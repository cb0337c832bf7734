/*
 * ConvolverNode: convolution with an impulse response of 1, 2 or 4
 * channels (dsp/partconv.h: zero latency, non-uniformly partitioned FFT).
 *
 * The spec's channel rules: the input (mixed to at most 2 channels) is taken
 * as stereo (a mono input feeds both sides). A mono response is used for
 * both sides; a stereo one convolves left with channel 0 and right with
 * channel 1; a 4-channel ("true stereo") one gives
 *   left = inL * ir0 + inR * ir2,  right = inL * ir1 + inR * ir3.
 * The output is mono only for a mono input with a mono response.
 *
 * Control half: setting a buffer copies and normalizes its samples into a
 * new kernel (the FFTs of the partitions are computed there, on the control
 * thread) that travels to the render side in a message; the kernel it
 * replaces comes back on the return stack and is freed on the control side.
 */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
#include "../dsp/partconv.h"
#include "listener.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CONV_MSG_KERNEL 100       /* ptr = conv_kernel* (or NULL) to swap in */

typedef struct conv_kernel {
    ls_returnable ret;            /* given back when replaced */
    uint32_t ir_channels;         /* 1, 2 or 4 */
    uint32_t nconv;               /* 2 or 4 */
    uint32_t tail;                /* frames */
    ls_partconv *conv[4];
} conv_kernel;

typedef struct conv_proc {
    ls_proc base;
    /* control (under the context's lock) */
    ls_buffer *c_buffer;          /* a reference, for the getter */
    int c_normalize;
    /* render */
    conv_kernel *kernel;
    uint32_t quiet;               /* frames of silent input since the last sound */
    uint32_t last_channels;       /* input channels last heard */
    float tmp[LS_Q];
} conv_proc;

static void kernel_free(conv_kernel *k)
{
    if (!k)
        return;
    for (uint32_t i = 0; i < 4; i++)
        ls_partconv_destroy(k->conv[i]);
    free(k);
}

static void kernel_dispose(ls_context *ctx, ls_returnable *item)
{
    (void)ctx;
    kernel_free((conv_kernel *)item);
}

/* The spec's normalization scale (RMS power, calibrated to -58 dB, scaled
 * by 44100 / sample rate, halved for 4 channels). */
static float normalization_scale(ls_buffer *b)
{
    uint32_t ch = ls_buffer_number_of_channels(b);
    uint64_t len = ls_buffer_length(b);
    double power = 0.0;
    for (uint32_t c = 0; c < ch; c++) {
        const float *x = ls_buffer_channel_data(b, c);
        for (uint64_t i = 0; i < len; i++)
            power += (double)x[i] * x[i];
    }
    power = sqrt(power / ((double)ch * (double)len));
    const double min_power = 0.000125;
    if (!isfinite(power) || power < min_power)
        power = min_power;
    double scale = 1.0 / power;
    scale *= pow(10.0, -58.0 / 20.0);
    scale *= 44100.0 / ls_buffer_sample_rate(b);
    if (ch == 4)
        scale *= 0.5;
    return (float)scale;
}

static conv_kernel *kernel_new(ls_buffer *b, int normalize)
{
    conv_kernel *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->ret.dispose = kernel_dispose;
    k->ir_channels = ls_buffer_number_of_channels(b);
    k->nconv = k->ir_channels == 4 ? 4 : 2;
    uint64_t len = ls_buffer_length(b);
    if (len > UINT32_MAX / 2) {
        free(k);
        return NULL;
    }
    float scale = normalize ? normalization_scale(b) : 1.0f;
    for (uint32_t i = 0; i < k->nconv; i++) {
        uint32_t src = i < k->ir_channels ? i : k->ir_channels - 1;
        k->conv[i] = ls_partconv_create(ls_buffer_channel_data(b, src), (uint32_t)len, scale);
        if (!k->conv[i]) {
            kernel_free(k);
            return NULL;
        }
    }
    k->tail = ls_partconv_tail_frames(k->conv[0]);
    return k;
}

/* ------------------------------------------------------------------ */
/* Render half                                                         */
/* ------------------------------------------------------------------ */

static bool conv_process(ls_proc *base, ls_render *r)
{
    conv_proc *p = (conv_proc *)base;
    ls_bus *in = &base->inputs[0].bus, *out = &base->outputs[0];
    conv_kernel *k = p->kernel;
    if (!k) {
        ls__bus_silence(r, out, in->channels > 1 ? 2 : 1);
        return false;
    }
    if (in->silent) {
        if (p->quiet >= k->tail) {
            ls__bus_silence(r, out, (p->last_channels == 1 && k->ir_channels == 1) ? 1 : 2);
            return false;
        }
        p->quiet += LS_Q;
    } else {
        p->quiet = 0;
        p->last_channels = in->channels;
    }
    const uint32_t out_ch = (p->last_channels == 1 && k->ir_channels == 1) ? 1 : 2;
    const float *xl = in->silent ? NULL : in->ch[0];
    const float *xr = in->silent ? NULL : in->ch[in->channels > 1 ? 1 : 0];
    float *yl, *yr;
    bool have = ls__bus_alloc(r, out, out_ch);
    /* without blocks the convolvers still run (into scratch) to keep their state */
    yl = have ? out->ch[0] : p->tmp;
    yr = have && out_ch == 2 ? out->ch[1] : p->tmp;
    if (out_ch == 1) {
        ls_partconv_process(k->conv[0], xl, yl, 0);
    } else if (k->nconv == 2) {
        ls_partconv_process(k->conv[0], xl, yl, 0);
        ls_partconv_process(k->conv[1], xr, yr, 0);
    } else {
        ls_partconv_process(k->conv[0], xl, yl, 0);
        ls_partconv_process(k->conv[2], xr, yl, 1);
        ls_partconv_process(k->conv[1], xl, yr, 0);
        ls_partconv_process(k->conv[3], xr, yr, 1);
    }
    return p->quiet < k->tail;
}

static void conv_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    conv_proc *p = (conv_proc *)base;
    if (m->key == CONV_MSG_KERNEL) {
        conv_kernel *old = p->kernel;
        p->kernel = m->ptr;
        p->quiet = 0;
        if (old)
            ls__give_back(r->ctx, &old->ret);
    }
}

/* control: the node is being freed. */
static void conv_destroy(ls_proc *base)
{
    conv_proc *p = (conv_proc *)base;
    kernel_free(p->kernel);
    p->kernel = NULL;
    ls_buffer_release(p->c_buffer);
    p->c_buffer = NULL;
}

static const ls_proc_vtable conv_vtable = {conv_process, conv_on_message, conv_destroy};

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

static bool is_convolver(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_CONVOLVER;
}

static ls_result check_buffer(ls_context *ctx, ls_buffer *b)
{
    if (!b)
        return LS_OK;
    uint32_t ch = ls_buffer_number_of_channels(b);
    if (ch != 1 && ch != 2 && ch != 4)
        return LS_ERROR_NOT_SUPPORTED;
    if (ls_buffer_sample_rate(b) != ctx->sample_rate)
        return LS_ERROR_NOT_SUPPORTED;
    return LS_OK;
}

LS__OPTIONS_DEFAULT(convolver)

ls_result ls_convolver_create(ls_context *ctx, const ls_convolver_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_convolver_options o = options ? *options : ls_convolver_options_default();
    ls_result res = ls__check_stereo_node_options(&o.node);
    if (res != LS_OK || (res = check_buffer(ctx, o.buffer)) != LS_OK)
        return res;
    conv_kernel *k = NULL;
    if (o.buffer && !(k = kernel_new(o.buffer, !o.disable_normalization)))
        return LS_ERROR_NO_MEM;
    const ls_node_descriptor *desc = &ls__convolver_type;
    ls_node *node;
    res = ls__node_create(ctx, LS_NODE_TYPE_CONVOLVER, &conv_vtable, sizeof(conv_proc), 1, 1,
                          &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK) {
        kernel_free(k);
        return res;
    }
    node->max_channel_count = 2;
    node->channel_mode_max_unsupported = 1;
    conv_proc *p = (conv_proc *)node->proc;
    p->kernel = k;
    p->last_channels = 1;
    p->c_normalize = !o.disable_normalization;
    p->c_buffer = o.buffer;
    if (o.buffer)
        ls_buffer_retain(o.buffer);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_result ls_convolver_set_buffer(ls_node *n, ls_buffer *buffer)
{
    if (!is_convolver(n))
        return LS_ERROR_INVALID_ARGUMENT;
    ls_result res = check_buffer(n->ctx, buffer);
    if (res != LS_OK)
        return res;
    conv_proc *p = (conv_proc *)n->proc;
    ls__lock(n->ctx);
    int normalize = p->c_normalize;
    ls__unlock(n->ctx);
    conv_kernel *k = NULL;
    if (buffer && !(k = kernel_new(buffer, normalize)))
        return LS_ERROR_NO_MEM;
    if (buffer)
        ls_buffer_retain(buffer);
    ls__lock(n->ctx);
    ls_buffer *old = p->c_buffer;
    p->c_buffer = buffer;
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = CONV_MSG_KERNEL;
    m.target.proc = n->proc;
    m.ptr = k;
    ls__post(n->ctx, &m);
    ls__unlock(n->ctx);
    ls_buffer_release(old);
    return LS_OK;
}

ls_buffer *ls_convolver_get_buffer(const ls_node *n)
{
    return is_convolver(n) ? ((conv_proc *)n->proc)->c_buffer : NULL;
}

int ls_convolver_get_normalize(const ls_node *n)
{
    return is_convolver(n) ? ((conv_proc *)n->proc)->c_normalize : 1;
}

ls_result ls_convolver_set_normalize(ls_node *n, int normalize)
{
    if (!is_convolver(n))
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(n->ctx);
    ((conv_proc *)n->proc)->c_normalize = normalize ? 1 : 0;
    ls__unlock(n->ctx);
    return LS_OK;
}

LS__CREATE_FN(convolver)

static ls_result get_buffer(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_CONVOLVER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->p = ls_convolver_get_buffer(node);
    return LS_OK;
}

static ls_result set_buffer(ls_node *node, const ls_value *v)
{
    return ls_convolver_set_buffer(node, (ls_buffer *)v->p);
}

static ls_result get_normalize(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_CONVOLVER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_convolver_get_normalize(node);
    return LS_OK;
}

static ls_result set_normalize(ls_node *node, const ls_value *v)
{
    return ls_convolver_set_normalize(node, v->i != 0);
}

static const ls_option_descriptor convolver_options[] = {
    {"buffer", LS_VALUE_BUFFER, offsetof(ls_convolver_options, buffer), 0, 0, NULL, NULL, 0,
     "the impulse response (1, 2 or 4 channels at the context's rate)"},
    {"disable_normalization", LS_VALUE_BOOL, offsetof(ls_convolver_options, disable_normalization),
     0, 0, NULL, NULL, 0, "use the impulse response as it is, without scaling it"},
};

static const ls_setting_descriptor convolver_settings[] = {
    {"buffer", LS_VALUE_BUFFER, NULL, "buffer", get_buffer, set_buffer, "the impulse response"},
    {"normalize", LS_VALUE_BOOL, NULL, NULL, get_normalize, set_normalize,
     "scale the impulse response to a standard level when it is set"},
};

const ls_node_descriptor ls__convolver_type = {
    .name = "Convolver", .key = "convolver", .type = LS_NODE_TYPE_CONVOLVER,
    .doc = "convolves its input with an impulse response (reverb)",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = {2, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .options = convolver_options, .option_count = LS__COUNT(convolver_options),
    .settings = convolver_settings, .setting_count = LS__COUNT(convolver_settings),
    .options_size = sizeof(ls_convolver_options),
    .options_init = convolver_options_init, .create = convolver_create_any,
};
