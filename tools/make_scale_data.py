"""Write a data folder of fictitious counties for scale tests: ``python tools/make_scale_data.py OUT [N]``.

Usable with every command's ``--data OUT`` (e.g. ``lingshou report --all-counties --data OUT``).
"""
from __future__ import annotations

import sys

from lingshou.illustrative.generate import write_scale_folder

if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/_work/scale"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 167
    print(write_scale_folder(out, n=n))
