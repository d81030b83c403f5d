"""schema.org ``JobPosting`` JSON-LD for the public posting page (search engines, job boards)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

from pinqiao.jobs.models import Posting
from pinqiao.reference import divisions, taxonomy

EMPLOYMENT_TYPES = {"full_time": "FULL_TIME", "part_time": "PART_TIME",
                    "internship": "INTERN", "dispatch": "CONTRACTOR", "hourly": "PER_DIEM"}
UNITS = {"month": "MONTH", "day": "DAY", "hour": "HOUR"}
# Like django.utils.html.json_script: nothing in the data can close the script element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026",
            0x2028: "\\u2028", 0x2029: "\\u2029"}


def job_posting_data(posting: Posting, url: str) -> dict[str, Any]:
    code = posting.division_code
    province = divisions.province_of(code) if code else None
    city = divisions.city_of(code) if code else None
    district = divisions.get(code) if code else None
    function = taxonomy.job_function(posting.job_function)
    industry = taxonomy.industry(posting.industry)
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": "\n\n".join(filter(None, [posting.work_content, posting.requirements])),
        "identifier": {"@type": "PropertyValue", "name": "聘桥", "value": str(posting.pk)},
        "datePosted": posting.published_at.date().isoformat() if posting.published_at else None,
        "validThrough": f"{posting.valid_until.isoformat()}T23:59:59+08:00",
        "employmentType": EMPLOYMENT_TYPES.get(posting.employment_type, "OTHER"),
        "hiringOrganization": {"@type": "Organization", "name": posting.employer_name},
        "jobLocation": {"@type": "Place", "address": {
            "@type": "PostalAddress", "streetAddress": posting.address,
            "addressLocality": "".join(d.name for d in (city, district)
                                       if d is not None and d is not province),
            "addressRegion": province.name if province else "", "addressCountry": "CN"}},
        "baseSalary": {"@type": "MonetaryAmount", "currency": "CNY", "value": {
            "@type": "QuantitativeValue", "minValue": float(posting.pay_min or 0),
            "maxValue": float(posting.pay_max or 0),
            "unitText": UNITS.get(posting.pay_unit, "MONTH")}},
        "totalJobOpenings": posting.headcount,
        "url": url,
    }
    if posting.working_hours:
        data["workHours"] = posting.working_hours
    if function:
        data["occupationalCategory"] = function.name
    if industry:
        data["industry"] = industry.name
    if posting.mode == "agency":
        data["employmentUnit"] = {"@type": "Organization", "name": posting.organisation.name}
    return {k: v for k, v in data.items() if v not in (None, "")}


def job_posting_script(posting: Posting, url: str) -> SafeString:
    payload = json.dumps(job_posting_data(posting, url), ensure_ascii=False,
                         sort_keys=True).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))
