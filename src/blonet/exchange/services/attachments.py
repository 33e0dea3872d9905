"""Files sent with a message: counted, size-limited and recognised by their content."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from blonet.exchange import conf
from blonet.exchange.models import Message, MessageAttachment
from blonet.records.services.attachments import sniff
from blonet.records.services.common import ErrorBag


@dataclass(frozen=True)
class PreparedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str


def prepare_attachments(uploads: Any, errors: ErrorBag) -> list[PreparedFile]:
    """Each upload (an UploadedFile or anything with `.name`, `.size`, `.read()`), checked."""
    files = list(uploads or [])
    if len(files) > conf.max_attachments():
        errors.add("attachments", _("At most %d files per message.") % conf.max_attachments())
        return []
    limit = conf.max_attachment_bytes()
    prepared = []
    for i, upload in enumerate(files):
        field = f"attachments[{i}]"
        size = int(getattr(upload, "size", 0) or 0)
        if size == 0:
            errors.add(field, _("The file is empty."))
            continue
        if size > limit:
            errors.add(
                field,
                _("The file is %(size)d MB; the limit is %(limit)d MB.")
                % {"size": -(-size // 2**20), "limit": max(limit // 2**20, 1)},
            )
            continue
        content = upload.read(limit + 1)
        if len(content) > limit:
            errors.add(field, _("The file is larger than the limit."))
            continue
        found = sniff(content[:16])
        if found is None:
            errors.add(field, _("This is not a PDF, an office document or an image."))
            continue
        name = str(getattr(upload, "name", "") or "file").replace("/", "_")[-200:]
        prepared.append(PreparedFile(name, content, found[0], hashlib.sha256(content).hexdigest()))
    return prepared


def store_attachments(message: Message, files: list[PreparedFile]) -> list[MessageAttachment]:
    stored = []
    for f in files:
        attachment = MessageAttachment(
            message=message,
            filename=f.name,
            content_type=f.content_type,
            size=len(f.content),
            sha256=f.sha256,
        )
        attachment.file.save(f.sha256, ContentFile(f.content), save=False)
        attachment.save()
        stored.append(attachment)
    return stored
