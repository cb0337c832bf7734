/*
 * labsound: node type descriptors.
 *
 * Every node type the engine can make is described by one constant
 * ls_node_descriptor, defined beside its code in src/nodes/<node>.c. The
 * descriptor holds every fact about the type that is not DSP: its name, its
 * AudioParams (default, range, automation rate, unit, doc), the fields of its
 * options struct (kind, default, where they lie in the struct), its settings
 * (attributes read and written after creation, through getter and setter
 * functions), its inputs and outputs and its create function. A node can be
 * made, configured and described from the descriptor alone:
 *
 *     const ls_node_descriptor *t = ls_node_type_find("Gain");
 *     void *opts = malloc(t->options_size);
 *     t->options_init(opts);                       // every default
 *     ls_option_set_number(t, opts, "gain", 0.5);  // or write at option->offset
 *     ls_node *node;
 *     ls_result r = t->create(ctx, opts, &node);
 *
 * The descriptors are read-only and live as long as the program. Everything
 * built on the engine (the Python binding, its stubs, the node reference)
 * reads them rather than restating the facts.
 *
 * Threads: every function in this header may be called from any thread,
 * the render thread included (they only read constant tables), except that
 * the create function and the setting setters a descriptor points to follow
 * the rules of the functions they stand for (control thread).
 */
#ifndef LABSOUND_DESCRIPTOR_H
#define LABSOUND_DESCRIPTOR_H

#include "labsound.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What an option or a setting holds, and so which member of ls_value
 *  carries it and what C type lies at an option's offset. */
typedef enum ls_value_kind {
    LS_VALUE_FLOAT = 0,         /* float;    ls_value.f */
    LS_VALUE_DOUBLE = 1,        /* double;   ls_value.f */
    LS_VALUE_INT = 2,           /* int32_t;  ls_value.i */
    LS_VALUE_UINT = 3,          /* uint32_t; ls_value.i */
    LS_VALUE_UINT64 = 4,        /* uint64_t; ls_value.i (as the same bits) */
    LS_VALUE_BOOL = 5,          /* int, 0 or 1; ls_value.i */
    LS_VALUE_ENUM = 6,          /* a C enum (int-sized) indexing enum_names; ls_value.i */
    LS_VALUE_BUFFER = 7,        /* ls_buffer *, may be NULL; ls_value.p */
    LS_VALUE_PERIODIC_WAVE = 8, /* ls_periodic_wave *, may be NULL; ls_value.p */
    LS_VALUE_FLOAT_ARRAY = 9,   /* const float * with a size_t count at count_offset */
    LS_VALUE_DOUBLE_ARRAY = 10, /* const double * with a size_t count at count_offset */
    LS_VALUE_OBJECT = 11        /* anything else (void *): only the binding knows it */
} ls_value_kind;

/** A setting's value as the getters and setters pass it. */
typedef struct ls_value {
    double f;                   /* FLOAT, DOUBLE */
    int64_t i;                  /* INT, UINT, UINT64, BOOL, ENUM */
    void *p;                    /* BUFFER, PERIODIC_WAVE, OBJECT (borrowed) */
} ls_value;

/* ls_param_descriptor.flags */
/** The range is the context's Nyquist frequency: min_value is -sample_rate / 2
 *  (or 0, see LS_PARAM_MIN_ZERO_NYQUIST) and max_value sample_rate / 2; the
 *  min_value / max_value fields then hold what is reported without a context. */
#define LS_PARAM_RANGE_NYQUIST 0x1u
/** With LS_PARAM_RANGE_NYQUIST: the range is [0, sample_rate / 2]. */
#define LS_PARAM_MIN_ZERO_NYQUIST 0x2u
/** The automation rate is fixed: setting another one is INVALID_STATE. */
#define LS_PARAM_RATE_FIXED 0x4u
/** The range depends on the node's options (e.g. a delay's max_delay_time):
 *  min_value / max_value are the bounds for the default options. */
#define LS_PARAM_RANGE_FROM_OPTIONS 0x8u

/** The node sets the param's value itself from other options or settings
 *  (a tempo-synced delay's delayTime): users read it but do not automate it,
 *  and a new node's value is not default_value. */
#define LS_PARAM_DRIVEN 0x10u

/** The default follows the options (a granulator's position_end: the
 *  buffer's length); default_value holds the option's stand-in for it. */
#define LS_PARAM_DEFAULT_FROM_OPTIONS 0x20u

/** One AudioParam of a node type. */
typedef struct ls_param_descriptor {
    const char *name;           /* as ls_node_param_by_name knows it */
    float default_value;
    float min_value, max_value; /* nominal range (see the flags) */
    ls_automation_rate automation_rate;   /* the rate a new node's param has */
    uint32_t flags;             /* LS_PARAM_* */
    const char *unit;           /* "Hz", "cents", "s", "dB", "" */
    const char *doc;            /* one line */
} ls_param_descriptor;

/* ls_option_descriptor.flags */
/** The constructor needs this option: there is no usable default. */
#define LS_OPTION_REQUIRED 0x1u
/** An optional value: the int at present_offset says whether it is given
 *  (1) or left to the engine (0); default_value is then unused. */
#define LS_OPTION_OPTIONAL 0x2u
/** The value must be a power of two (within min_value .. max_value). */
#define LS_OPTION_POWER_OF_TWO 0x4u
/** The value must be above min_value, not equal to it. */
#define LS_OPTION_ABOVE_MIN 0x8u

/** One field of a node type's options struct. */
typedef struct ls_option_descriptor {
    const char *name;
    ls_value_kind kind;
    size_t offset;              /* of the field in the options struct */
    size_t aux_offset;          /* arrays: of the size_t count; OPTIONAL: of the int flag */
    double default_value;       /* numbers, BOOL (0/1), ENUM (index); NULL for pointers */
    const char *const *enum_names; /* ENUM: names by value, NULL-terminated; else NULL */
    const char *param;          /* the param this option gives its initial value, or NULL;
                                   its default is then the param's default_value */
    uint32_t flags;             /* LS_OPTION_* */
    const char *doc;            /* one line */
    double min_value, max_value;/* the values create accepts, when both are not 0 (an
                                   option feeding a param: that param's range) */
} ls_option_descriptor;

/** One attribute of a live node that is not an AudioParam. */
typedef struct ls_setting_descriptor {
    const char *name;
    ls_value_kind kind;
    const char *const *enum_names; /* ENUM: names by value, NULL-terminated */
    const char *option;         /* the option that sets it at creation, or NULL */
    /** Read the value. Control thread. Errors: INVALID_ARGUMENT (wrong node). */
    ls_result (*get)(const ls_node *node, ls_value *out);
    /** Write it (NULL: read-only after creation). Control thread. Errors: those
     *  of the setter it stands for. */
    ls_result (*set)(ls_node *node, const ls_value *value);
    const char *doc;            /* one line */
} ls_setting_descriptor;

/* ls_node_descriptor.flags */
/** A scheduled source: ls_source_start / ls_source_stop apply. */
#define LS_NODE_TYPE_SCHEDULED_SOURCE 0x1u
/** Made by the engine itself (destination, listener): create is NULL and the
 *  listing functions skip it. */
#define LS_NODE_TYPE_INTERNAL 0x2u
/** The number of inputs or outputs follows an option (number_of_inputs ...):
 *  the counts below are those of the default options. */
#define LS_NODE_TYPE_VARIABLE_IO 0x4u
/** Needs something beyond a context to be made (an audio device, a user
 *  function): generic code may list it but not make it from defaults. */
#define LS_NODE_TYPE_EXTERNAL 0x8u
/** The channel options are not taken at creation: the node sets its own
 *  (from its buffer, or its channels option). */
#define LS_NODE_TYPE_FIXED_CHANNELS 0x10u

/** Everything about one node type. */
typedef struct ls_node_descriptor {
    const char *name;           /* Web Audio style, without "Node": "Gain", "BiquadFilter" */
    const char *key;            /* snake_case, as in ls_<key>_create: "gain", "buffer_source" */
    ls_node_type type;          /* what ls_node_get_type answers for its nodes */
    const char *doc;            /* one line */
    uint32_t number_of_inputs, number_of_outputs;
    uint32_t flags;             /* LS_NODE_TYPE_* */
    ls_node_options channel_defaults; /* count, mode and interpretation of a new node */
    const ls_param_descriptor *params;
    uint32_t param_count;
    const ls_option_descriptor *options;   /* the node's own, after ls_node_options */
    uint32_t option_count;
    const ls_setting_descriptor *settings;
    uint32_t setting_count;
    size_t options_size;        /* sizeof the options struct; it begins with ls_node_options */
    /** Fill an options struct with every default (what ls_<node>_options_default
     *  returns). Any thread. */
    void (*options_init)(void *options);
    /** Make a node: ls_<node>_create. Control thread; errors as that function.
     *  NULL for internal types. */
    ls_result (*create)(ls_context *ctx, const void *options, ls_node **out);
} ls_node_descriptor;

/** Number of node types a user can list (internal ones left out). Any thread. */
LS_API uint32_t ls_node_type_count(void);
/** The index-th node type, in a fixed order (by file name), or NULL when
 *  index >= ls_node_type_count(). Any thread. */
LS_API const ls_node_descriptor *ls_node_type_info(uint32_t index);
/** The node type called `name` (ls_node_descriptor.name or .key), internal
 *  ones included, or NULL (also for a NULL name). Any thread. */
LS_API const ls_node_descriptor *ls_node_type_find(const char *name);
/** The descriptor of a node's type (internal ones included), or NULL for NULL.
 *  Any thread that holds a reference to the node. */
LS_API const ls_node_descriptor *ls_node_type_of(const ls_node *node);

/** The option called `name` of a type, or NULL. Any thread. */
LS_API const ls_option_descriptor *ls_node_type_option(const ls_node_descriptor *type,
                                                       const char *name);
/** The param descriptor called `name` of a type, or NULL. Any thread. */
LS_API const ls_param_descriptor *ls_node_type_param(const ls_node_descriptor *type,
                                                     const char *name);
/** The setting called `name` of a type, or NULL. Any thread. */
LS_API const ls_setting_descriptor *ls_node_type_setting(const ls_node_descriptor *type,
                                                         const char *name);
/** The default of an option as a double: the param's default when the
 *  option feeds a param, else default_value. Any thread. */
LS_API double ls_option_default(const ls_node_descriptor *type, const ls_option_descriptor *opt);

/** Read a numeric, BOOL or ENUM option from an options struct of `type`
 *  (integer kinds converted to double). Any thread. Errors: INVALID_ARGUMENT
 *  (NULL, or an option of another kind). */
LS_API ls_result ls_option_get_number(const ls_option_descriptor *opt, const void *options,
                                      double *out);
/** Write a numeric, BOOL or ENUM option into an options struct, converted to
 *  the field's C type (and for OPTIONAL options, marked as given). Any thread.
 *  Errors: INVALID_ARGUMENT (NULL, or not a numeric kind), RANGE (not finite
 *  for a float kind; not an integer, or outside the C type, for an integer
 *  kind; not an index of enum_names for ENUM). Nothing is written on error. */
LS_API ls_result ls_option_set_number(const ls_option_descriptor *opt, void *options, double v);
/** Write a pointer option (BUFFER, PERIODIC_WAVE, OBJECT; arrays with their
 *  count). The options struct borrows it. Any thread. Errors: INVALID_ARGUMENT
 *  (NULL opt or options, or a numeric kind). */
LS_API ls_result ls_option_set_pointer(const ls_option_descriptor *opt, void *options,
                                       const void *p, size_t count);

/** The index of `name` in an enum's names, or -1. Any thread. */
LS_API int ls_enum_index(const char *const *enum_names, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* LABSOUND_DESCRIPTOR_H */
