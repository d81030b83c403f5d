from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Real-time chat between seekers and organisations (MSG-1, MSG-2, MSG-4, DISC-6)."""

    name = "pinqiao.messaging"
    label = "messaging"
    verbose_name = "即时沟通"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from pinqiao.messaging import receivers  # noqa: F401 - desk targets and receivers
        from pinqiao.messaging.services.messages import forget_members
        from pinqiao.orgs.models import Membership

        post_save.connect(forget_members, sender=Membership, dispatch_uid="chat-members-save")
        post_delete.connect(forget_members, sender=Membership,
                            dispatch_uid="chat-members-delete")
