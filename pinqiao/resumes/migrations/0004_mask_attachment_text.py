"""Mask the contact details in text already extracted from uploaded résumés: from now on
``uploads.check_resume_file`` masks them before the text is saved."""

from django.db import migrations

from pinqiao.core.masking import mask_contacts_in_text


def forward(apps, schema_editor):
    Attachment = apps.get_model("resumes", "Attachment")
    for attachment in Attachment.objects.only("pk", "text").iterator():
        masked = mask_contacts_in_text(attachment.text)
        if masked != attachment.text:
            Attachment.objects.filter(pk=attachment.pk).update(text=masked)


class Migration(migrations.Migration):
    dependencies = [("resumes", "0003_notification_templates")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
