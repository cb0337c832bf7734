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
