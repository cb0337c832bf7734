/* Node type descriptors: every listed type is found by name, made from its
 * descriptor alone (options_init, options written through the option
 * descriptors, create), and the node the engine makes matches what the
 * descriptor says (inputs, outputs, source flag, channel defaults, each
 * param's name, default, range and rate, settings read back). */
#include "check.h"

#include <ctype.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

#define SR 48000.0

static ls_context *offline(uint64_t frames)
{
    ls_context *ctx = NULL;
    CHECK_OK(ls_offline_context_create(1, frames, SR, &ctx));
    return ctx;
}

/* a type generic code can make from its defaults alone */
static int makeable(const ls_node_descriptor *t)
{
    if (!t->create || (t->flags & LS_NODE_TYPE_EXTERNAL))
        return 0;
    for (uint32_t i = 0; i < t->option_count; i++)
        if (t->options[i].flags & LS_OPTION_REQUIRED)
            return 0;
    return 1;
}

static void test_listing(void)
{
    uint32_t n = ls_node_type_count();
    CHECK(n >= 3);
    CHECK(ls_node_type_info(n) == NULL);
    CHECK(ls_node_type_find(NULL) == NULL);
    CHECK(ls_node_type_find("NoSuchNode") == NULL);
    for (uint32_t i = 0; i < n; i++) {
        const ls_node_descriptor *t = ls_node_type_info(i);
        CHECK(t != NULL);
        if (!t)
            continue;
        CHECK(!(t->flags & LS_NODE_TYPE_INTERNAL));
        CHECK(ls_node_type_find(t->name) == t);
        CHECK(ls_node_type_find(t->key) == t);
        CHECK(t->options_size >= sizeof(ls_node_options));
        CHECK(t->doc && t->doc[0]);
        for (uint32_t k = 0; k < t->param_count; k++) {
            const ls_param_descriptor *p = &t->params[k];
            CHECK(ls_node_type_param(t, p->name) == p);
            if (!(p->flags & LS_PARAM_DEFAULT_FROM_OPTIONS))
                CHECK(p->min_value <= p->default_value && p->default_value <= p->max_value);
            CHECK(p->unit != NULL && p->doc && p->doc[0]);
        }
        for (uint32_t k = 0; k < t->option_count; k++) {
            const ls_option_descriptor *o = &t->options[k];
            CHECK(ls_node_type_option(t, o->name) == o);
            CHECK(o->offset >= sizeof(ls_node_options) && o->offset < t->options_size);
            CHECK(o->doc && o->doc[0]);
            CHECK((o->kind == LS_VALUE_ENUM) == (o->enum_names != NULL));
            if (o->param)           /* an option feeding a param names one that exists */
                CHECK(ls_node_type_param(t, o->param) != NULL);
        }
        for (uint32_t k = 0; k < t->setting_count; k++) {
            const ls_setting_descriptor *s = &t->settings[k];
            CHECK(ls_node_type_setting(t, s->name) == s);
            CHECK(s->get != NULL);
            if (s->option)
                CHECK(ls_node_type_option(t, s->option) != NULL);
        }
    }
    CHECK(ls_node_type_find("Gain") == ls_node_type_find("gain"));
    /* every type has its own ls_node_type value and name */
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n; j++) {
            CHECK(ls_node_type_info(i)->type != ls_node_type_info(j)->type);
            CHECK(strcmp(ls_node_type_info(i)->key, ls_node_type_info(j)->key) != 0);
        }
}

/* defaults: the options struct from options_init holds each option's default */
static void test_options_defaults(void)
{
    for (uint32_t i = 0; i < ls_node_type_count(); i++) {
        const ls_node_descriptor *t = ls_node_type_info(i);
        void *opts = calloc(1, t->options_size);
        t->options_init(opts);
        ls_node_options node;
        memcpy(&node, opts, sizeof node);
        CHECK(node.channel_count == 0 && node.channel_count_mode == -1 &&
              node.channel_interpretation == -1);
        for (uint32_t k = 0; k < t->option_count; k++) {
            const ls_option_descriptor *o = &t->options[k];
            double v;
            if (o->flags & LS_OPTION_OPTIONAL)
                continue;
            if (ls_option_get_number(o, opts, &v) == LS_OK) {
                double want = ls_option_default(t, o);
                if (o->kind == LS_VALUE_FLOAT)
                    want = (float)want;
                CHECK(v == want);
            }
        }
        free(opts);
    }
    /* the per-type default functions give the same numbers */
    ls_adsr_options a = ls_adsr_options_default();
    const ls_node_descriptor *adsr = ls_node_type_find("ADSR");
    CHECK(a.sustain_level == ls_node_type_param(adsr, "sustain_level")->default_value);
    CHECK(a.one_shot == 0);
    ls_oscillator_options o = ls_oscillator_options_default();
    CHECK(o.type == LS_OSCILLATOR_TYPE_SINE && o.periodic_wave == NULL);
    CHECK(o.frequency == ls_node_type_param(ls_node_type_find("Oscillator"), "frequency")
                             ->default_value);
}

/* every makeable type: made from the descriptor, and the node agrees with it */
static void test_made_from_descriptor(void)
{
    ls_context *ctx = offline(LS_RENDER_QUANTUM);
    for (uint32_t i = 0; i < ls_node_type_count(); i++) {
        const ls_node_descriptor *t = ls_node_type_info(i);
        if (!makeable(t))
            continue;
        void *opts = calloc(1, t->options_size);
        t->options_init(opts);
        ls_node *node = NULL;
        CHECK_OK(t->create(ctx, opts, &node));
        if (!node) {
            fprintf(stderr, "  (%s)\n", t->name);
            free(opts);
            continue;
        }
        CHECK(ls_node_get_type(node) == t->type);
        CHECK(ls_node_type_of(node) == t);
        CHECK(ls_node_number_of_inputs(node) == t->number_of_inputs);
        CHECK(ls_node_number_of_outputs(node) == t->number_of_outputs);
        CHECK((ls_source_start(node, 0.0) != LS_ERROR_INVALID_ARGUMENT) ==
              ((t->flags & LS_NODE_TYPE_SCHEDULED_SOURCE) != 0));
        CHECK(ls_node_channel_count(node) == (uint32_t)t->channel_defaults.channel_count);
        CHECK((int)ls_node_channel_count_mode(node) == t->channel_defaults.channel_count_mode);
        CHECK((int)ls_node_channel_interpretation(node) ==
              t->channel_defaults.channel_interpretation);
        CHECK(ls_node_param_count(node) == t->param_count);
        for (uint32_t k = 0; k < t->param_count && k < ls_node_param_count(node); k++) {
            const ls_param_descriptor *d = &t->params[k];
            ls_param *p = ls_node_param(node, k);
            CHECK(strcmp(ls_param_name(p), d->name) == 0);
            CHECK(ls_param_default_value(p) == d->default_value);
            if (!(d->flags & LS_PARAM_DRIVEN))
                CHECK(ls_param_value(p) == d->default_value);
            CHECK(ls_param_automation_rate(p) == d->automation_rate);
            float lo = d->min_value, hi = d->max_value;
            if (d->flags & LS_PARAM_RANGE_NYQUIST) {
                lo = d->flags & LS_PARAM_MIN_ZERO_NYQUIST ? 0.0f : (float)(-SR / 2);
                hi = (float)(SR / 2);
            }
            if (!(d->flags & LS_PARAM_RANGE_FROM_OPTIONS)) {
                CHECK(ls_param_min_value(p) == lo);
                CHECK(ls_param_max_value(p) == hi);
            }
            ls_automation_rate other = d->automation_rate == LS_AUTOMATION_RATE_A_RATE
                                           ? LS_AUTOMATION_RATE_K_RATE
                                           : LS_AUTOMATION_RATE_A_RATE;
            ls_result r = ls_param_set_automation_rate(p, other);
            CHECK((r == LS_ERROR_INVALID_STATE) == ((d->flags & LS_PARAM_RATE_FIXED) != 0));
        }
        for (uint32_t k = 0; k < t->setting_count; k++) {
            const ls_setting_descriptor *s = &t->settings[k];
            ls_value v = {0};
            CHECK_OK(s->get(node, &v));
            const ls_option_descriptor *o = ls_node_type_option(t, s->option);
            double want;
            if (o && ls_option_get_number(o, opts, &want) == LS_OK) {
                if (s->kind == LS_VALUE_FLOAT || s->kind == LS_VALUE_DOUBLE)
                    CHECK(v.f == want);
                else
                    CHECK((double)v.i == want);
            }
        }
        ls_node_release(node);
        free(opts);
    }
    ls_context_release(ctx);
}

/* an option feeding a param sets the param's initial value; enum and bool
 * settings written through their setters read back */
static void test_options_and_settings(void)
{
    ls_context *ctx = offline(LS_RENDER_QUANTUM);
    for (uint32_t i = 0; i < ls_node_type_count(); i++) {
        const ls_node_descriptor *t = ls_node_type_info(i);
        if (!makeable(t))
            continue;
        void *opts = calloc(1, t->options_size);
        t->options_init(opts);
        for (uint32_t k = 0; k < t->option_count; k++) {
            const ls_option_descriptor *o = &t->options[k];
            if (!o->param)
                continue;
            const ls_param_descriptor *d = ls_node_type_param(t, o->param);
            /* a value inside the range, other than the default */
            double v = d->default_value + 0.25;
            if (v > d->max_value)
                v = d->default_value - 0.25;
            CHECK_OK(ls_option_set_number(o, opts, v));
        }
        ls_node *node = NULL;
        CHECK_OK(t->create(ctx, opts, &node));
        for (uint32_t k = 0; node && k < t->option_count; k++) {
            const ls_option_descriptor *o = &t->options[k];
            if (!o->param)
                continue;
            double v;
            CHECK_OK(ls_option_get_number(o, opts, &v));
            CHECK(ls_param_value(ls_node_param_by_name(node, o->param)) == (float)v);
            CHECK(ls_param_value(ls_node_param_by_name(node, o->param)) !=
                  ls_node_type_param(t, o->param)->default_value);
        }
        for (uint32_t k = 0; node && k < t->setting_count; k++) {
            const ls_setting_descriptor *s = &t->settings[k];
            if (!s->set || (s->kind != LS_VALUE_ENUM && s->kind != LS_VALUE_BOOL))
                continue;
            ls_value old = {0}, now = {0};
            CHECK_OK(s->get(node, &old));
            /* "default" (an enum's first name) reads back as what it stands
             * for: flip between the other names */
            int64_t first = s->kind == LS_VALUE_ENUM && strcmp(s->enum_names[0], "default") == 0;
            ls_value nv = {0};
            nv.i = old.i == first ? first + 1 : first;
            CHECK_OK(s->set(node, &nv));
            CHECK_OK(s->get(node, &now));
            CHECK(now.i == nv.i);
        }
        if (node)
            ls_node_release(node);
        free(opts);
    }
    ls_context_release(ctx);
}

static void test_option_values(void)
{
    const ls_node_descriptor *osc = ls_node_type_find("Oscillator");
    const ls_option_descriptor *type = ls_node_type_option(osc, "type");
    const ls_option_descriptor *freq = ls_node_type_option(osc, "frequency");
    CHECK(ls_enum_index(type->enum_names, "sawtooth") == LS_OSCILLATOR_TYPE_SAWTOOTH);
    CHECK(ls_enum_index(type->enum_names, "saw") == -1);
    ls_oscillator_options o = ls_oscillator_options_default();
    CHECK_OK(ls_option_set_number(type, &o, LS_OSCILLATOR_TYPE_TRIANGLE));
    CHECK(o.type == LS_OSCILLATOR_TYPE_TRIANGLE);
    CHECK(ls_option_set_number(type, &o, 5) == LS_ERROR_RANGE);     /* past the names */
    CHECK(ls_option_set_number(type, &o, 1.5) == LS_ERROR_RANGE);
    CHECK(ls_option_set_number(freq, &o, NAN) == LS_ERROR_RANGE);
    CHECK(ls_option_set_number(freq, &o, 1e39) == LS_ERROR_RANGE);  /* no float holds it */
    CHECK(o.type == LS_OSCILLATOR_TYPE_TRIANGLE && o.frequency == 440.0f);
    CHECK(ls_option_set_number(ls_node_type_option(osc, "periodic_wave"), &o, 1) ==
          LS_ERROR_INVALID_ARGUMENT);
    CHECK(ls_option_set_number(NULL, &o, 1) == LS_ERROR_INVALID_ARGUMENT);
}

/* a gain made through its descriptor scales a constant source: 1 x 0.25 */
static void test_gain_renders(void)
{
    ls_context *ctx = offline(LS_RENDER_QUANTUM);
    const ls_node_descriptor *g = ls_node_type_find("gain");
    ls_gain_options opts;
    g->options_init(&opts);
    CHECK_OK(ls_option_set_number(ls_node_type_option(g, "gain"), &opts, 0.25));
    ls_node *gain = NULL, *src = NULL;
    CHECK_OK(g->create(ctx, &opts, &gain));
    CHECK_OK(ls_constant_source_create(ctx, NULL, &src));
    CHECK_OK(ls_node_connect(src, gain, 0, 0));
    CHECK_OK(ls_node_connect(gain, ls_context_destination(ctx), 0, 0));
    CHECK_OK(ls_source_start(src, 0.0));
    ls_buffer *out = NULL;
    CHECK_OK(ls_offline_context_render(ctx, &out));
    const float *x = ls_buffer_channel_data(out, 0);
    int bad = 0;
    for (int i = 0; i < LS_RENDER_QUANTUM; i++)
        bad += x[i] != 0.25f;
    CHECK(bad == 0);
    ls_buffer_release(out);
    ls_node_release(src);
    ls_node_release(gain);
    ls_context_release(ctx);
}

/* sfxr's slider ranges in its descriptor are the kernel's */
static void test_sfxr_ranges(void)
{
    const ls_node_descriptor *t = ls_node_type_find("Sfxr");
    for (int i = 1; i < ls_sfxr_setting_count(); i++) {
        const ls_option_descriptor *o = ls_node_type_option(t, ls_sfxr_setting_name(i));
        float lo, hi;
        CHECK(o != NULL);
        CHECK_OK(ls_sfxr_setting_range(i, &lo, &hi));
        if (o)
            CHECK(o->min_value == lo && o->max_value == hi);
    }
}

/* a value an option refuses: the create function's own error */
static void test_create_errors(void)
{
    ls_context *ctx = offline(LS_RENDER_QUANTUM);
    const ls_node_descriptor *adsr = ls_node_type_find("ADSR");
    ls_adsr_options o = ls_adsr_options_default();
    o.attack_time = -1.0f;
    ls_node *n = NULL;
    CHECK(adsr->create(ctx, &o, &n) == LS_ERROR_RANGE && n == NULL);
    o = ls_adsr_options_default();
    o.sustain_level = INFINITY;
    CHECK(adsr->create(ctx, &o, &n) == LS_ERROR_RANGE && n == NULL);
    ls_context_release(ctx);
}

/* ------------------------------------------------------------------ */
/* The public headers' comments against the descriptors                */
/* ------------------------------------------------------------------ */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = 0;
    fclose(f);
    return s;
}

/* the option a header field names: by name, ignoring case (the biquad's q is "Q") */
static const ls_option_descriptor *option_named(const ls_node_descriptor *t, const char *field)
{
    for (uint32_t i = 0; i < t->option_count; i++) {
        const char *a = t->options[i].name, *b = field;
        while (*a && *b && tolower((unsigned char)*a) == tolower((unsigned char)*b))
            a++, b++;
        if (!*a && !*b)
            return &t->options[i];
    }
    return NULL;
}

/* an enum default spelled in a comment (SINE, LS_NOTE_QUARTER): the enum
 * name it ends with, '-' read as '_', ignoring case; -1 if none */
static int enum_spelled(const ls_option_descriptor *o, const char *word, size_t len)
{
    int best = -1;
    size_t best_len = 0;
    for (int k = 0; o->enum_names[k]; k++) {
        size_t n = strlen(o->enum_names[k]);
        if (n > len || n <= best_len)
            continue;
        const char *tail = word + len - n;
        if (len > n && tail[-1] != '_')
            continue;
        size_t j = 0;
        for (; j < n; j++) {
            char c = o->enum_names[k][j] == '-' ? '_' : o->enum_names[k][j];
            if (tolower((unsigned char)c) != tolower((unsigned char)tail[j]))
                break;
        }
        if (j == n) {
            best = k;
            best_len = n;
        }
    }
    return best;
}

/* Each "default X" a header's options struct states for a field agrees with
 * the descriptor (so the comments cannot drift from the engine), and the
 * sfxr line "float a, b, c; /- 0, 0.3, 0 -/" lists them in order. */
static void check_header(const char *text, int *checked)
{
    for (uint32_t i = 0; i < ls_node_type_count(); i++) {
        const ls_node_descriptor *t = ls_node_type_info(i);
        char open[96], close[96];
        snprintf(open, sizeof open, "typedef struct ls_%s_options {", t->key);
        snprintf(close, sizeof close, "} ls_%s_options;", t->key);
        const char *a = strstr(text, open), *b = a ? strstr(a, close) : NULL;
        if (!a || !b)
            continue;
        const char *line = strchr(a, '\n') + 1;
        while (line < b) {
            const char *end = strchr(line, '\n');
            const char *semi = memchr(line, ';', (size_t)(end - line));
            const char *comment = semi ? strstr(semi, "/*") : NULL;
            if (!semi || !comment || comment > end) {
                line = end + 1;
                continue;
            }
            /* the names declared: identifiers before ';' after the type */
            char decl[256];
            size_t dn = (size_t)(semi - line) < sizeof decl - 1 ? (size_t)(semi - line)
                                                                 : sizeof decl - 1;
            memcpy(decl, line, dn);
            decl[dn] = 0;
            char *names[16];
            int nn = 0;
            char *comma_list = strchr(decl, ',');
            if (comma_list) {
                char *first = decl;
                while (*first == ' ')
                    first++;
                char *sp = strchr(first, ' ');   /* skip the type */
                for (char *tok = strtok(sp, ", "); tok && nn < 16; tok = strtok(NULL, ", "))
                    names[nn++] = tok;
            } else {
                char *last = strrchr(decl, ' ');
                if (last) {
                    while (*last == ' ' || *last == '*')
                        last++;
                    names[nn++] = last;
                }
            }
            const char *c = comment + 2;
            const char *dflt = strstr(c, "default");
            if (dflt && dflt < end && nn == 1) {
                const ls_option_descriptor *o = option_named(t, names[0]);
                const char *v = dflt + 7;
                while (*v == ' ')
                    v++;
                if (o && (o->kind == LS_VALUE_ENUM)) {
                    size_t len = 0;
                    while (isalnum((unsigned char)v[len]) || v[len] == '_')
                        len++;
                    int k = enum_spelled(o, v, len);
                    CHECK(k >= 0 && k == (int)ls_option_default(t, o));
                    if (!(k >= 0 && k == (int)ls_option_default(t, o)))
                        fprintf(stderr, "  ls_%s_options.%s\n", t->key, names[0]);
                    ++*checked;
                } else if (o && o->kind <= LS_VALUE_BOOL && !(o->flags & LS_OPTION_OPTIONAL)) {
                    char *after;
                    double x = strtod(v, &after);
                    if (after != v) {
                        double want = ls_option_default(t, o);
                        if (o->kind == LS_VALUE_FLOAT)
                            x = (float)x, want = (float)want;
                        CHECK(x == want);
                        if (x != want)
                            fprintf(stderr, "  ls_%s_options.%s: header %g, descriptor %g\n",
                                    t->key, names[0], x, want);
                        ++*checked;
                    }
                }
            } else if (nn > 1) {
                /* "a, b, c; /- 0, 0.3, 0 -/" */
                const char *v = c;
                for (int k = 0; k < nn; k++) {
                    while (*v == ' ' || *v == ',')
                        v++;
                    char *after;
                    double x = strtod(v, &after);
                    if (after == v)
                        break;
                    const ls_option_descriptor *o = option_named(t, names[k]);
                    CHECK(o != NULL);
                    if (o) {
                        CHECK((float)x == (float)ls_option_default(t, o));
                        ++*checked;
                    }
                    v = after;
                    while (*v && *v != ',' && *v != '*')
                        v++;                /* past "+-" marks */
                }
            }
            line = end + 1;
        }
    }
}

static void test_header_defaults(void)
{
    static const char *const headers[] = {"labsound.h", "filters.h", "spatial.h", "buffers.h",
                                          "extended.h", "script.h"};
    int checked = 0;
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/include/labsound/%s", LS_SOURCE_DIR, headers[i]);
        char *text = read_text(path);
        CHECK(text != NULL);
        if (text)
            check_header(text, &checked);
        free(text);
    }
    CHECK(checked >= 60);   /* the comments were found: about one per option */
    printf("     %d defaults in the headers checked\n", checked);
}

TEST_MAIN(TEST(test_header_defaults), TEST(test_listing), TEST(test_options_defaults), TEST(test_made_from_descriptor),
          TEST(test_options_and_settings), TEST(test_option_values), TEST(test_gain_renders),
          TEST(test_create_errors), TEST(test_sfxr_ranges))
