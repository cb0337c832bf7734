"""scripts/mkdocs_hooks.py: the tutorials' output and figures are made by
running their code when the site is built."""

import base64
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hooks():
    pytest.importorskip("matplotlib")
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "scripts" / "mkdocs_hooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


PAGE = """# A page

```python
import numpy as np
import labsound as ls
ctx = ls.OfflineAudioContext(1, 4800, 48000)
osc = ctx.create_oscillator(frequency=1000)
osc >> ctx.destination
osc.start(0)
buf = ctx.start_rendering()
print("peak", round(float(np.abs(np.asarray(buf)).max()), 2))
```

Text between.

<!-- skip: not run -->
```python
print("never")
```

```python
import labsound.plot as lsplot
lsplot.waveform(buf)
```

```bash
echo not python
```
"""


def test_output_and_figures_follow_their_blocks(hooks):
    out = hooks._run_page(PAGE, "tutorials/x.md")
    # the printed line, right after the block that printed it, computed now
    first = out.index("```\n", out.index("print(\"peak\"")) + 4
    assert out[first:].startswith("\nOutput:\n\n```text\npeak 1.0\n```")
    assert "never" not in out.split("print(\"never\")")[1]      # the skipped block did not run
    pngs = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)\)", out)
    assert len(pngs) == 1 and base64.b64decode(pngs[0])[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.index("data:image/png") > out.index("lsplot.waveform(buf)")
    assert out.count("Output:") == 1                            # blocks that print nothing get none


def test_a_failing_block_fails_the_build(hooks):
    with pytest.raises(RuntimeError, match=r"tutorials/y.md: the block ending at line 4 raised NameError"):
        hooks._run_page("x\n```python\nundefined_name\n```\n", "tutorials/y.md")


def test_only_tutorial_pages_run(hooks):
    class Page:
        class file:
            src_uri = "guide.md"

    assert hooks.on_page_markdown("```python\nraise SystemExit\n```\n", Page, None, None) == \
        "```python\nraise SystemExit\n```\n"
