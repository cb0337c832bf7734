"""Every public object of the package documents itself.

help(ls.X) is where a user looks first, and the API reference (docs/reference.md,
mkdocstrings) is generated from these docstrings, so a missing or one-line
docstring is a gap in the published reference too.
"""

import importlib
import inspect

import pytest

import labsound as ls

SUBMODULES = ("labsound.plot", "labsound.widgets", "labsound.torch")


def _public(module):
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    return [(n, getattr(module, n)) for n in names]


def _members(cls):
    """Public attributes defined on the class itself (not inherited)."""
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, (property, staticmethod, classmethod)) or callable(value) or \
                type(value).__name__ in ("getset_descriptor", "member_descriptor",
                                         "method_descriptor", "classmethod_descriptor"):
            yield name, value


def _doc(obj):
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    return (getattr(obj, "__doc__", None) or "").strip()


def _all_objects():
    out = [("labsound", n, o) for n, o in _public(ls)]
    for modname in SUBMODULES:
        try:
            mod = importlib.import_module(modname)
        except ImportError:         # an optional extra not installed here
            continue
        out += [(modname, n, o) for n, o in _public(mod)]
    return out


def test_every_public_object_has_a_docstring():
    missing = []
    for mod, name, obj in _all_objects():
        if isinstance(obj, (int, float, str, tuple, frozenset)):
            continue                # constants (MAX_CHANNELS, __version__)
        if inspect.ismodule(obj):
            continue
        if not inspect.getdoc(obj):
            missing.append(f"{mod}.{name}")
        if inspect.isclass(obj):
            for attr, value in _members(obj):
                if not _doc(value):
                    missing.append(f"{mod}.{name}.{attr}")
    assert not missing, "no docstring: " + ", ".join(missing)


def test_classes_say_more_than_a_line():
    """A class's docstring explains what it does beyond its signature: at least
    three lines of text after the signature block that CPython strips."""
    short = []
    for mod, name, obj in _all_objects():
        if not inspect.isclass(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        lines = [ln for ln in doc.splitlines() if ln.strip()]
        if len(lines) < 3:
            short.append(f"{mod}.{name} ({len(lines)} lines)")
    assert not short, "docstring shorter than three lines: " + ", ".join(short)


@pytest.mark.parametrize("entry", sorted(ls.node_types().values(), key=lambda t: t.name),
                         ids=lambda t: t.name)
def test_node_docs_name_their_factory_and_signature(entry):
    """help(ls.GainNode) shows how to make one: the class's constructor
    signature (from the docstring's signature block) lists every option of the
    registry, and the text names the ctx.create_* factory."""
    cls = entry.cls
    doc = inspect.getdoc(cls) or ""
    assert entry.factory in doc, f"{cls.__name__}'s docstring does not mention {entry.factory}"
    try:
        sig = inspect.signature(cls)
    except (TypeError, ValueError):
        pytest.fail(f"{cls.__name__} has no signature for help()")
    params = set(sig.parameters)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values()):
        return                      # **options: the options are listed in the text instead
    missing = [o for o in entry.options if o not in params]
    assert not missing, f"{cls.__name__}'s signature lacks options {missing}"


def test_help_on_biquad_is_useful():
    text = inspect.getdoc(ls.BiquadFilterNode)
    for word in ("lowpass", "frequency", "Hz", "detune", "cents", "create_biquad_filter",
                 "get_frequency_response"):
        assert word in text, word
