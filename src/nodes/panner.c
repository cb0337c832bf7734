/*
 * PannerNode: positions a mono or stereo input in space relative to the
 * context's AudioListener, with the spec's equal-power panning or the
 * project's structural HRTF (spherical head and pinna echoes, dsp/hrtf.h),
 * the three distance models and the sound cone (dsp/panning.h). Six a-rate
 * params (position, orientation).
 *
 * When neither the panner's params nor the listener's change within a
 * quantum, azimuth, elevation and gain are computed once for it; otherwise
 * once per frame. The listener is the node named in base.after, so it is
 * processed (and its params computed) before any panner of the context.
 *
 * Control half: the options, the plain attributes (mirrored under the
 * context's lock and sent in node messages).
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../param.h"
#include "../dsp/hrtf.h"
#include "../dsp/panning.h"
#include "listener.h"

#include <float.h>
#include <string.h>

#define PANNER_MSG_MODEL 100      /* i0 = panning model */
#define PANNER_MSG_DISTANCE 101   /* i0 = distance model */
#define PANNER_MSG_PROP 102       /* i0 = ls_panner_property, d0 = value */

#define NPROPS 6

typedef struct panner_proc {
    ls_proc base;
    /* control (under the context's lock) */
    ls_panning_model c_model;
    ls_distance_model c_distance;
    double c_prop[NPROPS];
    /* render */
    int model, distance;
    double prop[NPROPS];
    uint32_t quiet;               /* frames of silent input since the last sound */
    float gain[LS_Q];
    float gl[LS_Q], gr[LS_Q];     /* equal power: channel gains */
    float lat[LS_Q];              /* equal power: lateral cosines */
    double dist[LS_Q];            /* equal power: distances */
    float fill[3][LS_Q];          /* a constant position coordinate, repeated */
    /* equal power with everything constant: the inputs gl[0], gr[0],
     * lat[0] and gain[0] were computed from (valid when `kept`) */
    bool kept;
    float kept_key[15];
    double kept_prop[NPROPS];
    int kept_distance, kept_stereo;
    ls_hrtf_direction dir;        /* HRTF: the direction at the quantum's end */
    float hrtf_gain;              /* the gain the last HRTF quantum ended at */
    int hrtf_gain_primed;
    ls_hrtf hrtf;
} panner_proc;

static inline float at(const float *v, bool constant, uint32_t k)
{
    return v[constant ? 0 : k];
}

/* Equal power, every param and the listener constant: whether the geometry
 * is the one gl[0], gr[0], lat[0] and gain[0] were computed from (recorded
 * for the next quantum when not). */
static bool constant_kept(panner_proc *p, const float *const *v, const ls_listener_values *L,
                          bool stereo)
{
    float key[15];
    for (int j = 0; j < 6; j++)
        key[j] = v[j][0];
    for (int j = 0; j < 9; j++)
        key[6 + j] = L->v[LS_LISTENER_POSITION_X + j][0];
    if (p->kept && p->kept_stereo == (int)stereo && p->kept_distance == p->distance &&
        memcmp(key, p->kept_key, sizeof key) == 0 &&
        memcmp(p->prop, p->kept_prop, sizeof p->prop) == 0)
        return true;
    memcpy(p->kept_key, key, sizeof key);
    memcpy(p->kept_prop, p->prop, sizeof p->prop);
    p->kept_stereo = stereo;
    p->kept_distance = p->distance;
    return false;
}

static bool panner_process(ls_proc *base, ls_render *r)
{
    panner_proc *p = (panner_proc *)base;
    ls_bus *in = &base->inputs[0].bus, *out = &base->outputs[0];
    const bool hrtf = p->model == LS_PANNING_MODEL_HRTF;
    const uint32_t tail = ls_hrtf_tail_frames(&p->hrtf);
    if (in->silent) {
        if (!hrtf || p->quiet >= tail) {
            ls__bus_silence(r, out, 2);
            return false;
        }
        p->quiet += LS_Q;
    } else {
        p->quiet = 0;
    }
    const ls_listener_values *L = ls__listener_values(base->after, r);
    const float *v[6];
    bool c[6], all = L->all_constant;
    for (int i = 0; i < 6; i++) {
        v[i] = ls__param_process(base->params[i], r, &c[i]);
        all = all && c[i];
    }
    const bool stereo = !in->silent && in->channels > 1;
    const double ref = p->prop[LS_PANNER_REF_DISTANCE], maxd = p->prop[LS_PANNER_MAX_DISTANCE];
    const double rolloff = p->prop[LS_PANNER_ROLLOFF_FACTOR];
    const double inner = p->prop[LS_PANNER_CONE_INNER_ANGLE];
    const double outer = p->prop[LS_PANNER_CONE_OUTER_ANGLE];
    const double outer_gain = p->prop[LS_PANNER_CONE_OUTER_GAIN];
    const bool listener_fixed = L->all_constant;
    const uint32_t nv = all ? 1 : LS_Q;
    if (hrtf) {
        /* Direction and gain once per quantum, at its last frame; the HRTF
         * kernel and the gain move linearly to them across the quantum. */
        const uint32_t k = all ? 0 : LS_Q - 1;
        float src[3] = {at(v[0], c[0], k), at(v[1], c[1], k), at(v[2], c[2], k)};
        float ori[3] = {at(v[3], c[3], k), at(v[4], c[4], k), at(v[5], c[5], k)};
        float lp[3], lf[3], lu[3];
        for (int j = 0; j < 3; j++) {
            lp[j] = at(L->v[LS_LISTENER_POSITION_X + j], L->constant[LS_LISTENER_POSITION_X + j], k);
            lf[j] = at(L->v[LS_LISTENER_FORWARD_X + j], L->constant[LS_LISTENER_FORWARD_X + j], k);
            lu[j] = at(L->v[LS_LISTENER_UP_X + j], L->constant[LS_LISTENER_UP_X + j], k);
        }
        double az, el;
        ls_panning_azimuth_elevation(src, lp, lf, lu, &az, &el);
        double g = ls_panning_distance_gain(p->distance, ls_panning_distance(src, lp), ref, maxd,
                                            rolloff) *
                   ls_panning_cone_gain(src, ori, lp, inner, outer, outer_gain);
        ls_hrtf_model(az, el, r->sample_rate, &p->dir);
        p->gain[0] = (float)g;
        p->kept = false;
    } else if (all && constant_kept(p, v, L, stereo)) {
        /* the same geometry as the last quantum: its gains */
    } else {
        ls_panning_basis basis;
        const bool cone = !(inner == 360.0 && outer == 360.0);
        float *d = p->lat;
        double *dist = p->dist;
        if (listener_fixed && nv == LS_Q) {
            /* a moving source, a fixed listener: the geometry in blocks */
            float lp[3], lf[3], lu[3];
            for (int j = 0; j < 3; j++) {
                lp[j] = L->v[LS_LISTENER_POSITION_X + j][0];
                lf[j] = L->v[LS_LISTENER_FORWARD_X + j][0];
                lu[j] = L->v[LS_LISTENER_UP_X + j][0];
            }
            ls_panning_basis_make(lf, lu, &basis);
            const float *sxyz[3];
            for (int j = 0; j < 3; j++) {
                if (c[j]) {
                    for (uint32_t i = 0; i < LS_Q; i++)
                        p->fill[j][i] = v[j][0];
                    sxyz[j] = p->fill[j];
                } else {
                    sxyz[j] = v[j];
                }
            }
            ls_panning_lateral_block(sxyz[0], sxyz[1], sxyz[2], lp, &basis, d, dist, LS_Q);
        } else {
            for (uint32_t k = 0; k < nv; k++) {
                float src[3] = {at(v[0], c[0], k), at(v[1], c[1], k), at(v[2], c[2], k)};
                float lp[3];
                for (int j = 0; j < 3; j++)
                    lp[j] = at(L->v[LS_LISTENER_POSITION_X + j],
                               L->constant[LS_LISTENER_POSITION_X + j], k);
                if (k == 0 || !listener_fixed) {
                    float lf[3], lu[3];
                    for (int j = 0; j < 3; j++) {
                        lf[j] = at(L->v[LS_LISTENER_FORWARD_X + j],
                                   L->constant[LS_LISTENER_FORWARD_X + j], k);
                        lu[j] = at(L->v[LS_LISTENER_UP_X + j], L->constant[LS_LISTENER_UP_X + j], k);
                    }
                    ls_panning_basis_make(lf, lu, &basis);
                }
                d[k] = ls_panning_lateral(src, lp, &basis, &dist[k]);
            }
        }
        if (!cone) {
            ls_panning_distance_gain_block(p->distance, dist, p->gain, nv, ref, maxd, rolloff);
        } else {
            for (uint32_t k = 0; k < nv; k++) {
                float src[3] = {at(v[0], c[0], k), at(v[1], c[1], k), at(v[2], c[2], k)};
                float ori[3] = {at(v[3], c[3], k), at(v[4], c[4], k), at(v[5], c[5], k)};
                float lp[3];
                for (int j = 0; j < 3; j++)
                    lp[j] = at(L->v[LS_LISTENER_POSITION_X + j],
                               L->constant[LS_LISTENER_POSITION_X + j], k);
                double g = ls_panning_distance_gain(p->distance, dist[k], ref, maxd, rolloff);
                g *= ls_panning_cone_gain(src, ori, lp, inner, outer, outer_gain);
                p->gain[k] = (float)g;
            }
        }
        ls_panning_equalpower_block(d, stereo, p->gl, p->gr, nv);
        p->kept = all;
    }
    if (!ls__bus_alloc(r, out, 2))
        return hrtf;
    float *yl = out->ch[0], *yr = out->ch[1];
    if (hrtf) {
        const float *xl = in->silent ? NULL : in->ch[0];
        const float *xr = in->silent ? NULL : in->ch[stereo ? 1 : 0];
        ls_hrtf_process(&p->hrtf, xl, xr, yl, yr, LS_Q, &p->dir);
        /* the gain ramps from the last quantum's */
        const float g1 = p->gain[0], g0 = p->hrtf_gain_primed ? p->hrtf_gain : g1;
        const float step = (g1 - g0) / (float)LS_Q;
        for (uint32_t i = 0; i < LS_Q; i++) {
            float g = g0 + step * (float)(i + 1);
            yl[i] *= g;
            yr[i] *= g;
        }
        p->hrtf_gain = g1;
        p->hrtf_gain_primed = 1;
        return p->quiet < tail;
    } else if (!stereo && !all) {
        /* panned, then the distance and cone gain (each rounded to float) */
        const float *x = in->ch[0];
        const float *gl = p->gl, *gr = p->gr;
        const float *g = p->gain;
        for (uint32_t i = 0; i < LS_Q; i++) {
            yl[i] = x[i] * gl[i] * g[i];
            yr[i] = x[i] * gr[i] * g[i];
        }
        return false;
    } else if (!stereo) {
        const float *x = in->ch[0];
        const float gl = p->gl[0], gr = p->gr[0];
        for (uint32_t i = 0; i < LS_Q; i++) {
            yl[i] = x[i] * gl;
            yr[i] = x[i] * gr;
        }
    } else if (all) {
        /* one lateral cosine: the branch taken once */
        const float *xl = in->ch[0], *xr = in->ch[1];
        const float gl = p->gl[0], gr = p->gr[0];
        if (p->lat[0] <= 0.0f) {
            for (uint32_t i = 0; i < LS_Q; i++) {
                yl[i] = xl[i] + xr[i] * gl;
                yr[i] = xr[i] * gr;
            }
        } else {
            for (uint32_t i = 0; i < LS_Q; i++) {
                yl[i] = xl[i] * gl;
                yr[i] = xr[i] + xl[i] * gr;
            }
        }
    } else {
        const float *xl = in->ch[0], *xr = in->ch[1];
        for (uint32_t i = 0; i < LS_Q; i++) {
            uint32_t k = all ? 0 : i;
            if (p->lat[k] <= 0.0f) {      /* azimuth <= 0 */
                yl[i] = xl[i] + xr[i] * p->gl[k];
                yr[i] = xr[i] * p->gr[k];
            } else {
                yl[i] = xl[i] * p->gl[k];
                yr[i] = xr[i] + xl[i] * p->gr[k];
            }
        }
    }
    if (all) {
        const float g = p->gain[0];
        if (g != 1.0f)
            for (uint32_t i = 0; i < LS_Q; i++) {
                yl[i] *= g;
                yr[i] *= g;
            }
    } else {
        for (uint32_t i = 0; i < LS_Q; i++) {
            yl[i] *= p->gain[i];
            yr[i] *= p->gain[i];
        }
    }
    return false;
}

static void panner_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    panner_proc *p = (panner_proc *)base;
    switch (m->key) {
    case PANNER_MSG_MODEL:
        if (p->model != m->i0) {
            p->model = m->i0;
            ls_hrtf_reset(&p->hrtf);
            p->hrtf_gain_primed = 0;
            p->quiet = 0;
        }
        break;
    case PANNER_MSG_DISTANCE:
        p->distance = m->i0;
        break;
    case PANNER_MSG_PROP:
        if (m->i0 >= 0 && m->i0 < NPROPS)
            p->prop[m->i0] = m->d0;
        break;
    default:
        break;
    }
}

static const ls_proc_vtable panner_vtable = {panner_process, panner_on_message, NULL};

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

static bool is_panner(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_PANNER;
}

LS__OPTIONS_DEFAULT(panner)

static ls_result check_prop(ls_panner_property prop, double v)
{
    if (!isfinite(v))
        return LS_ERROR_RANGE;
    switch (prop) {
    case LS_PANNER_REF_DISTANCE:
    case LS_PANNER_ROLLOFF_FACTOR:
        return v < 0.0 ? LS_ERROR_RANGE : LS_OK;
    case LS_PANNER_MAX_DISTANCE:
        return v <= 0.0 ? LS_ERROR_RANGE : LS_OK;
    case LS_PANNER_CONE_INNER_ANGLE:
    case LS_PANNER_CONE_OUTER_ANGLE:
        return LS_OK;
    case LS_PANNER_CONE_OUTER_GAIN:
        return (v < 0.0 || v > 1.0) ? LS_ERROR_INVALID_STATE : LS_OK;
    default:
        return LS_ERROR_INVALID_ARGUMENT;
    }
}

/* Channel options of the panner, convolver and compressor: count <= 2, mode not MAX. */
ls_result ls__check_stereo_node_options(const ls_node_options *o)
{
    if (o->channel_count > 2)
        return LS_ERROR_NOT_SUPPORTED;
    if (o->channel_count_mode == LS_CHANNEL_COUNT_MODE_MAX)
        return LS_ERROR_NOT_SUPPORTED;
    return LS_OK;
}

ls_result ls_panner_create(ls_context *ctx, const ls_panner_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_panner_options o = options ? *options : ls_panner_options_default();
    ls_result res = ls__check_stereo_node_options(&o.node);
    if (res != LS_OK)
        return res;
    if ((unsigned)o.panning_model > LS_PANNING_MODEL_HRTF ||
        (unsigned)o.distance_model > LS_DISTANCE_MODEL_EXPONENTIAL)
        return LS_ERROR_INVALID_ARGUMENT;
    const float pv[6] = {o.position_x, o.position_y, o.position_z,
                         o.orientation_x, o.orientation_y, o.orientation_z};
    for (int i = 0; i < 6; i++)
        if (!isfinite(pv[i]))
            return LS_ERROR_RANGE;
    const double props[NPROPS] = {o.ref_distance, o.max_distance, o.rolloff_factor,
                                  o.cone_inner_angle, o.cone_outer_angle, o.cone_outer_gain};
    for (int i = 0; i < NPROPS; i++)
        if ((res = check_prop((ls_panner_property)i, props[i])) != LS_OK)
            return res;
    ls_node *listener = ls__listener_get(ctx);
    if (!listener)
        return ctx->closed ? LS_ERROR_INVALID_STATE : LS_ERROR_NO_MEM;
    const ls_node_descriptor *desc = &ls__panner_type;
    ls_node *node;
    res = ls__node_create(ctx, LS_NODE_TYPE_PANNER, &panner_vtable, sizeof(panner_proc), 1, 1,
                          &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    node->max_channel_count = 2;
    node->channel_mode_max_unsupported = 1;
    panner_proc *p = (panner_proc *)node->proc;
    p->base.after = listener->proc;
    p->c_model = o.panning_model;
    p->c_distance = o.distance_model;
    p->model = (int)o.panning_model;
    p->distance = (int)o.distance_model;
    for (int i = 0; i < NPROPS; i++)
        p->c_prop[i] = p->prop[i] = props[i];
    ls_hrtf_init(&p->hrtf, ctx->sample_rate);
    if (ls__params_create(node, desc, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

static void post(ls_node *n, uint32_t key, int32_t i0, double d0)
{
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = key;
    m.target.proc = n->proc;
    m.i0 = i0;
    m.d0 = d0;
    ls__post(n->ctx, &m);
}

ls_panning_model ls_panner_get_panning_model(const ls_node *n)
{
    return is_panner(n) ? ((panner_proc *)n->proc)->c_model : LS_PANNING_MODEL_EQUALPOWER;
}

ls_result ls_panner_set_panning_model(ls_node *n, ls_panning_model model)
{
    if (!is_panner(n) || (unsigned)model > LS_PANNING_MODEL_HRTF)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(n->ctx);
    ((panner_proc *)n->proc)->c_model = model;
    post(n, PANNER_MSG_MODEL, (int32_t)model, 0.0);
    ls__unlock(n->ctx);
    return LS_OK;
}

ls_distance_model ls_panner_get_distance_model(const ls_node *n)
{
    return is_panner(n) ? ((panner_proc *)n->proc)->c_distance : LS_DISTANCE_MODEL_INVERSE;
}

ls_result ls_panner_set_distance_model(ls_node *n, ls_distance_model model)
{
    if (!is_panner(n) || (unsigned)model > LS_DISTANCE_MODEL_EXPONENTIAL)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(n->ctx);
    ((panner_proc *)n->proc)->c_distance = model;
    post(n, PANNER_MSG_DISTANCE, (int32_t)model, 0.0);
    ls__unlock(n->ctx);
    return LS_OK;
}

double ls_panner_get_property(const ls_node *n, ls_panner_property prop)
{
    if (!is_panner(n) || (unsigned)prop >= NPROPS)
        return NAN;
    return ((panner_proc *)n->proc)->c_prop[prop];
}

ls_result ls_panner_set_property(ls_node *n, ls_panner_property prop, double value)
{
    if (!is_panner(n) || (unsigned)prop >= NPROPS)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_result res = check_prop(prop, value);
    if (res != LS_OK)
        return res;
    ls__lock(n->ctx);
    ((panner_proc *)n->proc)->c_prop[prop] = value;
    post(n, PANNER_MSG_PROP, (int32_t)prop, value);
    ls__unlock(n->ctx);
    return LS_OK;
}

LS__CREATE_FN(panner)

static ls_result get_panning_model(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PANNER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_panner_get_panning_model(node);
    return LS_OK;
}

static ls_result set_panning_model(ls_node *node, const ls_value *v)
{
    return ls_panner_set_panning_model(node, (ls_panning_model)v->i);
}

static ls_result get_distance_model(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PANNER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_panner_get_distance_model(node);
    return LS_OK;
}

static ls_result set_distance_model(ls_node *node, const ls_value *v)
{
    return ls_panner_set_distance_model(node, (ls_distance_model)v->i);
}

static ls_result get_ref_distance(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PANNER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_panner_get_property(node, LS_PANNER_REF_DISTANCE);
    return LS_OK;
}

static ls_result set_ref_distance(ls_node *node, const ls_value *v)
{
    return ls_panner_set_property(node, LS_PANNER_REF_DISTANCE, v->f);
}

static ls_result get_max_distance(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PANNER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_panner_get_property(node, LS_PANNER_MAX_DISTANCE);
    return LS_OK;
}

static ls_result set_max_distance(ls_node *node, const ls_value *v)
{
    return ls_panner_set_property(node, LS_PANNER_MAX_DISTANCE, v->f);
}

static ls_result get_rolloff_factor(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PANNER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_panner_get_property(node, LS_PANNER_ROLLOFF_FACTOR);
    return LS_OK;
}

static ls_result set_rolloff_factor(ls_node *node, const ls_value *v)
{
    return ls_panner_set_property(node, LS_PANNER_ROLLOFF_FACTOR, v->f);
}

static ls_result get_cone_inner_angle(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PANNER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_panner_get_property(node, LS_PANNER_CONE_INNER_ANGLE);
    return LS_OK;
}

static ls_result set_cone_inner_angle(ls_node *node, const ls_value *v)
{
    return ls_panner_set_property(node, LS_PANNER_CONE_INNER_ANGLE, v->f);
}

static ls_result get_cone_outer_angle(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PANNER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_panner_get_property(node, LS_PANNER_CONE_OUTER_ANGLE);
    return LS_OK;
}

static ls_result set_cone_outer_angle(ls_node *node, const ls_value *v)
{
    return ls_panner_set_property(node, LS_PANNER_CONE_OUTER_ANGLE, v->f);
}

static ls_result get_cone_outer_gain(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PANNER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_panner_get_property(node, LS_PANNER_CONE_OUTER_GAIN);
    return LS_OK;
}

static ls_result set_cone_outer_gain(ls_node *node, const ls_value *v)
{
    return ls_panner_set_property(node, LS_PANNER_CONE_OUTER_GAIN, v->f);
}

static const char *const panning_model_names[] = {"equalpower", "HRTF", NULL};
static const char *const distance_model_names[] = {"linear", "inverse", "exponential", NULL};

static const ls_param_descriptor panner_params[] = {
    {"position_x", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "x coordinate of the source's position"},
    {"position_y", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "y coordinate of the source's position"},
    {"position_z", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "z coordinate of the source's position"},
    {"orientation_x", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "x coordinate of the source's direction"},
    {"orientation_y", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "y coordinate of the source's direction"},
    {"orientation_z", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "z coordinate of the source's direction"},
};

static const ls_option_descriptor panner_options[] = {
    {"panning_model", LS_VALUE_ENUM, offsetof(ls_panner_options, panning_model), 0,
     LS_PANNING_MODEL_EQUALPOWER, panning_model_names, NULL, 0,
     "equal-power panning or HRTF convolution"},
    {"distance_model", LS_VALUE_ENUM, offsetof(ls_panner_options, distance_model), 0,
     LS_DISTANCE_MODEL_INVERSE, distance_model_names, NULL, 0,
     "how the volume falls with distance"},
    LS__PARAM_OPTION(ls_panner_options, position_x, "position_x"),
    LS__PARAM_OPTION(ls_panner_options, position_y, "position_y"),
    LS__PARAM_OPTION(ls_panner_options, position_z, "position_z"),
    LS__PARAM_OPTION(ls_panner_options, orientation_x, "orientation_x"),
    LS__PARAM_OPTION(ls_panner_options, orientation_y, "orientation_y"),
    LS__PARAM_OPTION(ls_panner_options, orientation_z, "orientation_z"),
    {"ref_distance", LS_VALUE_DOUBLE, offsetof(ls_panner_options, ref_distance), 0, 1.0, NULL,
     NULL, 0,
     "distance from which the volume falls", 0, FLT_MAX},
    {"max_distance", LS_VALUE_DOUBLE, offsetof(ls_panner_options, max_distance), 0, 10000.0, NULL,
     NULL, LS_OPTION_ABOVE_MIN,
     "distance beyond which the volume no longer falls", 0, FLT_MAX},
    {"rolloff_factor", LS_VALUE_DOUBLE, offsetof(ls_panner_options, rolloff_factor), 0, 1.0, NULL,
     NULL, 0,
     "how fast the volume falls with distance", 0, FLT_MAX},
    {"cone_inner_angle", LS_VALUE_DOUBLE, offsetof(ls_panner_options, cone_inner_angle), 0, 360.0,
     NULL, NULL, 0,
     "angle in degrees inside which there is no attenuation"},
    {"cone_outer_angle", LS_VALUE_DOUBLE, offsetof(ls_panner_options, cone_outer_angle), 0, 360.0,
     NULL, NULL, 0,
     "angle in degrees outside which the gain is cone_outer_gain"},
    {"cone_outer_gain", LS_VALUE_DOUBLE, offsetof(ls_panner_options, cone_outer_gain), 0, 0.0,
     NULL, NULL, 0,
     "gain outside the outer cone, 0 to 1", 0, 1},
};

static const ls_setting_descriptor panner_settings[] = {
    {"panning_model", LS_VALUE_ENUM, panning_model_names, "panning_model", get_panning_model,
     set_panning_model, "equal-power panning or HRTF convolution"},
    {"distance_model", LS_VALUE_ENUM, distance_model_names, "distance_model",
     get_distance_model, set_distance_model, "how the volume falls with distance"},
    {"ref_distance", LS_VALUE_DOUBLE, NULL, "ref_distance", get_ref_distance, set_ref_distance,
     "distance from which the volume falls"},
    {"max_distance", LS_VALUE_DOUBLE, NULL, "max_distance", get_max_distance, set_max_distance,
     "distance beyond which the volume no longer falls"},
    {"rolloff_factor", LS_VALUE_DOUBLE, NULL, "rolloff_factor", get_rolloff_factor,
     set_rolloff_factor,
     "how fast the volume falls with distance"},
    {"cone_inner_angle", LS_VALUE_DOUBLE, NULL, "cone_inner_angle", get_cone_inner_angle,
     set_cone_inner_angle,
     "angle in degrees inside which there is no attenuation"},
    {"cone_outer_angle", LS_VALUE_DOUBLE, NULL, "cone_outer_angle", get_cone_outer_angle,
     set_cone_outer_angle,
     "angle in degrees outside which the gain is cone_outer_gain"},
    {"cone_outer_gain", LS_VALUE_DOUBLE, NULL, "cone_outer_gain", get_cone_outer_gain,
     set_cone_outer_gain,
     "gain outside the outer cone, 0 to 1"},
};

const ls_node_descriptor ls__panner_type = {
    .name = "Panner", .key = "panner", .type = LS_NODE_TYPE_PANNER,
    .doc = "places its input in 3D space relative to the context's listener",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = {2, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .params = panner_params, .param_count = LS__COUNT(panner_params),
    .options = panner_options, .option_count = LS__COUNT(panner_options),
    .settings = panner_settings, .setting_count = LS__COUNT(panner_settings),
    .options_size = sizeof(ls_panner_options),
    .options_init = panner_options_init, .create = panner_create_any,
};
