"""Write what follows from the engine's node descriptors: docs/node-reference.md
and the generated parts of python/labsound/__init__.pyi (the stubs of the node
classes not written by hand, and their create_* factories).

    python scripts/gen_nodes.py            # rewrite both
    python scripts/gen_nodes.py --check    # exit 1 if either is out of date

Run it after adding or changing a node's descriptor (src/nodes/<node>.c) and
rebuilding; tests/python/test_registry.py runs the check.
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STUB = ROOT / "python" / "labsound" / "__init__.pyi"
sys.path.insert(0, str(ROOT / "scripts"))
import gen_node_reference  # noqa: E402

FACTORIES = ("    # --- node factories generated from the engine's descriptors (scripts/gen_nodes.py) ---\n",
             "    # --- end of the generated factories ---\n")
CLASSES = ("# --- node classes generated from the engine's descriptors (scripts/gen_nodes.py) ---\n",
           "# --- end of the generated node classes ---\n")

_PY_TYPES = {"float": "float", "double": "float", "int": "int", "uint": "int", "uint64": "int",
             "bool": "bool", "buffer": "Optional[AudioBuffer]",
             "periodic_wave": "Optional[PeriodicWave]", "float_array": "Any",
             "double_array": "Any", "object": "Any"}


def _annotation(o: dict) -> str:
    if o["enum_names"]:
        return "Literal[" + ", ".join(repr(n) for n in o["enum_names"]) + "]"
    t = _PY_TYPES[o["kind"]]
    return f"Optional[{t}]" if o["default"] is None and not t.startswith("Optional") and \
        t != "Any" else t


def _keywords(d: dict, defaults: bool) -> list[str]:
    out = []
    for o in d["options"]:
        if o["required"]:
            out.append(f"{o['name']}: {_annotation(o)}")
        else:
            out.append(f"{o['name']}: {_annotation(o)} = {repr(o['default']) if defaults else '...'}")
    if d["channel_options"]:
        count, mode, interp = d["channel_defaults"]
        if defaults:
            out += [f"channel_count: int = {count}", f"channel_count_mode: _ChannelCountMode = {mode!r}",
                    f"channel_interpretation: _ChannelInterpretation = {interp!r}"]
        else:
            out += ["channel_count: int = ...", "channel_count_mode: _ChannelCountMode = ...",
                    "channel_interpretation: _ChannelInterpretation = ..."]
    return out


def _hand_written(text: str) -> set[str]:
    """Class names the stubs declare outside the generated part."""
    a, b = text.index(CLASSES[0]), text.index(CLASSES[1])
    tree = ast.parse(text[:a] + text[b:])
    return {n.name for n in tree.body if isinstance(n, ast.ClassDef)}


def render_stub(text: str) -> str:
    import labsound as ls

    have = _hand_written(text)
    classes, factories = [], []
    for d in ls._core._node_descriptors():
        name = d["name"] + "Node"
        if d["internal"] or name in have or not hasattr(ls._core, name):
            continue
        base = "AudioScheduledSourceNode" if d["is_source"] else "AudioNode"
        kws = ",\n                 ".join(_keywords(d, True))
        lines = [f"class {name}({base}):",
                 f'    """{d["doc"][0].upper() + d["doc"][1:]}."""',
                 "    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,",
                 f"                 {kws}) -> None: ..."]
        for p in d["params"]:
            if not p["driven"]:
                lines += ["    @property", f"    def {p['name']}(self) -> AudioParam: ..."]
        for s in d["settings"]:
            t = "Literal[" + ", ".join(repr(n) for n in s["enum_names"]) + "]" if s["enum_names"] \
                else _PY_TYPES[s["kind"]]
            if s["writable"]:
                lines.append(f"    {s['name']}: {t}")
            else:
                lines += ["    @property", f"    def {s['name']}(self) -> {t}: ..."]
        classes.append("\n".join(lines) + "\n")
        # the factory's first options may be given by position (create_delay(2.0))
        fkws = _keywords(d, False)
        npos = d.get("factory_positional", 0)
        fkws = fkws[:npos] + (["*"] if len(fkws) > npos else []) + fkws[npos:]
        fkws = ",\n            ".join(fkws)
        factories.append(f"    def create_{d['key']}(\n            self, {fkws}) -> {name}: ...\n")
    a, b = text.index(FACTORIES[0]) + len(FACTORIES[0]), text.index(FACTORIES[1])
    text = text[:a] + "".join(factories) + text[b:]
    a, b = text.index(CLASSES[0]) + len(CLASSES[0]), text.index(CLASSES[1])
    return text[:a] + "\n".join(classes) + text[b:]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if an output is out of date")
    args = ap.parse_args(argv)
    stub = STUB
    if not stub.exists() and args.check:
        # a tree without the package's sources (the wheel's test run): the stubs
        # the installed package carries are the ones to check
        import labsound
        stub = Path(labsound.__file__).with_name("__init__.pyi")
    outputs = {gen_node_reference.PAGE: gen_node_reference.render(),
               stub: render_stub(stub.read_text())}
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text() != text]
    if args.check:
        for p in stale:
            shown = p.relative_to(ROOT) if p.is_relative_to(ROOT) else p
            print(f"{shown} is out of date: run python scripts/gen_nodes.py",
                  file=sys.stderr)
        return 1 if stale else 0
    for p in stale:
        p.write_text(outputs[p])
    return 0


if __name__ == "__main__":
    sys.exit(main())
