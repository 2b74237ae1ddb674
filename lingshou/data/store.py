"""Results every county of a batch shares, computed once and stored under a hash of their inputs.

A batch of 167 reports runs the same Monte Carlo over the same peers 167 times unless the first report
keeps it.  :func:`remember` keeps it: the value is stored in ``<folder>/<name>-<key>/`` where ``key`` is
the SHA-256 of everything it was computed from (:func:`content_key`: tables by their values, index and
types; parameters by their JSON; lingshou's version), so a changed input is a different entry and a stale
one is never read.  A single report passes no folder and computes as always.

The format is plain and safe to read (no pickle): ``manifest.json`` (the key, the JSON values, and per
table its columns, types and ``attrs``) and one ``.npz`` per table (numpy arrays, ``allow_pickle=False``).
A value is stored only if it reads back identical (values, types, index, ``attrs``), so a report from the
store is byte for byte the report computed afresh.  Entries are written in a temporary folder and renamed
into place: two workers computing the same entry at once both succeed, the first rename wins and a reader
never sees half an entry.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

MANIFEST = "manifest.json"


def content_key(*parts) -> str:
    """SHA-256 (hex) of ``parts`` and lingshou's version: DataFrames and Series by values, index, columns and
    dtypes; numpy arrays by bytes, shape and dtype; mappings (keys sorted) and sequences part by part;
    text, numbers, booleans, None and paths by type and value.

    Raises
    ------
    TypeError
        A part that is none of these (a value that cannot be hashed faithfully must not be cached).
    """
    from lingshou import __version__

    digest = hashlib.sha256(f"lingshou {__version__}".encode())
    for part in parts:
        _feed(digest, part)
    return digest.hexdigest()


def _feed(digest, part) -> None:
    if isinstance(part, (pd.DataFrame, pd.Series)):
        frame = part.to_frame() if isinstance(part, pd.Series) else part
        digest.update(b"frame")
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        digest.update(repr((list(frame.columns), [str(t) for t in frame.dtypes], list(frame.index.names),
                            frame.shape)).encode())
    elif isinstance(part, np.ndarray):
        digest.update(repr(("array", part.shape, str(part.dtype))).encode())
        digest.update(np.ascontiguousarray(part).tobytes())
    elif isinstance(part, dict):
        digest.update(f"dict{len(part)}".encode())
        for k in sorted(part, key=repr):
            _feed(digest, k)
            _feed(digest, part[k])
    elif isinstance(part, (list, tuple)):
        digest.update(f"{type(part).__name__}{len(part)}".encode())
        for item in part:
            _feed(digest, item)
    elif isinstance(part, np.generic):
        _feed(digest, part.item())
    elif part is None or isinstance(part, (str, int, float, bool, Path)):
        digest.update(repr((type(part).__name__, str(part) if isinstance(part, Path) else part)).encode())
    else:
        raise TypeError(f"content_key cannot hash a {type(part).__name__}")
    digest.update(b"\x00")


def remember(folder, name: str, key_parts: tuple, compute: Callable[[], dict]) -> dict:
    """``compute()`` — a dict of DataFrames and JSON values — read from ``folder`` when an entry with the
    same inputs is there, else computed and stored there.  ``folder`` None: computed, nothing stored.

    Raises
    ------
    TypeError
        What ``compute`` returned cannot be stored faithfully (a value neither a DataFrame nor JSON, a
        table with a non-text column name or object values other than text).  Nothing is stored.
    """
    if folder is None:
        return compute()
    folder = Path(folder)
    entry = folder / f"{name}-{content_key(name, *key_parts)[:32]}"
    if (entry / MANIFEST).is_file():
        return read_entry(entry)
    value = compute()
    write_entry(entry, value)
    return value


def write_entry(entry: Path, value: dict) -> Path:
    """Store ``value`` in the folder ``entry`` (atomically; an existing entry is kept as it is).

    Raises
    ------
    TypeError
        See :func:`remember`; also when the value would not read back identical.
    """
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise TypeError("a stored value must be a dict with text keys")
    entry.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{entry.name}.tmp-", dir=entry.parent))
    try:
        manifest = {"tables": {}, "values": {}}
        for k, v in value.items():
            if isinstance(v, pd.DataFrame):
                manifest["tables"][k] = _write_table(work / f"{k}.npz", v)
            else:
                manifest["values"][k] = _json_value(k, v)
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.chmod(work, 0o755)  # mkdtemp makes it private; an entry is read by every worker
        _check_round_trip(value, read_entry(work))
        try:
            os.rename(work, entry)
        except OSError:
            if not (entry / MANIFEST).is_file():  # not another worker's finished entry: a real failure
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return entry


def read_entry(entry: Path) -> dict:
    """What :func:`write_entry` stored in ``entry``."""
    manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
    out = dict(manifest["values"])
    for k, meta in manifest["tables"].items():
        out[k] = _read_table(entry / f"{k}.npz", meta)
    return out


def _json_value(name: str, value):
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except TypeError as exc:
        raise TypeError(f"value {name!r} is neither a DataFrame nor JSON: {exc}") from None
    return json.loads(text)


def _encode(values: pd.Series | pd.Index, what: str) -> tuple[dict, dict]:
    """Arrays and metadata of one column (or the index)."""
    dtype = values.dtype
    if dtype.kind in "fiub" and not isinstance(dtype, pd.CategoricalDtype):
        return {"values": np.asarray(values)}, {"dtype": str(dtype)}
    missing = np.asarray(pd.isna(values), dtype=bool)
    present = [v for v, m in zip(values, missing) if not m]
    if not all(isinstance(v, str) for v in present):
        kinds = sorted({type(v).__name__ for v in present if not isinstance(v, str)})
        raise TypeError(f"{what} holds {kinds} values: only numbers, booleans and text can be stored")
    text = np.array([("" if m else v) for v, m in zip(values, missing)], dtype=str)
    return {"values": text, "missing": missing}, {"dtype": str(dtype)}


def _decode(arrays: dict, prefix: str, meta: dict):
    values = arrays[f"{prefix}values"]
    if f"{prefix}missing" not in arrays:
        return pd.array(values, dtype=meta["dtype"]) if meta["dtype"] != str(values.dtype) else values
    data = np.array(values, dtype=object)
    data[arrays[f"{prefix}missing"]] = None
    return pd.array(data, dtype=meta["dtype"])


def _write_table(path: Path, frame: pd.DataFrame) -> dict:
    if not all(isinstance(c, str) for c in frame.columns) or isinstance(frame.index, pd.MultiIndex):
        raise TypeError("a stored table needs text column names and a simple index")
    arrays, columns = {}, []
    for i, column in enumerate(frame.columns):
        data, meta = _encode(frame[column], f"column {column!r}")
        arrays.update({f"c{i}_{k}": v for k, v in data.items()})
        columns.append({"name": column, **meta})
    data, index = _encode(frame.index, "the index")
    arrays.update({f"index_{k}": v for k, v in data.items()})
    np.savez(path, **arrays)
    return {"columns": columns, "index": {**index, "name": frame.index.name},
            "attrs": _json_value("attrs", frame.attrs)}


def _read_table(path: Path, meta: dict) -> pd.DataFrame:
    with np.load(path, allow_pickle=False) as arrays:
        arrays = dict(arrays)
    index = pd.Index(_decode(arrays, "index_", meta["index"]), name=meta["index"]["name"])
    frame = pd.DataFrame({c["name"]: _decode(arrays, f"c{i}_", c) for i, c in enumerate(meta["columns"])},
                         index=index)
    frame.attrs = meta["attrs"]
    return frame


def _check_round_trip(value: dict, back: dict) -> None:
    for k, v in value.items():
        if isinstance(v, pd.DataFrame):
            try:
                pd.testing.assert_frame_equal(v, back[k], check_exact=True)
            except AssertionError as exc:
                raise TypeError(f"table {k!r} would not read back identical: {exc}") from None
            if _json_value("attrs", v.attrs) != v.attrs:
                raise TypeError(f"the attrs of table {k!r} would not read back identical")
        elif not _same(v, back[k]):
            raise TypeError(f"value {k!r} would not read back identical (JSON keeps lists, text keys and plain numbers)")


def _same(a, b) -> bool:
    """Equal and of the same types, all the way down (NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and a != a:
        return b != b
    return a == b
