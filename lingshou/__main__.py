"""``python -m lingshou`` — the same as the ``lingshou`` command (useful where the scripts folder is not on PATH,
as often on Windows)."""
from lingshou.cli import main

raise SystemExit(main())
