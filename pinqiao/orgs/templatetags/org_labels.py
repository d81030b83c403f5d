"""``{{ code|org_status }}``: an organisation status code kept in evidence, in Chinese."""

from django import template

from pinqiao.orgs.models import OrgStatus

register = template.Library()


@register.filter
def org_status(code: str) -> str:
    return str(OrgStatus(code).label) if code in OrgStatus.values else code
