"""Issue 15, item 6: the demo data passes the platform's own screening. Every posting meant to
be public (the demo employer's and agency's, and every one of the 2,000 generated postings
``make run`` loads), every demo résumé and every demo chat message is screened with the
bundled rules in its own context, and any finding fails the test, naming the text and the
rule. The two demo postings made to show the review queue and a refusal must still be caught.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from pinqiao.applications.demo_activity import CHATS
from pinqiao.jobs import demo as jobs_demo
from pinqiao.jobs.models import Posting
from pinqiao.jobs.services import screening_text
from pinqiao.moderation.engine import Screener
from pinqiao.moderation.services import bundled_rules
from pinqiao.resumes import demo as resume_demo
from pinqiao.resumes.demo_pool import POOL
from pinqiao.search.demo import DEMO_POSTINGS, DEMO_SEED
from pinqiao.search.seeding import Generator

#: Demo postings that exist to show the review queue (an age limit) and a refusal (gender).
MEANT_TO_BE_CAUGHT = {"仓库管理员", "前台接待"}
POSTING_FIELDS = {f.name for f in Posting._meta.concrete_fields if not f.is_relation}


@cache
def screener() -> Screener:
    return Screener.from_rules(bundled_rules()[0])


def findings(text: str, context: str) -> list[str]:
    result = screener().screen(text, context).to_dict()
    if result["decision"] == "pass":
        return []
    return [f"{result['decision']} {result['rule_ids']} in 「{text[:80]}」"]


def posting_text(data: dict[str, Any]) -> str:
    return screening_text(Posting(**{k: v for k, v in data.items() if k in POSTING_FIELDS}))


def test_every_generated_posting_passes_screening() -> None:
    assert findings("简历请发送至 hr@demo-company.example，合适者约面。", "posting")
    generator = Generator(DEMO_SEED, now=datetime(2026, 12, 7).astimezone())
    organisations = list(generator.organisations(DEMO_POSTINGS // 20))
    hits = [hit for data in generator.postings(DEMO_POSTINGS, organisations)
            for hit in findings(posting_text(data), "posting")]
    assert hits == [], f"{len(hits)} generated postings fail screening: {hits[:5]}"


def test_every_public_demo_posting_passes_and_the_two_examples_are_caught() -> None:
    hits = []
    for data in [*jobs_demo.EMPLOYER_POSTINGS, jobs_demo.AGENCY_POSTING]:
        text = posting_text({**jobs_demo.BASE, **data})
        if data["title"] in MEANT_TO_BE_CAUGHT:
            assert findings(text, "posting"), data["title"]
        else:
            hits += findings(text, "posting")
    assert hits == []


def test_every_demo_resume_and_chat_message_passes_screening() -> None:
    texts = [resume_demo.ABOUT["self_introduction"], resume_demo.ABOUT["skills"],
             resume_demo.ABOUT["interests"],
             *(" ".join((r["school"], r["major"], r["description"]))
               for r in resume_demo.EDUCATION),
             *(" ".join((r["company"], r["title"], r["description"], r["achievements"]))
               for r in resume_demo.WORK),
             *(" ".join((r["name"], r["issuer"])) for r in resume_demo.CERTIFICATES)]
    for row in POOL:
        intro, skills, school, work = row[8], row[7], row[9], row[10]
        texts += [f"自我介绍：{intro}", f"技能：{skills}", f"教育经历：{school[0]} {school[1]}",
                  *(f"工作经历：{company} {title} {description}"
                    for company, title, _start, _end, description in work)]
    hits = [hit for text in texts for hit in findings(text, "resume")]
    hits += [hit for _who, _title, question, reply in CHATS
             for text in (question, reply) for hit in findings(text, "chat")]
    assert hits == []
