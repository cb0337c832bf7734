"""The type stubs (labsound/__init__.pyi) describe what the module has.

Parsed with ast: every public name the package exports has a stub, and every
public attribute of the context and node classes at run time is declared in
its stub class or one of the stub's bases.
"""
import ast
import inspect
from pathlib import Path

import labsound as ls

STUB = Path(ls.__file__).with_name("__init__.pyi")


def stub_tree():
    return ast.parse(STUB.read_text())


def stub_classes(tree):
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names = set()
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
                elif isinstance(item, ast.Assign):
                    names.update(t.id for t in item.targets if isinstance(t, ast.Name))
            bases = [b.id for b in node.bases if isinstance(b, ast.Name)]
            out[node.name] = (names, bases)
    return out


def declared(classes, name):
    names, bases = classes.get(name, (set(), []))
    result = set(names)
    for b in bases:
        result |= declared(classes, b)
    return result


def test_every_export_has_a_stub():
    tree = stub_tree()
    top = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            top.add(node.name)
        elif isinstance(node, ast.Assign):
            top.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            top.add(node.target.id)
        elif isinstance(node, (ast.ImportFrom, ast.Import)):
            top.update((a.asname or a.name).split(".")[0] for a in node.names)
    missing = sorted(n for n in ls.__all__ if n not in top)
    assert not missing, f"exported but not in the stubs: {missing}"


def test_classes_declare_their_public_attributes():
    classes = stub_classes(stub_tree())
    problems = {}
    for name in ls.__all__:
        obj = getattr(ls, name)
        if not inspect.isclass(obj) or name not in classes or issubclass(obj, BaseException):
            continue
        have = declared(classes, name)
        inherited = set()  # from built-in bases (a NamedTuple's count and index)
        for base in obj.__mro__[1:]:
            if base.__module__ == "builtins":
                inherited |= set(dir(base))
        public = {a for a in dir(obj) if not a.startswith("_") and a not in inherited}
        missing = sorted(public - have)
        if missing:
            problems[name] = missing
    assert not problems, f"public attributes missing from the stubs: {problems}"


def _literal_aliases(tree):
    """`_Name = Literal["a", "b"]` aliases of the stubs: name -> the strings."""
    out = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Subscript)
                and getattr(node.value.value, "id", None) == "Literal"):
            sl = node.value.slice
            elts = sl.elts if isinstance(sl, ast.Tuple) else [sl]
            out[node.targets[0].id] = {ast.literal_eval(e) for e in elts}
    return out


def test_node_stubs_agree_with_the_engine_descriptors():
    """Each node class's constructor in the stubs has the defaults and, for
    enum options, exactly the names the engine's descriptor gives."""
    tree = stub_tree()
    aliases = _literal_aliases(tree)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    descriptors = {d["name"]: d for d in ls._core._node_descriptors()}
    problems = []
    hand_bound = {e.name for e in ls._registry._PYTHON_TYPES}
    for t in ls.node_types().values():
        d = descriptors.get(t.name) if t.name not in hand_bound else None
        cls = classes.get(t.cls.__name__)
        if d is None or cls is None:
            continue
        init = next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"),
                    None)
        if init is None:
            problems.append(f"{t.cls.__name__}: no __init__")
            continue
        stub = {a.arg: (a, dflt) for a, dflt in zip(init.args.kwonlyargs, init.args.kw_defaults)}
        for o in d["options"]:
            if o["name"] not in stub:
                problems.append(f"{t.cls.__name__}({o['name']}): missing")
                continue
            arg, dflt = stub[o["name"]]
            if not o["required"] and dflt is not None and not isinstance(dflt, ast.Constant) \
                    and not isinstance(dflt, ast.UnaryOp):
                continue
            if not o["required"] and dflt is not None:
                got = ast.literal_eval(dflt)
                want = t.options[o["name"]]
                if got is not Ellipsis and got != want:     # `= ...`: not stated
                    problems.append(f"{t.cls.__name__}({o['name']}): stub default {got!r}, "
                                    f"engine {want!r}")
            if o["enum_names"]:
                ann = arg.annotation
                names = aliases.get(getattr(ann, "id", None))
                if names is None and isinstance(ann, ast.Subscript) and \
                        getattr(ann.value, "id", None) == "Literal":
                    sl = ann.slice
                    names = {ast.literal_eval(e) for e in (sl.elts if isinstance(sl, ast.Tuple)
                                                          else [sl])}
                if names is not None and names != set(o["enum_names"]):
                    problems.append(f"{t.cls.__name__}({o['name']}): stub names {sorted(names)}, "
                                    f"engine {sorted(o['enum_names'])}")
    assert not problems, "stubs disagree with the engine: " + "; ".join(problems)


GEN_START = "# --- node classes generated from the engine's descriptors (scripts/gen_nodes.py) ---\n"
GEN_END = "# --- end of the generated node classes ---\n"


def test_every_node_class_stub_is_generated():
    """Node classes come from the descriptors; only the types bound apart (the
    device input, the Python processing and stream nodes) are written by hand."""
    text = STUB.read_text()
    a, b = text.index(GEN_START), text.index(GEN_END)
    generated = {n.name for n in ast.parse(text[a:b]).body if isinstance(n, ast.ClassDef)}
    for d in ls._core._node_descriptors():
        name = d["name"] + "Node"
        if d["internal"] or d["external"]:      # the types the engine marks external
            continue
        assert name in generated, f"{name} is not generated by scripts/gen_nodes.py"


def test_stub_fragments_declare_only_what_the_classes_have():
    """scripts/stubs/<key>.pyi types members written in C: each must exist at
    run time, and its __init__ may only name the descriptor's options."""
    root = Path(__file__).resolve().parents[2] / "scripts" / "stubs"
    if not root.is_dir():
        import pytest
        pytest.skip("no source tree")
    descriptors = {d["key"]: d for d in ls._core._node_descriptors()}
    problems = []
    for path in sorted(root.glob("*.pyi")):
        assert path.stem in descriptors, f"{path.name}: no node type with key {path.stem!r}"
        d = descriptors[path.stem]
        (cls,) = [n for n in ast.parse(path.read_text()).body if isinstance(n, ast.ClassDef)]
        runtime = getattr(ls, cls.name)
        assert cls.name == d["name"] + "Node"
        options = {o["name"] for o in d["options"]}
        for item in cls.body:
            if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                problems += [f"{cls.name}({a.arg}): not an option" for a in item.args.kwonlyargs
                             if a.arg not in options]
            elif isinstance(item, ast.FunctionDef):
                if not hasattr(runtime, item.name):
                    problems.append(f"{cls.name}.{item.name}: not at run time")
            elif isinstance(item, ast.AnnAssign) and not hasattr(runtime, item.target.id):
                problems.append(f"{cls.name}.{item.target.id}: not at run time")
    assert not problems, problems
