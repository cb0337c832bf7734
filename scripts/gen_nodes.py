"""Write what follows from the engine's node descriptors: docs/node-reference.md
and the generated parts of python/labsound/__init__.pyi (the stubs of the node
classes and their create_* factories).

    python scripts/gen_nodes.py            # rewrite both
    python scripts/gen_nodes.py --check    # exit 1 if either is out of date

Run it after adding or changing a node's descriptor (src/nodes/<node>.c) and
rebuilding; tests/python/test_registry.py runs the check.

What a node's binding adds by hand (python/src/nodes/<node>.c: methods such as
get_frequency_response, read-outs, a property with a setter) is typed in
scripts/stubs/<key>.pyi, one class named like the node's:

    class BiquadFilterNode:
        def get_frequency_response(self, frequencies: _FloatSequence, ...) -> _Response: ...

Its members are spliced into the generated class, after the params and
settings; a member named like a generated one replaces it. An `__init__` there
only narrows option types (`buffer: Union[AudioBuffer, _Path, None] = ...`):
the names must be the descriptor's options, and the defaults stay the
descriptor's. A base class given there replaces the generated one.
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STUB = ROOT / "python" / "labsound" / "__init__.pyi"
EXTRAS = ROOT / "scripts" / "stubs"
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


def _literal(names, aliases: dict) -> str:
    """Literal["a", "b"], or the stubs' alias for exactly these names."""
    return aliases.get(frozenset(names)) or "Literal[" + ", ".join(repr(n) for n in names) + "]"


def _annotation(o: dict, aliases: dict, narrowed: dict) -> str:
    if o["name"] in narrowed:
        return narrowed[o["name"]]
    if o["enum_names"]:
        t = _literal(o["enum_names"], aliases)
        return f"Optional[{t}]" if o["default"] is None and not o["required"] else t
    t = _PY_TYPES[o["kind"]]
    return f"Optional[{t}]" if o["default"] is None and not o["required"] and \
        not t.startswith("Optional") and t != "Any" else t


def _keywords(d: dict, defaults: bool, aliases: dict, narrowed: dict) -> list[str]:
    out = []
    for o in d["options"]:
        ann = _annotation(o, aliases, narrowed)
        if o["required"]:
            out.append(f"{o['name']}: {ann}")
        else:
            out.append(f"{o['name']}: {ann} = {repr(o['default']) if defaults else '...'}")
    if d["channel_options"]:
        count, mode, interp = d["channel_defaults"]
        if defaults:
            out += [f"channel_count: int = {count}", f"channel_count_mode: _ChannelCountMode = {mode!r}",
                    f"channel_interpretation: _ChannelInterpretation = {interp!r}"]
        else:
            out += ["channel_count: int = ...", "channel_count_mode: _ChannelCountMode = ...",
                    "channel_interpretation: _ChannelInterpretation = ..."]
    return out


class Extras:
    """What scripts/stubs/<key>.pyi adds to a node's generated class."""

    def __init__(self, d: dict, name: str):
        self.base: str | None = None
        self.narrowed: dict[str, str] = {}     # option -> annotation
        self.members: list[tuple[str, str]] = []  # (name, stub lines)
        path = EXTRAS / f"{d['key']}.pyi"
        if not path.exists():
            return
        text = path.read_text()
        lines = text.splitlines()
        where = path.relative_to(ROOT)
        classes = [n for n in ast.parse(text).body if isinstance(n, ast.ClassDef)]
        if [c.name for c in classes] != [name]:
            raise SystemExit(f"{where}: must hold one class, {name}")
        cls = classes[0]
        if cls.bases:
            self.base = ast.unparse(cls.bases[0])
        options = {o["name"] for o in d["options"]}
        for item in cls.body:
            if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                for a in item.args.kwonlyargs:
                    if a.arg not in options:
                        raise SystemExit(f"{where}: {a.arg} is not an option of {name} "
                                         f"(options: {', '.join(sorted(options))})")
                    self.narrowed[a.arg] = ast.unparse(a.annotation)
                continue
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                member = item.name
                first = min([item.lineno] + [x.lineno for x in item.decorator_list])
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                member, first = item.target.id, item.lineno
            elif isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant):
                continue        # a docstring saying what the file is
            else:
                raise SystemExit(f"{where}:{item.lineno}: only methods, properties and "
                                 "annotated attributes go into a node's stub")
            self.members.append((member, "\n".join(lines[first - 1:item.end_lineno])))

    def names(self) -> set[str]:
        return {m for m, _ in self.members}


def _hand_written(text: str) -> set[str]:
    """Class names the stubs declare outside the generated part."""
    a, b = text.index(CLASSES[0]), text.index(CLASSES[1])
    tree = ast.parse(text[:a] + text[b:])
    return {n.name for n in tree.body if isinstance(n, ast.ClassDef)}


def _aliases(text: str) -> dict:
    """The stubs' `_Name = Literal[...]` aliases: frozenset of the names -> alias."""
    a, b = text.index(CLASSES[0]), text.index(CLASSES[1])
    out = {}
    for n in ast.parse(text[:a] + text[b:]).body:
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) \
                and isinstance(n.value, ast.Subscript) and getattr(n.value.value, "id", None) == "Literal":
            sl = n.value.slice
            names = frozenset(ast.literal_eval(e) for e in (sl.elts if isinstance(sl, ast.Tuple) else [sl]))
            out.setdefault(names, n.targets[0].id)
    return out


def render_stub(text: str) -> str:
    import labsound as ls

    have = _hand_written(text)
    aliases = _aliases(text)
    classes, factories = [], []
    for d in ls._core._node_descriptors():
        name = d["name"] + "Node"
        if d["internal"] or name in have or not hasattr(ls._core, name):
            continue
        extras = Extras(d, name)
        base = extras.base or ("AudioScheduledSourceNode" if d["is_source"] else "AudioNode")
        kws = ",\n                 ".join(_keywords(d, True, aliases, extras.narrowed))
        lines = [f"class {name}({base}):",
                 f'    """{d["doc"][0].upper() + d["doc"][1:]}."""',
                 "    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,",
                 f"                 {kws}) -> None: ..."]
        replaced = extras.names()
        for p in d["params"]:
            if not p["driven"] and p["name"] not in replaced:
                lines += ["    @property", f"    def {p['name']}(self) -> AudioParam: ..."]
        for s in d["settings"]:
            if s["name"] in replaced:
                continue
            t = _literal(s["enum_names"], aliases) if s["enum_names"] else _PY_TYPES[s["kind"]]
            if s["writable"]:
                lines.append(f"    {s['name']}: {t}")
            else:
                lines += ["    @property", f"    def {s['name']}(self) -> {t}: ..."]
        lines += [m for _, m in extras.members]
        classes.append("\n".join(lines) + "\n")
        # the factory's first options may be given by position (create_delay(2.0))
        fkws = _keywords(d, False, aliases, extras.narrowed)
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
