"""A chart's table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
Chinese) or XLSX (XlsxWriter, write-only): the same suppressed cells as the page, 「<5」 for
each hidden one, and the suppression note under the table."""

from __future__ import annotations

import csv
import io
from typing import Any

import xlsxwriter

from pinqiao.analytics.suppression import display, suppression_note

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _lines(table: Any, filters: Any) -> tuple[list[str], list[list[Any]], list[str]]:
    header = [str(label) for _key, label in table.columns]
    rows = [[display(row.get(key)) if row.get(key) is None else row.get(key)
             for key, _label in table.columns] for row in table.rows]
    footer = [f"{table.title}：{filters.start} 至 {filters.end}", suppression_note(),
              *table.notes]
    return header, rows, footer


def table_file(table: Any, *, fmt: str, filters: Any) -> bytes:
    header, rows, footer = _lines(table, filters)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])
        for line in footer:
            writer.writerow([line])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(table.name)
    lines = [header, *rows, [], *([line] for line in footer)]
    for number, line in enumerate(lines):
        sheet.write_row(number, 0, line)
    book.close()
    return out.getvalue()
