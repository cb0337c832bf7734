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
            if not member.docstring and not isinstance(runtime, (int, float, str)):
                doc = _doc(runtime)
                if doc:
                    member.docstring = griffe.Docstring(doc, parent=member)
            if member.is_class:
                for mname, sub in member.members.items():
                    if sub.is_alias or sub.docstring or (mname.startswith("_") and mname != "__init__"):
                        continue
                    attr = inspect.getattr_static(runtime, mname, None) if mname != "__init__" else None
                    doc = _doc(attr) if attr is not None else None
                    if doc and doc != _doc(object.__dict__.get(mname)):
                        sub.docstring = griffe.Docstring(doc, parent=sub)
