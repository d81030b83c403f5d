"""Information review services, one module per sub-domain (MOD-1, MOD-2, MOD-5, MOD-6, MOD-7,
RISK-2, TKT-1):

* :mod:`.screening`: screening with the live rule set, kept with its version; explanations;
* :mod:`.rule_sets`: bundled rules installed on deploy, the rule editor, replay, publication;
* :mod:`.reviews`: the human review queue and its handlers;
* :mod:`.reports`: users' reports, which land in the queue;
* :mod:`.sanctions`: stepped measures against organisations and what they forbid;
* :mod:`.case_files`: case files for the authorities;
* :mod:`.categories`: each category's label, clause and risk weight.

Other apps plug into the queue with :func:`register_review_handler`: when a reviewer decides an
item whose target is one of their models, their handler applies the decision (a posting is
published, refused or sent back for edit). The moderation app itself knows no posting internals.
Every public name stays importable from ``pinqiao.moderation.services``.
"""

from pinqiao.moderation.models import Decision
from pinqiao.moderation.services.case_files import case_file_prepare, case_file_submit
from pinqiao.moderation.services.categories import (
    CATEGORY_CLAUSES,
    CATEGORY_LABELS,
    CATEGORY_RISK,
)
from pinqiao.moderation.services.reports import report_create
from pinqiao.moderation.services.reviews import (
    HIGH_RISK,
    REVIEW_ACTIONS,
    SLA_HOURS_HIGH,
    SLA_HOURS_NORMAL,
    ReviewHandler,
    register_review_handler,
    review_decide,
    review_item_open,
    review_items_close_for,
)
from pinqiao.moderation.services.rule_sets import (
    REPLAY_RECENT,
    Replay,
    add_words,
    bundled_rules,
    labelled_items,
    live_rule_set,
    rule_set_draft_create,
    rule_set_publish,
    rule_set_replay,
)
from pinqiao.moderation.services.sanctions import (
    TWO_PERSON_KINDS,
    SanctionHook,
    active_sanctions,
    closure_decide,
    daily_posting_limit,
    posting_blocked_reason,
    register_sanction_hook,
    sanction_approve,
    sanction_impose,
    sanction_lift,
)
from pinqiao.moderation.services.screening import (
    MAX_SCREEN_CHARS,
    Prescreened,
    deciding_category,
    explain,
    rule_notes,
    screen_prepare,
    screen_text,
    screening_risk,
)

__all__ = [
    "CATEGORY_CLAUSES", "CATEGORY_LABELS", "CATEGORY_RISK", "HIGH_RISK", "MAX_SCREEN_CHARS",
    "REPLAY_RECENT", "REVIEW_ACTIONS", "SLA_HOURS_HIGH", "SLA_HOURS_NORMAL", "TWO_PERSON_KINDS",
    "Decision", "Prescreened", "Replay", "ReviewHandler", "SanctionHook", "active_sanctions",
    "add_words", "bundled_rules", "case_file_prepare", "case_file_submit", "closure_decide",
    "daily_posting_limit", "deciding_category", "explain", "labelled_items", "live_rule_set",
    "posting_blocked_reason", "register_review_handler", "register_sanction_hook",
    "report_create", "review_decide", "review_item_open", "review_items_close_for", "rule_notes",
    "rule_set_draft_create", "rule_set_publish", "rule_set_replay", "sanction_approve",
    "sanction_impose", "sanction_lift", "screen_prepare", "screen_text", "screening_risk",
]
