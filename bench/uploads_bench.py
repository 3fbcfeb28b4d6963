"""Spreadsheet import benchmark (not a test): how long a hostile workbook holds a worker.

    .venv/bin/python bench/uploads_bench.py [--unchecked-timeout 60]

For each workbook (an ordinary 5,000-row register, a 5 KB one declaring A1:XFD1048576, a zip bomb
expanding to 200 MB, a billion-laughs sheet): the time foundation.spreadsheets.read_rows takes to read or
refuse it, and, for comparison, the time openpyxl takes to read every row without the checks (as the
register import did before issue 19), in a child process killed after --unchecked-timeout seconds.
Goal (a figure, not an assertion): every hostile file refused in well under a second.
"""

import argparse
import io
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")

import django  # noqa: E402

django.setup()

from foundation.spreadsheets import UnreadableSpreadsheet, excel_bytes, read_rows  # noqa: E402
from tests.foundation.workbooks import declaring_every_cell, entity_bomb, zip_bomb  # noqa: E402


def _unchecked(data, queue):
    from openpyxl import load_workbook

    start = time.perf_counter()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        outcome = f"{len(rows):,} rows"
    except Exception as exc:  # noqa: BLE001 - reported, not handled
        outcome = type(exc).__name__
    queue.put((time.perf_counter() - start, outcome))


def unchecked(data, timeout):
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_unchecked, args=(data, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return f"still running after {timeout} s (killed)"
    if child.exitcode != 0 and queue.empty():
        return f"died (exit code {child.exitcode})"
    seconds, outcome = queue.get()
    return f"{seconds:.2f} s, {outcome}"


def checked(data):
    start = time.perf_counter()
    try:
        outcome = f"{len(read_rows(data, name='register.xlsx')):,} rows"
    except UnreadableSpreadsheet as exc:
        outcome = f"refused: {str(exc)[:70]}..."
    return f"{time.perf_counter() - start:.3f} s, {outcome}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--unchecked-timeout", type=int, default=60)
    args = parser.parse_args()
    ordinary = excel_bytes("Register", [f"Column {i}" for i in range(25)], [[f"R-{r}"] * 25 for r in range(5000)])
    cases = [
        ("ordinary 5,000 x 25", ordinary),
        ("declares A1:XFD1048576, a cell in its corner", declaring_every_cell()),
        ("zip bomb, 200 MB expanded", zip_bomb(expanded_mb=200)),
        ("billion laughs", entity_bomb()),
    ]
    for name, data in cases:
        print(f"{name} ({len(data) / 1024:,.0f} KB)")
        print(f"  checked   {checked(data)}")
        print(f"  unchecked {unchecked(data, args.unchecked_timeout)}")


if __name__ == "__main__":
    main()
