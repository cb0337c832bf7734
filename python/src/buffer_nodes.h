/*
 * Helpers of the hand-written node bindings (buffer_source.c and the
 * sampler and granulation bindings).
 */
#ifndef LABSOUND_PY_BUFFER_NODES_H
#define LABSOUND_PY_BUFFER_NODES_H

#include "core.h"

/*
 * The keyword arguments of a factory call (vectorcall, ctx given) or of a
 * constructor call X(context, options=None, **kw) (tuple/dict, ctx NULL) as
 * one new dict: the options mapping's items, then the keywords (which win).
 * *ctx_out receives the context (borrowed). NULL on error.
 */
PyObject *lspy_bn_kwargs(const char *fn, PyObject *ctx, PyObject *const *args, Py_ssize_t nargs,
                         PyObject *kwnames, PyObject *tuple, PyObject *dict, Py_ssize_t max_pos,
                         PyObject **ctx_out);
/* Take a keyword out of kw (borrowed; NULL if absent). */
PyObject *lspy_bn_take(PyObject *kw, const char *name);
/* Raise TypeError for whatever is left in kw. 0 when it is empty, else -1. */
int lspy_bn_no_more(PyObject *kw, const char *fn);
/* channel_count, channel_count_mode, channel_interpretation out of kw. */
int lspy_bn_node_options(lspy_state *st, PyObject *kw, const char *fn, ls_node_options *o);
/* A node wrapper for a create call's result (raises for errors). */
PyObject *lspy_bn_finish(lspy_state *st, PyTypeObject *type, PyObject *ctx, ls_result r,
                         ls_node *n, const char *fn);
/* 0 if the wrapper holds a node, else raises InvalidStateError. */
int lspy_bn_live(lspy_state *st, lspy_NodeObject *self);
/* The AudioParam wrapper of param `name`, cached in self->params[slot]. */
PyObject *lspy_bn_param(lspy_NodeObject *self, int slot, const char *name);

/* interpolation=: None (the context's choice) or 'linear', 'cubic', 'sinc',
 * as an ls_interpolation in *out; raises naming `fn`/`arg` and echoing the
 * value otherwise (fn NULL: an attribute). */
int lspy_bn_interpolation(PyObject *o, const char *fn, const char *arg, int *out);
/* The name of an ls_interpolation other than DEFAULT (a new reference). */
PyObject *lspy_bn_interpolation_name(int mode);
/* Raise for a set_interpolation call's error. 0 for LS_OK, else -1. */
int lspy_bn_interpolation_result(lspy_state *st, ls_result r, const char *arg);

/* GC slots of the node types (a node's references: type, context, onended, params). */
int lspy_bn_traverse(PyObject *self, visitproc visit, void *arg);
int lspy_bn_clear(PyObject *self);

#endif
