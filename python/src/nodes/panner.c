/*
 * PannerNode's methods (src/nodes/panner.c): set_position and
 * set_orientation. Its params, models and distances come from the engine's
 * descriptor.
 */
#include "nodes.h"

static const char *const pos_names[3] = {"position_x", "position_y", "position_z"};
static const char *const ori_names[3] = {"orientation_x", "orientation_y", "orientation_z"};

static PyObject *
set_position(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    return lspy_set_params(LSPY_STATE(self), n->node, "set_position", NULL, pos_names, args, nargs,
                           kw);
}

static PyObject *
set_orientation(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    return lspy_set_params(LSPY_STATE(self), n->node, "set_orientation", NULL, ori_names, args,
                           nargs, kw);
}

static PyMethodDef panner_methods[] = {
    {"set_position", (PyCFunction)(void (*)(void))set_position, METH_FASTCALL | METH_KEYWORDS,
     "set_position($self, /, x, y, z)\n--\n\nSet position_x/y/z's values."},
    {"set_orientation", (PyCFunction)(void (*)(void))set_orientation,
     METH_FASTCALL | METH_KEYWORDS,
     "set_orientation($self, /, x, y, z)\n--\n\nSet orientation_x/y/z's values."},
    {NULL}};

const lspy_node_special lspy_panner_special = {
    "panner", panner_methods, NULL,
    "'HRTF' is labsound's structural model: a spherical head and pinna echoes, with\n"
    "elevation and front/back cues. Mono or stereo in, stereo out.\n"
    "\n"
    "    p = ctx.create_panner(panning_model='HRTF', position_x=2.0)\n"
    "    src >> p >> ctx.destination"};
