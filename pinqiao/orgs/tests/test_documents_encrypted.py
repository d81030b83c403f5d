"""PRIV-10, PRIV-1 (issue 17): licences and the ID proof of the person who posts are stored
AES-GCM encrypted like résumé attachments and decrypted only after the permission check."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from pinqiao.orgs import testing
from pinqiao.orgs.models import Document
from pinqiao.privacy.inventory import FINDINGS, INVENTORY

pytestmark = pytest.mark.django_db


def test_documents_are_encrypted_at_rest_and_served_decrypted(recruiter, user_client):
    testing.register(recruiter, "聘桥示范科技")
    for doc in Document.objects.all():
        stored = Path(doc.file.path).read_bytes()
        assert stored.startswith(b"v1:") and b"%PDF-" not in stored[:64]
    doc = Document.objects.get(kind="id_proof")
    response = user_client(recruiter).get(reverse("orgs:document", args=[doc.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_inventory_no_longer_lists_the_finding():
    item = next(i for i in INVENTORY if i.field == "orgs.Document.file")
    assert item.encrypted and not FINDINGS
