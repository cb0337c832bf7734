/*
 * What the generic node classes (python/src/node_types.c) cannot derive from
 * the engine's descriptors: each node's hand-written methods and attributes,
 * defined in python/src/nodes/<node>.c beside the engine's src/nodes/<node>.c.
 */
#ifndef LABSOUND_PY_NODES_H
#define LABSOUND_PY_NODES_H

#include "../core.h"

typedef struct lspy_node_special {
    const char *key;                /* the descriptor's key: "adsr" */
    PyMethodDef *methods;           /* NULL-terminated, or NULL */
    PyGetSetDef *getset;            /* attributes besides params and settings, or NULL */
    const char *doc;                /* appended to the class's docstring, or NULL */
    ls_result option_error;         /* what an option or setting out of its range raises
                                       (LS_ERROR_INDEX_SIZE: IndexError); 0: ValueError */
    const char *factory_alias;      /* a second name of ctx.create_<key>, or NULL */
} lspy_node_special;

/* Live node check shared by the hand-written parts: 0, or -1 with
 * InvalidStateError when the node was released. */
int lspy_node_check_live(lspy_NodeObject *self);

/* Set three params of `node` (names) from the call's x, y, z (set_position). */
PyObject *lspy_set_three(lspy_state *st, ls_node *node, const char *fn, const char *const names[3],
                         PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);

extern const lspy_node_special lspy_adsr_special;
extern const lspy_node_special lspy_analyser_special;
extern const lspy_node_special lspy_convolver_special;
extern const lspy_node_special lspy_panner_special;
extern const lspy_node_special lspy_recorder_special;
extern const lspy_node_special lspy_sfxr_special;
extern const lspy_node_special lspy_spectral_monitor_special;

#endif /* LABSOUND_PY_NODES_H */
