from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    """Recommendations (REC-1 … REC-4, PRIV-3), the bias monitor (ALG-1) and the algorithm
    register (ALG-2)."""

    name = "pinqiao.recommendations"
    label = "recommendations"
    verbose_name = "推荐与算法"
    default_auto_field = "django.db.models.BigAutoField"
