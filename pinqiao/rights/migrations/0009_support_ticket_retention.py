from django.db import migrations

THREE_YEARS = 3 * 365 + 1
KIND = "support_tickets"


def schedule(apps, schema_editor):
    apps.get_model("rights", "RetentionRule").objects.get_or_create(kind=KIND, defaults={
        "days": THREE_YEARS, "action": "anonymise",
        "basis": "DB4401 7.2.6：服务信息保存不少于三年"})


def unschedule(apps, schema_editor):
    apps.get_model("rights", "RetentionRule").objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("rights", "0008_corrections"),
    ]

    operations = [
        migrations.RunPython(schedule, unschedule),
    ]
