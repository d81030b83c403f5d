from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "pinqiao.orgs"
    label = "orgs"
    verbose_name = "用人单位与机构"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from pinqiao.orgs import brochures
        from pinqiao.orgs.models import ServiceAgreement, SpecialPermitRule
        from pinqiao.orgs.selectors import SERVICE_AGREEMENTS, SPECIAL_PERMIT_RULES

        brochures.install_moderation_hooks()
        for signal in (post_save, post_delete):
            signal.connect(SERVICE_AGREEMENTS.bump, sender=ServiceAgreement,
                           dispatch_uid="memo-service-agreements")
            signal.connect(SPECIAL_PERMIT_RULES.bump, sender=SpecialPermitRule,
                           dispatch_uid="memo-special-permit-rules")
