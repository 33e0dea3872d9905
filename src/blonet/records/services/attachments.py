"""Photos and documents attached to a seizure or an incident, with size and type limits."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from blonet.audit.services import audit_event_record
from blonet.core.errors import ValidationError
from blonet.records.choices import AttachmentKind
from blonet.records.models import Attachment, Seizure
from blonet.records.models.events import Event
from blonet.records.services.common import require_editor

# Recognised by their first bytes, never by the name or the browser's word for it.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", AttachmentKind.PHOTO),
    (b"\x89PNG\r\n\x1a\n", "image/png", AttachmentKind.PHOTO),
    (b"RIFF", "image/webp", AttachmentKind.PHOTO),  # checked for WEBP below
    (b"%PDF-", "application/pdf", AttachmentKind.DOCUMENT),
    (b"PK\x03\x04", "application/zip", AttachmentKind.DOCUMENT),  # DOCX, XLSX, ODT
)


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, kind in _SIGNATURES:
        if head.startswith(magic):
            if content_type == "image/webp" and head[8:12] != b"WEBP":
                return None
            return content_type, kind
    return None


def attachment_add(
    *, actor: Any, record: Event, upload: Any, kind: str, description: str = ""
) -> Attachment:
    """`upload` is an UploadedFile (or any file with `.name`, `.size`, `.read()`)."""
    require_editor(actor, record)
    limits: dict[str, int] = {
        AttachmentKind.PHOTO: settings.BLONET_MAX_PHOTO_BYTES,
        AttachmentKind.DOCUMENT: settings.BLONET_MAX_DOCUMENT_BYTES,
    }
    if kind not in limits:
        raise ValidationError(fields={"kind": [_("Choose photo or document.")]})
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError(fields={"file": [_("The file is empty.")]})
    if size > limits[kind]:
        raise ValidationError(
            fields={"file": [_("The file is %(size)d MB; the limit is %(limit)d MB.") % {
                "size": -(-size // 2**20), "limit": limits[kind] // 2**20}]}
        )  # fmt: skip
    content = upload.read()
    found = sniff(content[:16])
    if found is None or (kind == AttachmentKind.PHOTO and found[1] != AttachmentKind.PHOTO):
        message = (
            _("This is not a photo: attach a JPEG, PNG or WebP image.")
            if kind == AttachmentKind.PHOTO
            else _("This file type is not accepted: attach a PDF, an office document or an image.")
        )
        raise ValidationError(fields={"file": [message]})
    digest = hashlib.sha256(content).hexdigest()
    name = str(getattr(upload, "name", "") or "file")[-200:]
    with transaction.atomic():
        attachment = Attachment(
            kind=kind,
            filename=name,
            content_type=found[0],
            size=len(content),
            sha256=digest,
            description=description[:300],
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if isinstance(record, Seizure):
            attachment.seizure = record
        else:
            attachment.incident = record  # type: ignore[assignment]
        attachment.file.save(digest, ContentFile(content), save=False)
        attachment.save()
        audit_event_record(
            actor=actor,
            action="records.attachment.added",
            target=attachment,
            data={"record": str(record.pk), "size": len(content), "type": found[0]},
        )
    return attachment
