/*
 * What node files use to define their descriptor (include/labsound/descriptor.h)
 * and to build a node from it.
 *
 * A node file defines exactly one `const ls_node_descriptor ls__<key>_type = {`
 * at the start of a line (the build lists node types by finding that line), and
 * derives its ls_<key>_options_default() from it with LS__OPTIONS_DEFAULT.
 */
#ifndef LS_NODE_TYPES_H
#define LS_NODE_TYPES_H

#include "labsound/descriptor.h"

#include <stddef.h>

struct ls_node;

/* Any thread: fill `options` (type->options_size bytes) with ls_node_options
 * defaults and every option's default; pointers, counts and OPTIONAL values
 * are left zero. */
void ls__options_init(const ls_node_descriptor *type, void *options);

/* The range of a param in a context of `sample_rate`. */
void ls__param_range(const ls_param_descriptor *d, double sample_rate, float *lo, float *hi);

/* control, before publishing: create every param of `type` on `node`, in
 * descriptor order (so params[k] is the k-th descriptor), each at the value
 * of the option that feeds it (or its default when options is NULL).
 * Errors: NO_MEM (the caller frees the unpublished node). */
ls_result ls__params_create(struct ls_node *node, const ls_node_descriptor *type,
                            const void *options);

/* RANGE when an option feeding a param is not finite, else OK. */
ls_result ls__check_param_options(const ls_node_descriptor *type, const void *options);

/* The usual channel defaults: 2 channels, "max", "speakers". */
#define LS__CHANNELS_DEFAULT {2, LS_CHANNEL_COUNT_MODE_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS}

/* An options-struct float field `field` of `otype` that gives param `pname`
 * (a string literal) its initial value. */
#define LS__PARAM_OPTION(otype, field, pname)                                      \
    {#field, LS_VALUE_FLOAT, offsetof(otype, field), 0, 0, NULL, pname, 0,        \
     "initial value of the " pname " param"}

/* Params: a float anywhere, and the detune range of the spec (1200 log2 FLT_MAX) */
#define LS__FLT_RANGE -FLT_MAX, FLT_MAX
#define LS__DETUNE_MAX 153600.0f

/* Number of elements of a constant array. */
#define LS__COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* ls_<key>_options_default() and the descriptor's options_init, both from the
 * descriptor ls__<key>_type. */
#define LS__OPTIONS_DEFAULT(key)                                                   \
    extern const ls_node_descriptor ls__##key##_type;                              \
    ls_##key##_options ls_##key##_options_default(void)                            \
    {                                                                              \
        ls_##key##_options o;                                                      \
        ls__options_init(&ls__##key##_type, &o);                                   \
        return o;                                                                  \
    }                                                                              \
    static void key##_options_init(void *o) { ls__options_init(&ls__##key##_type, o); }

/* The create function as the descriptor's generic pointer. */
#define LS__CREATE_FN(key)                                                         \
    static ls_result key##_create_any(ls_context *ctx, const void *o, ls_node **out) \
    {                                                                              \
        return ls_##key##_create(ctx, (const ls_##key##_options *)o, out);         \
    }

#endif /* LS_NODE_TYPES_H */
