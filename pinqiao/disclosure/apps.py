from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "pinqiao.disclosure"
    label = "disclosure"
    verbose_name = "公示"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from pinqiao.disclosure.models import LegalDocument, OperatorProfile
        from pinqiao.disclosure.selectors import LEGAL_DOCUMENTS, OPERATOR_PROFILE

        for signal in (post_save, post_delete):
            signal.connect(OPERATOR_PROFILE.bump, sender=OperatorProfile,
                           dispatch_uid="memo-operator-profile")
            signal.connect(LEGAL_DOCUMENTS.bump, sender=LegalDocument,
                           dispatch_uid="memo-legal-documents")
