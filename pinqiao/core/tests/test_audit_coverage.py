"""SEC-1: every service that changes data writes an audit entry (issue 11, finding 12).

``audit_coverage.unaudited_writers`` walks every services module; a public function that saves,
creates, updates or deletes rows and never reaches ``log_action`` fails this test unless it is
listed below with the reason it needs no entry of its own."""

from __future__ import annotations

from pinqiao.core.tests.audit_coverage import service_modules, unaudited_writers

ALLOWED = {
    "pinqiao.accounts.services.api_token_user":
        "stamps the token's last use at most once a minute; issuing and revoking are audited",
    "pinqiao.accounts.services.sms_code_consume":
        "marks a code used inside sign-up / log-in, which are audited by their callers",
    "pinqiao.messaging.services.messages.presence_leave":
        "counts a closed socket in the cache for the online marker; no database row changes",
    "pinqiao.moderation.services.reviews.review_items_close_for":
        "closes queue items for content whose audited decision the caller records",
    "pinqiao.notifications.services.notify":
        "a notice is its own record (MSG-1) in the recipient's inbox, kept with its deliveries",
    "pinqiao.ops.services.maintenance_record":
        "the maintenance log is itself an append-only log (SEC-5)",
    "pinqiao.orgs.services.anomalies_detect":
        "a system check raising flags for staff; the staff decisions on them are audited",
    "pinqiao.recommendations.services.exposures_log":
        "the exposure log is itself the algorithm's record (ALG-1), no personal data changed",
    "pinqiao.recommendations.services.candidate_exposures_log":
        "the exposure log is itself the algorithm's record (ALG-1), no personal data changed",
    "pinqiao.recommendations.services.exposures_purge":
        "retention purge of the exposure log (RET-1 schedule), run by the scheduler",
    "pinqiao.search.services.outbox_record":
        "search-index bookkeeping beside an audited change of the posting or résumé",
}


def test_the_walk_covers_every_services_module() -> None:
    names = {p.parent.name if p.name == "services.py" else p.stem for p in service_modules()}
    assert {"accounts", "applications", "jobs", "orgs", "privacy", "resumes", "ops"} <= names


def test_every_service_that_changes_data_writes_an_audit_entry() -> None:
    offenders = set(unaudited_writers())
    assert sorted(offenders - ALLOWED.keys()) == [], (
        "these services change data without log_action; audit them or add them to ALLOWED "
        "with a reason")


def test_the_allow_list_has_no_stale_entries() -> None:
    assert sorted(ALLOWED.keys() - set(unaudited_writers())) == []
