"""A griffe extension for the API reference (mkdocs.yml loads it).

The reference is read statically from python/labsound/ and its stubs
(__init__.pyi). The stubs carry the signatures but no docstrings, and most
classes live in the C extension, whose docstrings (tp_doc, the method and
getset tables) are what help() shows. This extension copies those runtime
docstrings onto the stub objects that have none, and takes the package's
exports from labsound.__all__ (the stub only annotates __all__).
"""

import inspect

import griffe


def _doc(obj):
    doc = inspect.getdoc(obj)
    if not doc:
        return None
    # a C signature line ("name(args)\n--\n\n") is already stripped by Python;
    # drop a leading signature line that repeats the stub's.
    return doc


class RuntimeDocstrings(griffe.Extension):
    def on_package(self, *, pkg, **kwargs):
        if pkg.name != "labsound":
            return
        import labsound

        pkg.exports = list(labsound.__all__)
        for name in labsound.__all__:
            if name not in pkg.members or name.startswith("__"):
                continue
            member = pkg.members[name]
            if member.is_alias:
                continue
            runtime = getattr(labsound, name, None)
            if runtime is None:
                continue
            if not isinstance(runtime, (int, float, str)):
                doc = _doc(runtime)
                # a generated node stub carries the descriptor's one-line doc,
                # which the runtime docstring begins with and goes on from
                stub_doc = member.docstring.value.strip() if member.docstring else ""
                if doc and (not stub_doc or (len(doc) > len(stub_doc) and
                                             doc.startswith(stub_doc.rstrip(".")))):
                    member.docstring = griffe.Docstring(doc, parent=member)
            if member.is_class:
                for mname, sub in member.members.items():
                    if sub.is_alias or sub.docstring or (mname.startswith("_") and mname != "__init__"):
                        continue
                    attr = inspect.getattr_static(runtime, mname, None) if mname != "__init__" else None
                    doc = _doc(attr) if attr is not None else None
                    if doc and doc != _doc(object.__dict__.get(mname)):
                        sub.docstring = griffe.Docstring(doc, parent=sub)


# ---------------------------------------------------------------------------
# Readable signatures and docstrings
# ---------------------------------------------------------------------------

import dataclasses
import re

# :class:`~labsound.AudioBuffer`, :func:`automation`, ... (reStructuredText
# roles written in docstrings for help()): shown as code in the reference
_ROLE = re.compile(r":(?:class|func|meth|attr|mod|exc|data|obj|py:\w+):`~?([^`]+)`")


def _plain_roles(text):
    def name(m):
        target = m.group(1)
        if "<" in target and target.endswith(">"):       # :class:`text <target>`
            return f"`{target.split('<')[0].strip()}`"
        return f"`{target.rsplit('.', 1)[-1] if m.group(0).find('~') >= 0 else target}`"

    text = _ROLE.sub(name, text)
    # "an example::" introduces an indented block in reST; in Markdown the
    # indented block is code already, and the second colon is noise
    return re.sub(r"(?<=\S)::(?=\n\s*\n)", ":", text)


def _private_aliases(module):
    """{name: expression} of a module's private type aliases and type variables."""
    out = {}
    for name, member in module.members.items():
        if not name.startswith("_") or name.startswith("__"):
            continue
        if member.is_alias:  # from typing import Iterator as _Iterator
            out[name] = griffe.ExprName(member.target_path.rsplit(".", 1)[-1], parent=module)
            continue
        if member.is_class and any(str(b).endswith("TypedDict") for b in member.bases):
            out[name] = griffe.ExprName("dict", parent=module)   # a private TypedDict: a dict
            continue
        if not member.is_attribute:
            continue
        value = member.value
        if not isinstance(value, griffe.Expr):
            continue
        if isinstance(value, griffe.ExprCall) and str(value.function) == "TypeVar":
            bound = [a.value for a in value.arguments if isinstance(a, griffe.ExprKeyword) and a.name == "bound"]
            choices = [a for a in value.arguments[1:] if not isinstance(a, griffe.ExprKeyword)]
            names = [str(b).strip("'\"") for b in (bound or choices)]
            if not names:
                continue
            expr = griffe.ExprName(names[0], parent=module)
            for n in names[1:]:
                expr = griffe.ExprBinOp(expr, "|", griffe.ExprName(n, parent=module))
            out[name] = expr
        else:
            out[name] = value
    return out


def _substitute(expr, aliases, depth=0):
    """``expr`` with every private alias name replaced by what it stands for."""
    if isinstance(expr, griffe.ExprName) and expr.name in aliases and depth < 8:
        return _substitute(aliases[expr.name], aliases, depth + 1)
    if isinstance(expr, griffe.Expr) and dataclasses.is_dataclass(expr):
        for field in dataclasses.fields(expr):
            if field.name == "parent":
                continue
            value = getattr(expr, field.name)
            if isinstance(value, list):
                setattr(expr, field.name, [_substitute(v, aliases, depth) for v in value])
            elif isinstance(value, griffe.Expr):
                setattr(expr, field.name, _substitute(value, aliases, depth))
    return expr


def _walk(obj, seen):
    if id(obj) in seen:
        return
    seen.add(id(obj))
    yield obj
    for member in list(obj.members.values()):
        if member.is_alias:
            continue
        yield from _walk(member, seen)


class ReadableReference(griffe.Extension):
    """Private type aliases (``_AutomationRate``) replaced by what they stand
    for (``Literal['a-rate', 'k-rate']``) in every signature, and reST roles
    (``:class:`X```) shown as code, in labsound and its submodules."""

    def on_package(self, *, pkg, **kwargs):
        if pkg.name != "labsound":
            return
        for module in [pkg] + [m for m in pkg.modules.values() if not m.is_alias]:
            aliases = _private_aliases(module)
            for obj in _walk(module, set()):
                if obj.docstring is not None:
                    obj.docstring.value = _plain_roles(obj.docstring.value)
                if obj.is_class:
                    # a private base (_ScriptNode) says nothing to a reader; a public
                    # one reached through a private module (_core.LabSoundError) is
                    # named as the package exports it
                    bases = []
                    for base in obj.bases:
                        last = str(base).rsplit(".", 1)[-1]
                        if last.startswith("_"):
                            continue
                        if str(base) != last and "._" in "." + str(base):
                            base = griffe.ExprName(last, parent=pkg)
                        bases.append(base)
                    obj.bases = bases
                if obj.is_function:
                    for p in obj.parameters:
                        if isinstance(p.annotation, griffe.Expr):
                            p.annotation = _substitute(p.annotation, aliases)
                    if isinstance(obj.returns, griffe.Expr):
                        obj.returns = _substitute(obj.returns, aliases)
                elif obj.is_attribute and isinstance(obj.annotation, griffe.Expr):
                    obj.annotation = _substitute(obj.annotation, aliases)
