"""Every fenced ```python block of README.md and docs/**/*.md runs.

The blocks of one page run in order in one namespace (a page may build on its
earlier blocks, as a reader does), in a fresh namespace per page, with a
temporary directory as the working directory. README.md is the exception:
each of its snippets is copied on its own, so each runs alone, in a fresh
namespace. A block with the line
`<!-- skip: reason -->` directly above its fence is left out. Real-time blocks
run on the null backend (conftest.py sets LABSOUND_BACKEND=null), which keeps
time like a device but plays nothing.
"""

import os
import re
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)$")
SKIP = re.compile(r"^\s*<!--\s*skip:\s*(?P<reason>.+?)\s*-->\s*$")


def pages():
    found = [ROOT / "README.md"] + sorted((ROOT / "docs").rglob("*.md"))
    return [p for p in found if p.is_file()]


def python_blocks(text):
    """[(line number of the fence, code, skip reason or None)] of one Markdown text."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info, indent = m.group("fence"), m.group("info").strip(), m.group("indent")
        start = i
        body = []
        i += 1
        while i < len(lines) and not (lines[i].strip().startswith(fence)
                                      and lines[i].strip().strip(fence[0]) == ""):
            line = lines[i]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            i += 1
        i += 1
        lang = info.split()[0].lower() if info else ""
        lang = lang.lstrip("{").lstrip(".").rstrip("}")
        if lang not in ("python", "py"):
            continue
        prev = start - 1
        while prev >= 0 and not lines[prev].strip():
            prev -= 1
        skip = SKIP.match(lines[prev]) if prev >= 0 and prev == start - 1 else None
        blocks.append((start + 1, "\n".join(body) + "\n", skip.group("reason") if skip else None))
    return blocks


def test_block_parser():
    text = ("intro\n```python\nx = 1\n```\n<!-- skip: needs a device -->\n```python\ny = 2\n```\n"
            "```bash\nls\n```\n  ```py\n  z = 3\n  ```\n")
    got = python_blocks(text)
    assert got == [(2, "x = 1\n", None), (6, "y = 2\n", "needs a device"), (12, "z = 3\n", None)]


PAGES = pages()


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_blocks_run(page, tmp_path, monkeypatch):
    blocks = python_blocks(page.read_text(encoding="utf-8"))
    runnable = [b for b in blocks if b[2] is None]
    if not runnable:
        pytest.skip("no Python block to run")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LABSOUND_BACKEND", "null")
    namespace = {"__name__": "__docs__"}
    rel = page.relative_to(ROOT)
    alone = page == ROOT / "README.md"       # every README snippet runs on its own
    for line, code, _ in runnable:
        if alone:
            namespace.clear()
            namespace["__name__"] = "__docs__"
        t0 = time.monotonic()
        try:
            exec(compile(code, f"{rel}:{line}", "exec"), namespace)
        except BaseException as e:  # noqa: BLE001
            raise AssertionError(f"{rel}, the block at line {line} raised "
                                 f"{type(e).__name__}: {e}") from e
        took = time.monotonic() - t0
        assert took < 30, f"{rel}, the block at line {line} took {took:.1f} s"
    # whatever a page opened, it closes; leaving contexts to the GC is fine too
    namespace.clear()


def test_readme_snippets_stand_alone(monkeypatch):
    # each snippet defines what it uses: run alone, none raises NameError (as
    # test_page_blocks_run checks), and the automation one renders an envelope
    # that rises and dies away (its env is connected)
    import numpy as np

    blocks = [code for _, code, skip in python_blocks((ROOT / "README.md").read_text()) if skip is None]
    auto = next(code for code in blocks if "set_target_at_time" in code)
    ns: dict = {}
    monkeypatch.setenv("LABSOUND_BACKEND", "null")
    exec(compile(auto, "README.md:automation", "exec"), ns)
    x = np.asarray(ns["buf"])[0]
    rate = 44100
    peak_at = np.argmax(np.abs(x)) / rate
    assert np.abs(x).max() > 0.5 and peak_at < 0.3             # the attack and sustain
    # six time constants after the release at 0.3 s: at most 0.8 * e^-6 of a full-scale sawtooth
    assert np.abs(x[int(0.9 * rate):]).max() < 0.8 * np.exp(-5.9)
