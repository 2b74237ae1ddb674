"""Typeset a Typst document in a child process.

typst-py memoises compilation work in a process-global cache that it never evicts; a process that
typesets many reports (``lingshou report --all-counties``) grew by about 90 MB per report, the figures of
every document held in memory.  Running each compile in a short-lived child (``python -m
lingshou.report.typeset``, about 0.2 s of start-up) returns that memory to the system after every report.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from lingshou.errors import AnalysisError
from lingshou.i18n import bi


def typeset(source: Path, output: Path, root: Path, font_dir: Path) -> list[str]:
    """Compile ``source`` to the PDF ``output`` (files readable under ``root``, fonts only from ``font_dir``).

    Returns Typst's warnings.

    Raises
    ------
    AnalysisError
        When Typst reports an error (its message and diagnostic) or the child process fails.
    """
    args = [sys.executable, "-m", "lingshou.report.typeset", str(source), str(output), str(root), str(font_dir)]
    # The child answers in ASCII-only JSON and runs in UTF-8 mode, so that neither a Windows code page (cp936)
    # nor a non-UTF-8 locale garbles its answer; anything else it prints is read leniently.
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env)
    try:
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        tail = re.sub(r"\s+", " ", proc.stderr)[-800:]
        raise AnalysisError(bi(f"PDF 排版进程失败（退出码 {proc.returncode}）：{tail}",
                               f"the typesetting process failed (exit code {proc.returncode}): {tail}")) from None
    if "error" in result:
        raise AnalysisError(bi(f"PDF 排版失败：{result['error']} {result['detail']}",
                               f"typesetting the PDF failed: {result['error']} {result['detail']}"))
    return result["warnings"]


def _main(argv: list[str]) -> int:
    import typst

    source, output, root, font_dir = argv
    try:
        _, warnings = typst.compile_with_warnings(source, output=output, root=root, font_paths=[font_dir],
                                                  ignore_system_fonts=True, pdf_tags=False)
    except typst.TypstError as exc:
        detail = re.sub(r"\s+", " ", str(getattr(exc, "diagnostic", "") or exc))[:800]
        print(json.dumps({"error": str(getattr(exc, "message", exc)), "detail": detail}))
        return 1
    print(json.dumps({"warnings": [str(getattr(w, "message", w)) for w in warnings]}))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
