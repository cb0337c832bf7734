/*
 * ADSRNode's methods (src/nodes/adsr.c): gate_on(when) and gate_off(when).
 * Its params, one_shot and its options come from the engine's descriptor.
 */
#include "nodes.h"

static const char *const when_names[] = {"when", NULL};

static PyObject *
adsr_gate(lspy_NodeObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw, int on)
{
    const char *fn = on ? "gate_on" : "gate_off";
    lspy_argspec spec = {fn, when_names, 1, 0};
    PyObject *v[1];
    if (lspy_node_check_live(self) < 0 || lspy_parse_fast(&spec, args, nargs, kw, v) < 0) {
        return NULL;
    }
    double when = 0.0;
    if (v[0] != NULL && lspy_arg_time(v[0], fn, "when", &when) < 0) {
        return NULL;
    }
    ls_result r = on ? ls_adsr_gate_on(self->node, when) : ls_adsr_gate_off(self->node, when);
    if (r != LS_OK) {
        return lspy_raise_call(LSPY_STATE(self), r, fn);
    }
    Py_RETURN_NONE;
}

static PyObject *
adsr_gate_on(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    return adsr_gate((lspy_NodeObject *)self, args, nargs, kw, 1);
}

static PyObject *
adsr_gate_off(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw)
{
    return adsr_gate((lspy_NodeObject *)self, args, nargs, kw, 0);
}

static PyMethodDef adsr_methods[] = {
    {"gate_on", (PyCFunction)(void (*)(void))adsr_gate_on, METH_FASTCALL | METH_KEYWORDS,
     "gate_on($self, /, when=0.0)\n--\n\nOpen the gate at `when` (context seconds): "
     "gate.set_value_at_time(1, when)."},
    {"gate_off", (PyCFunction)(void (*)(void))adsr_gate_off, METH_FASTCALL | METH_KEYWORDS,
     "gate_off($self, /, when=0.0)\n--\n\nClose the gate at `when`: "
     "gate.set_value_at_time(0, when)."},
    {NULL}};

const lspy_node_special lspy_adsr_special = {
    "adsr", adsr_methods, NULL,
    "With nothing connected to its input it outputs the envelope itself (mono).\n"
    "\n"
    "    env = ctx.create_adsr(attack_time=0.01, decay_time=0.1, sustain_level=0.6)\n"
    "    osc >> env >> ctx.destination\n"
    "    env.gate_on(0.0); env.gate_off(1.0)"};
