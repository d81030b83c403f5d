"""PRIV-10, PRIV-1: organisation documents (licences, the ID proof of the person who posts) are
now stored AES-GCM encrypted like résumé attachments; encrypt the files stored before."""

from django.db import migrations

CONTEXT = "org_document"


def encrypt_existing(apps, schema_editor):
    from pinqiao.core.crypto import cipher, encrypt_bytes

    document = apps.get_model("orgs", "Document")
    rows = document.objects.exclude(file="")
    if not rows.exists():
        return
    header = f"v1:{cipher().key_id}:".encode()
    for row in rows.iterator():
        storage = row.file.storage
        if not storage.exists(row.file.name):
            continue
        with storage.open(row.file.name, "rb") as handle:
            data = handle.read()
        if data.startswith(header):
            continue
        with storage.open(row.file.name, "wb") as handle:
            handle.write(encrypt_bytes(data, context=CONTEXT))


class Migration(migrations.Migration):
    dependencies = [("rights", "0004_alert_templates"), ("orgs", "0003_licence_client")]

    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
