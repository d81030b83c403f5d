"""The operator's disclosure record on every page (the footer, DISC-1)."""

from django.http import HttpRequest

from pinqiao.disclosure.selectors import operator_profile_shown


def operator(request: HttpRequest) -> dict:
    return {"operator": operator_profile_shown()}
