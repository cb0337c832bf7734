"""The API reference: one page per area under docs/reference/, every public
name of labsound on exactly one of them, and signatures and docstrings as a
reader sees them (no private type aliases, no reStructuredText roles).

The last test loads the package the way mkdocstrings does (griffe, with the
extensions of scripts/griffe_labsound.py); it needs the docs extra.
"""

import re
from pathlib import Path

import pytest

import labsound as ls

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "docs" / "reference").glob("*.md"))
DIRECTIVE = re.compile(r"^::: (labsound(?:\.\w+)*)\s*$", re.M)
MODULES = {"labsound.plot", "labsound.widgets", "labsound.graph", "labsound.torch"}


def documented():
    found = {}
    for page in PAGES:
        for name in DIRECTIVE.findall(page.read_text()):
            found.setdefault(name, []).append(page.name)
    return found


def test_every_public_name_is_on_one_reference_page():
    found = documented()
    public = {f"labsound.{n}" for n in ls.__all__} | MODULES
    assert sorted(public - set(found)) == [], "public names missing from docs/reference/"
    assert sorted(set(found) - public) == [], "reference entries that are not public names"
    twice = {n: p for n, p in found.items() if len(p) > 1}
    assert twice == {}


def test_reference_pages_are_in_the_nav_and_linked_from_the_index():
    nav = (ROOT / "mkdocs.yml").read_text()
    index = (ROOT / "docs" / "reference.md").read_text()
    assert "::: " not in index          # the index is a table of the pages, not one huge page
    for page in PAGES:
        assert f"reference/{page.name}" in nav, page.name
        assert f"(reference/{page.name})" in index, page.name


PRIVATE = re.compile(r"(?<![\w.])_[A-Za-z]\w*")


def test_signatures_and_docstrings_read_as_a_reader_sees_them(monkeypatch):
    griffe = pytest.importorskip("griffe")
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    import griffe_labsound

    # the sources, or (a wheel's test run has no python/ folder) the installed package
    source = ROOT / "python"
    paths = [str(source)] if (source / "labsound").is_dir() else None
    pkg = griffe.load("labsound", search_paths=paths, allow_inspection=False,
                      extensions=griffe.load_extensions(griffe_labsound.RuntimeDocstrings,
                                                        griffe_labsound.ReadableReference))
    problems = []

    def check(obj, where):
        if obj.docstring is not None and re.search(r":(class|func|meth|attr|mod|exc):`", obj.docstring.value):
            problems.append(f"{where}: a reST role in the docstring")
        texts = []
        if obj.is_function:
            texts += [str(p.annotation) for p in obj.parameters if p.annotation is not None]
            texts += [str(obj.returns)] if obj.returns is not None else []
        elif obj.is_attribute and obj.annotation is not None:
            texts.append(str(obj.annotation))
        elif obj.is_class:
            texts += [str(b) for b in obj.bases]
        for text in texts:
            if PRIVATE.search(text):
                problems.append(f"{where}: {text}")

    def walk(obj, where, seen):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        check(obj, where)
        for name, member in obj.members.items():
            if member.is_alias or (name.startswith("_") and name != "__init__"):
                continue
            walk(member, f"{where}.{name}", seen)

    seen: set = set()
    for name in ls.__all__:
        if name in pkg.members and not name.startswith("__"):
            walk(pkg.members[name], f"labsound.{name}", seen)
    for mod in MODULES:
        walk(pkg.modules[mod.split(".")[1]], mod, seen)
    assert problems == []
    # what the aliases became: readable, and still the same values
    rate = pkg["AudioParam"].members["automation_rate"].annotation
    assert str(rate) == "Literal['a-rate', 'k-rate']"
