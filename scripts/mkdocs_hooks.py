"""MkDocs hooks (mkdocs.yml `hooks:`): the tutorials show what their code does.

When the site is built, the Python blocks of each page under docs/tutorials/
run in order in one namespace per page (as tests/python/test_docs_code.py runs
them, and as a reader would type them), in a temporary directory, on the null
audio backend and matplotlib's Agg backend. Below each block the page then
shows what it printed and the figures it drew (PNG, embedded in the page), so
the output on the site is the output of this build, never pasted by hand. A
block that raises fails the build. A block with `<!-- skip: reason -->` above
its fence does not run, as in the test.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import re
import tempfile

FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\S*)[^\n]*$")
SKIP = re.compile(r"^\s*<!--\s*skip:.*-->\s*$")
PAGES = ("tutorials/",)
MAX_OUTPUT_LINES = 40


def _blocks(lines):
    """[(index of the closing fence line, code)] of the top-level python blocks not marked skip."""
    out = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(1), m.group(2).lower().strip("{.}")
        start = i
        i += 1
        body = []
        while i < len(lines) and not (lines[i].strip().startswith(fence) and lines[i].strip().strip(fence[0]) == ""):
            body.append(lines[i])
            i += 1
        prev = start - 1
        skipped = prev >= 0 and SKIP.match(lines[prev])
        if lang in ("python", "py") and not skipped:
            out.append((i, "\n".join(body) + "\n"))
        i += 1
    return out


def _figures(plt, before):
    shown = []
    for num in plt.get_fignums():
        if num in before:
            continue
        fig = plt.figure(num)
        data = io.BytesIO()
        fig.savefig(data, format="png", dpi=80)
        plt.close(fig)
        shown.append(base64.b64encode(data.getvalue()).decode("ascii"))
    return shown


def _run_page(markdown, name):
    os.environ["LABSOUND_BACKEND"] = "null"
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lines = markdown.split("\n")
    inserts = {}
    namespace = {"__name__": "__docs__"}
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for end, code in _blocks(lines):
                before = set(plt.get_fignums())
                printed = io.StringIO()
                try:
                    with contextlib.redirect_stdout(printed):
                        exec(compile(code, f"{name}, block ending at line {end + 1}", "exec"), namespace)
                except BaseException as e:  # noqa: BLE001 - the build reports it
                    raise RuntimeError(f"{name}: the block ending at line {end + 1} raised "
                                       f"{type(e).__name__}: {e}") from e
                text = printed.getvalue().rstrip("\n")
                shown = []
                if text:
                    out = text.split("\n")
                    if len(out) > MAX_OUTPUT_LINES:
                        out = out[:MAX_OUTPUT_LINES] + [f"... ({len(out) - MAX_OUTPUT_LINES} more lines)"]
                    shown += ["", "Output:", "", "```text"] + out + ["```"]
                for png in _figures(plt, before):
                    shown += ["", f'![A figure drawn by the code above](data:image/png;base64,{png})']
                if shown:
                    inserts[end] = shown
        finally:
            os.chdir(cwd)
            plt.close("all")
            namespace.clear()
    result = []
    for i, line in enumerate(lines):
        result.append(line)
        result.extend(inserts.get(i, []))
    return "\n".join(result)


def on_page_markdown(markdown, page, config, files, **kwargs):
    if not page.file.src_uri.startswith(PAGES):
        return markdown
    return _run_page(markdown, page.file.src_uri)
