"""The regulator's data sets as rows (masked) and their CSV / XLSX files (ANA-3).

Each data set is a header of Chinese column names and rows built from the selectors, so the
export holds exactly what the regulator's pages show. CSV is UTF-8 with a byte-order mark (so
Excel opens Chinese text correctly); XLSX is written by XlsxWriter in constant-memory mode.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.oversight import selectors
from pinqiao.oversight.selectors import Filters
from pinqiao.reference import divisions, taxonomy

Rows = tuple[list[str], Iterable[list[Any]]]


def _day(value: Any) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _industry(code: str) -> str:
    found = taxonomy.industry(code) if code else None
    return found.name if found else ""


def _place(code: str) -> str:
    return (divisions.full_name(code) or "") if code else ""


def _organisations(viewer: Any, filters: Filters) -> Rows:
    header = [_("统一社会信用代码"), _("单位名称"), _("账号类型"), _("所属行业"), _("状态"),
              _("认证日期"), _("许可证"), _("信用评分"), _("信用等级"), _("违规记录数"),
              _("风险分"), _("联系人")]

    def rows() -> Iterable[list[Any]]:
        from pinqiao.orgs.selectors import credit_record

        for org in selectors.organisations(viewer=viewer, filters=filters).iterator(
                chunk_size=500):
            record = credit_record(org)
            licences = "；".join(
                f"{lic.get_kind_display()} {lic.number}（{lic.get_status_display()}，"
                f"有效期至 {lic.valid_until.isoformat() if lic.valid_until else '长期'}）"
                for lic in org.licences.all())
            yield [org.credit_code, org.name, org.get_kind_display(), _industry(org.industry),
                   org.get_status_display(), _day(org.verified_at), licences, record.score,
                   record.grade, len(record.violations), org.risk_score,
                   selectors.mask_name(org.contact_name)]

    return header, rows()


def _postings(viewer: Any, filters: Filters) -> Rows:
    header = [_("职位编号"), _("职位名称"), _("发布单位"), _("工作地点"), _("行业"), _("状态"),
              _("提交日期"), _("发布日期"), _("薪资"), _("最近机审结论"), _("审核与状态变更次数")]

    def rows() -> Iterable[list[Any]]:
        for posting in selectors.postings(viewer=viewer, filters=filters).iterator(
                chunk_size=500):
            pay = ""
            if posting.pay_min is not None:
                unit = posting.get_pay_unit_display()
                pay = f"{posting.pay_min:.0f}–{posting.pay_max:.0f} 元/{unit}"
            screening = posting.last_screening.get_decision_display() \
                if posting.last_screening else ""
            yield [posting.pk, posting.title, posting.organisation.name,
                   _place(posting.division_code), _industry(posting.industry),
                   posting.get_status_display(), _day(posting.submitted_at),
                   _day(posting.published_at), pay, screening, posting.screenings]

    return header, rows()


def _violations(viewer: Any, filters: Filters) -> Rows:
    header = [_("统一社会信用代码"), _("单位名称"), _("违规事实"), _("违反的规则"), _("发生日期"),
              _("处理措施"), _("严重程度")]

    def rows() -> Iterable[list[Any]]:
        for v in selectors.violations(viewer=viewer, filters=filters).iterator(chunk_size=500):
            yield [v.organisation.credit_code, v.organisation.name, selectors.masked_text(v.what),
                   v.rule, _day(v.occurred_at), v.sanction, v.get_severity_display()]

    return header, rows()


def _sanctions(viewer: Any, filters: Filters) -> Rows:
    header = [_("统一社会信用代码"), _("单位名称"), _("措施"), _("状态"), _("依据"), _("事由"),
              _("提出日期"), _("截止日期")]

    def rows() -> Iterable[list[Any]]:
        for s in selectors.sanctions(viewer=viewer, filters=filters).iterator(chunk_size=500):
            yield [s.organisation.credit_code, s.organisation.name, s.get_kind_display(),
                   s.get_status_display(), s.rule, selectors.masked_text(s.reason),
                   _day(s.created_at), _day(s.ends_at)]

    return header, rows()


def _complaints(viewer: Any, filters: Filters) -> Rows:
    header = [_("案件编号"), _("类型"), _("渠道"), _("原因"), _("被投诉对象"), _("涉及单位"),
              _("接收日期"), _("办结时限"), _("状态"), _("是否成立"), _("处理结果"), _("办结日期"),
              _("移送机关")]

    def rows() -> Iterable[list[Any]]:
        for c in selectors.complaints(viewer=viewer, filters=filters).iterator(chunk_size=500):
            upheld = "" if c.upheld is None else (_("成立") if c.upheld else _("不成立"))
            yield [c.reference, c.get_kind_display(), c.get_channel_display(),
                   c.get_reason_code_display(), selectors.masked_text(c.target_label),
                   c.organisation.name if c.organisation_id else "", _day(c.received_at),
                   c.deadline.isoformat(), c.get_status_display(), upheld,
                   selectors.masked_text(c.result), _day(c.closed_at), c.referred_to]

    return header, rows()


#: Data set key → (Chinese name, row builder).
DATASETS: dict[str, tuple[str, Callable[[Any, Filters], Rows]]] = {
    "organisations": ("单位及许可、信用记录", _organisations),
    "postings": ("招聘信息及审核记录", _postings),
    "violations": ("违法违规记录", _violations),
    "sanctions": ("处置措施", _sanctions),
    "complaints": ("投诉举报及处理结果", _complaints),
}
FORMATS = {"csv": "CSV", "xlsx": "Excel 表格"}


def annual_rows(figures: dict[str, int]) -> Rows:
    return [_("指标"), _("数值")], [[label, figures[key]] for key, label in
                                    selectors.ANNUAL_FIELDS]


def file_bytes(header: list[str], rows: Iterable[list[Any]], fmt: str) -> tuple[bytes, int]:
    """The file's bytes and the number of data rows."""
    count = 0
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count
    import xlsxwriter  # only an XLSX export needs it

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_urls": False,
                                        "strings_to_formulas": False})
    sheet = book.add_worksheet(_("数据"))
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, header, bold)
    for count, row in enumerate(rows, start=1):
        sheet.write_row(count, 0, row)
    sheet.freeze_panes(1, 0)
    book.close()
    return output.getvalue(), count


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
