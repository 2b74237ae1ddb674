"""Exception types of lingshou.

Every message is bilingual: Chinese first, then English, separated by `` / ``.
"""
from __future__ import annotations


class LingshouError(Exception):
    """Base class of every error the suite raises on purpose."""


class ParameterError(LingshouError, ValueError):
    """An invalid or unknown parameter (CLI option, notebook parameter, spec key)."""


class DataError(LingshouError):
    """The data cannot be used; ``problems`` lists every problem found in one pass.

    Parameters
    ----------
    message : str
        Bilingual summary.
    problems : list, optional
        :class:`lingshou.data.validate.Problem` objects (errors and warnings).
    """

    def __init__(self, message: str, problems: list | None = None):
        self.problems = list(problems or [])
        errors = [p for p in self.problems if getattr(p, "severity", "error") == "error"]
        super().__init__("\n".join([message] + problem_lines(errors)))


class NotEnoughData(DataError):
    """The data are valid but too few for one analysis (a year no peer has reported yet, a series of one
    value).  The report then says so in that analysis' section and runs the others
    (:func:`lingshou.report.runner.run_notebook`); a notebook or script sees an ordinary :class:`DataError`."""


#: Problems of one rule in one file shown before the rest are counted (a million-row file with one
#: repeated fault printed 6,468 lines, 90 MB, before this).
SHOWN_PER_RULE = 20


def problem_lines(problems: list, limit: int | None = SHOWN_PER_RULE) -> list[str]:
    """The problems as lines, in order, at most ``limit`` per (file, rule), each group's rest counted in one
    line where its last shown problem was (``None``: every problem)."""
    if limit is None:
        return [str(p) for p in problems]
    seen: dict[tuple, int] = {}
    for p in problems:
        key = (getattr(p, "file", ""), getattr(p, "rule", ""))
        seen[key] = seen.get(key, 0) + 1
    shown: dict[tuple, int] = {}
    lines = []
    for p in problems:
        key = (getattr(p, "file", ""), getattr(p, "rule", ""))
        shown[key] = shown.get(key, 0) + 1
        if shown[key] <= limit:
            lines.append(str(p))
        if shown[key] == limit and seen[key] > limit:
            rest = seen[key] - limit
            lines.append(f"  … {key[0]} 中另有 {rest} 条同类问题（{key[1]}），lingshou validate --verbose 全部列出 / "
                         f"{rest} more of the same kind ({key[1]}) in {key[0]}; lingshou validate --verbose lists them all")
    return lines


class MappingError(DataError):
    """A name (indicator, county, unit) has no entry in the mapping tables."""


class AnalysisError(LingshouError):
    """An analysis cannot be computed with the given data (e.g. a year without data)."""


class SystemFault(LingshouError):
    """The operating system refused a file operation: no permission, a read-only or full disk, a file in the way."""


#: What an OS error means, by errno name, in Chinese and English.
_OS_REASONS = {
    "EACCES": ("没有写入或读取权限", "permission denied"),
    "EPERM": ("操作不被允许", "operation not permitted"),
    "EROFS": ("文件系统是只读的", "the file system is read-only"),
    "ENOSPC": ("磁盘空间不足", "no space left on the disk"),
    "EDQUOT": ("磁盘配额已用完", "the disk quota is used up"),
    "EEXIST": ("路径上已有同名的文件挡住", "a file of that name is in the way"),
    "ENOTDIR": ("路径中的某一级是文件而不是文件夹", "a part of the path is a file, not a folder"),
    "EISDIR": ("应为文件的位置是一个文件夹", "a folder is where a file should be"),
    "ENOENT": ("文件或文件夹不存在", "no such file or folder"),
}


def system_fault(exc: OSError) -> SystemFault:
    """A :class:`SystemFault` saying in Chinese and English what the OS refused, and where."""
    import errno

    name = errno.errorcode.get(exc.errno or -1, "")
    zh, en = _OS_REASONS.get(name, (exc.strerror or type(exc).__name__, exc.strerror or type(exc).__name__))
    where = exc.filename if exc.filename is not None else "—"
    fault = SystemFault(f"系统拒绝了文件操作：{zh}（{where}） / the system refused a file operation: {en} ({where})")
    fault.errno = exc.errno
    return fault
