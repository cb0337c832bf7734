/*
 * The node type table: every descriptor defined in src/nodes/, listed by
 * node_type_list.h, which the build writes from those files (each line
 * `const ls_node_descriptor ls__<key>_type = {` found there becomes one
 * LS_NODE_TYPE_ENTRY(<key>)). Adding a node file is all it takes to list it.
 *
 * Also the helpers node files build on: options defaults written from a
 * descriptor and params created from one.
 */
#include "engine.h"
#include "param.h"
#include "node_types.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define LS_NODE_TYPE_ENTRY(key) extern const ls_node_descriptor ls__##key##_type;
#include "node_type_list.h"
#undef LS_NODE_TYPE_ENTRY

static const ls_node_descriptor *const all_types[] = {
#define LS_NODE_TYPE_ENTRY(key) &ls__##key##_type,
#include "node_type_list.h"
#undef LS_NODE_TYPE_ENTRY
};
#define ALL_COUNT (sizeof all_types / sizeof all_types[0])

/* the listed ones: every type but the internal ones, in table order */
static uint32_t listed_count(void)
{
    uint32_t n = 0;
    for (size_t i = 0; i < ALL_COUNT; i++)
        if (!(all_types[i]->flags & LS_NODE_TYPE_INTERNAL))
            n++;
    return n;
}

uint32_t ls_node_type_count(void)
{
    return listed_count();
}

const ls_node_descriptor *ls_node_type_info(uint32_t index)
{
    uint32_t n = 0;
    for (size_t i = 0; i < ALL_COUNT; i++) {
        if (all_types[i]->flags & LS_NODE_TYPE_INTERNAL)
            continue;
        if (n++ == index)
            return all_types[i];
    }
    return NULL;
}

const ls_node_descriptor *ls_node_type_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < ALL_COUNT; i++)
        if (strcmp(all_types[i]->name, name) == 0 || strcmp(all_types[i]->key, name) == 0)
            return all_types[i];
    return NULL;
}

const ls_node_descriptor *ls_node_type_of(const ls_node *node)
{
    if (!node)
        return NULL;
    for (size_t i = 0; i < ALL_COUNT; i++)
        if (all_types[i]->type == node->type)
            return all_types[i];
    return NULL;
}

const ls_option_descriptor *ls_node_type_option(const ls_node_descriptor *type, const char *name)
{
    if (!type || !name)
        return NULL;
    for (uint32_t i = 0; i < type->option_count; i++)
        if (strcmp(type->options[i].name, name) == 0)
            return &type->options[i];
    return NULL;
}

const ls_param_descriptor *ls_node_type_param(const ls_node_descriptor *type, const char *name)
{
    if (!type || !name)
        return NULL;
    for (uint32_t i = 0; i < type->param_count; i++)
        if (strcmp(type->params[i].name, name) == 0)
            return &type->params[i];
    return NULL;
}

const ls_setting_descriptor *ls_node_type_setting(const ls_node_descriptor *type,
                                                  const char *name)
{
    if (!type || !name)
        return NULL;
    for (uint32_t i = 0; i < type->setting_count; i++)
        if (strcmp(type->settings[i].name, name) == 0)
            return &type->settings[i];
    return NULL;
}

double ls_option_default(const ls_node_descriptor *type, const ls_option_descriptor *opt)
{
    if (!opt)
        return 0.0;
    if (opt->param) {
        const ls_param_descriptor *p = ls_node_type_param(type, opt->param);
        if (p)
            return p->default_value;
    }
    return opt->default_value;
}

int ls_enum_index(const char *const *enum_names, const char *name)
{
    if (!enum_names || !name)
        return -1;
    for (int i = 0; enum_names[i]; i++)
        if (strcmp(enum_names[i], name) == 0)
            return i;
    return -1;
}

static int enum_count(const char *const *enum_names)
{
    int n = 0;
    while (enum_names && enum_names[n])
        n++;
    return n;
}

ls_result ls_option_get_number(const ls_option_descriptor *opt, const void *options, double *out)
{
    if (!opt || !options || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    const char *at = (const char *)options + opt->offset;
    switch (opt->kind) {
    case LS_VALUE_FLOAT: { float v; memcpy(&v, at, sizeof v); *out = v; return LS_OK; }
    case LS_VALUE_DOUBLE: { double v; memcpy(&v, at, sizeof v); *out = v; return LS_OK; }
    case LS_VALUE_INT: { int32_t v; memcpy(&v, at, sizeof v); *out = v; return LS_OK; }
    case LS_VALUE_UINT: { uint32_t v; memcpy(&v, at, sizeof v); *out = v; return LS_OK; }
    case LS_VALUE_UINT64: { uint64_t v; memcpy(&v, at, sizeof v); *out = (double)v; return LS_OK; }
    case LS_VALUE_BOOL:
    case LS_VALUE_ENUM: { int v; memcpy(&v, at, sizeof v); *out = v; return LS_OK; }
    default:
        return LS_ERROR_INVALID_ARGUMENT;
    }
}

static bool is_integer_in(double v, double lo, double hi)
{
    return isfinite(v) && v == floor(v) && v >= lo && v <= hi;
}

ls_result ls_option_set_number(const ls_option_descriptor *opt, void *options, double v)
{
    if (!opt || !options)
        return LS_ERROR_INVALID_ARGUMENT;
    char *at = (char *)options + opt->offset;
    switch (opt->kind) {
    case LS_VALUE_FLOAT: {
        if (!isfinite(v) || fabs(v) > FLT_MAX)
            return LS_ERROR_RANGE;
        float f = (float)v;
        memcpy(at, &f, sizeof f);
        break;
    }
    case LS_VALUE_DOUBLE:
        if (!isfinite(v))
            return LS_ERROR_RANGE;
        memcpy(at, &v, sizeof v);
        break;
    case LS_VALUE_INT: {
        if (!is_integer_in(v, INT32_MIN, INT32_MAX))
            return LS_ERROR_RANGE;
        int32_t i = (int32_t)v;
        memcpy(at, &i, sizeof i);
        break;
    }
    case LS_VALUE_UINT: {
        if (!is_integer_in(v, 0, UINT32_MAX))
            return LS_ERROR_RANGE;
        uint32_t u = (uint32_t)v;
        memcpy(at, &u, sizeof u);
        break;
    }
    case LS_VALUE_UINT64: {
        if (!is_integer_in(v, 0, 18446744073709551615.0) || v >= 18446744073709551616.0)
            return LS_ERROR_RANGE;
        uint64_t u = (uint64_t)v;
        memcpy(at, &u, sizeof u);
        break;
    }
    case LS_VALUE_BOOL: {
        int b = v != 0.0;
        if (!isfinite(v))
            return LS_ERROR_RANGE;
        memcpy(at, &b, sizeof b);
        break;
    }
    case LS_VALUE_ENUM: {
        if (!is_integer_in(v, 0, enum_count(opt->enum_names) - 1))
            return LS_ERROR_RANGE;
        int e = (int)v;
        memcpy(at, &e, sizeof e);
        break;
    }
    default:
        return LS_ERROR_INVALID_ARGUMENT;
    }
    if (opt->flags & LS_OPTION_OPTIONAL) {
        int given = 1;
        memcpy((char *)options + opt->aux_offset, &given, sizeof given);
    }
    return LS_OK;
}

ls_result ls_option_set_pointer(const ls_option_descriptor *opt, void *options, const void *p,
                                size_t count)
{
    if (!opt || !options)
        return LS_ERROR_INVALID_ARGUMENT;
    char *at = (char *)options + opt->offset;
    switch (opt->kind) {
    case LS_VALUE_FLOAT_ARRAY:
    case LS_VALUE_DOUBLE_ARRAY:
        memcpy((char *)options + opt->aux_offset, &count, sizeof count);
        /* fall through */
    case LS_VALUE_BUFFER:
    case LS_VALUE_PERIODIC_WAVE:
    case LS_VALUE_OBJECT:
        memcpy(at, &p, sizeof p);
        return LS_OK;
    default:
        return LS_ERROR_INVALID_ARGUMENT;
    }
}

/* ------------------------------------------------------------------ */
/* Helpers for node files                                              */
/* ------------------------------------------------------------------ */

void ls__options_init(const ls_node_descriptor *type, void *options)
{
    memset(options, 0, type->options_size);
    ls_node_options node = ls_node_options_default();
    memcpy(options, &node, sizeof node);
    for (uint32_t i = 0; i < type->option_count; i++) {
        const ls_option_descriptor *o = &type->options[i];
        switch (o->kind) {
        case LS_VALUE_FLOAT: case LS_VALUE_DOUBLE: case LS_VALUE_INT: case LS_VALUE_UINT:
        case LS_VALUE_UINT64: case LS_VALUE_BOOL: case LS_VALUE_ENUM:
            if (!(o->flags & LS_OPTION_OPTIONAL))
                (void)ls_option_set_number(o, options, ls_option_default(type, o));
            break;
        default:
            break;              /* pointers and counts stay NULL / 0 */
        }
    }
}

void ls__param_range(const ls_param_descriptor *d, double sample_rate, float *lo, float *hi)
{
    *lo = d->min_value;
    *hi = d->max_value;
    if (d->flags & LS_PARAM_RANGE_NYQUIST) {
        float nyquist = (float)(sample_rate / 2.0);
        *lo = d->flags & LS_PARAM_MIN_ZERO_NYQUIST ? 0.0f : -nyquist;
        *hi = nyquist;
    }
}

ls_result ls__params_create(ls_node *node, const ls_node_descriptor *type, const void *options)
{
    for (uint32_t k = 0; k < type->param_count; k++) {
        const ls_param_descriptor *d = &type->params[k];
        float lo, hi;
        ls__param_range(d, node->ctx->sample_rate, &lo, &hi);
        ls_param *p = ls__param_create(node, d->name, d->default_value, lo, hi,
                                       d->automation_rate, (d->flags & LS_PARAM_RATE_FIXED) != 0);
        if (!p)
            return LS_ERROR_NO_MEM;
        float init = d->default_value;
        for (uint32_t i = 0; options && i < type->option_count; i++) {
            const ls_option_descriptor *o = &type->options[i];
            if (o->param && strcmp(o->param, d->name) == 0) {
                double v;
                if (ls_option_get_number(o, options, &v) == LS_OK)
                    init = (float)v;
            }
        }
        atomic_store(&p->value_bits, ls__float_bits(init));
        p->r.intrinsic = init;
    }
    return LS_OK;
}

ls_result ls__check_param_options(const ls_node_descriptor *type, const void *options)
{
    for (uint32_t i = 0; i < type->option_count; i++) {
        const ls_option_descriptor *o = &type->options[i];
        double v;
        if (o->param && ls_option_get_number(o, options, &v) == LS_OK && !isfinite(v))
            return LS_ERROR_RANGE;
    }
    return LS_OK;
}
