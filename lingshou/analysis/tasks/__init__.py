"""Progress of the plan's tasks: every item with its deadline, its units and the state the departments
returned (:mod:`lingshou.plan.progress`), overdue items first; roll-ups by task and by department; the
section's prose.

``table`` builds the tables, ``text`` reads them in Chinese and English.  An item is *overdue* when its
deadline has passed (as of the end of the latest reporting period returned, else of the report's year) and
it is not 已完成; an item without any return is flagged 无报送 — its state is never guessed.
"""
from lingshou.analysis.tasks.table import (
    STATE_ORDER,
    TASK_PROGRESS_FILE,
    TASK_SUMMARY_FILE,
    TASK_UNITS_FILE,
    as_of_date,
    load_progress,
    progress_by_task,
    progress_by_unit,
    task_progress,
)
from lingshou.analysis.tasks.text import describe_progress, summary_parts

__all__ = ["STATE_ORDER", "TASK_PROGRESS_FILE", "TASK_SUMMARY_FILE", "TASK_UNITS_FILE", "as_of_date", "describe_progress",
           "load_progress", "progress_by_task", "progress_by_unit", "summary_parts", "task_progress"]
