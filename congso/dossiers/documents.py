"""Turning the files of a submitted e-form into documents ready to store, the same way for every channel
(citizen portal, counter, API)."""

from django.core.exceptions import ValidationError

from congso.catalog.constants import FieldType
from congso.catalog.eform import UPLOAD_MAX_BYTES, upload_kinds
from congso.core.uploads import clean_upload
from congso.dossiers.services import PreparedDocument


def documents_from_form(form, version) -> list[PreparedDocument]:
    """Check every uploaded file of a valid e-form by its content (re-encoded images, checked PDFs). A refusal
    becomes the field's error, so call ``form.is_valid()`` again before storing anything."""
    components = {component.position: component for component in version.components.all()}
    documents = []
    for spec in version.form_schema:
        uploaded = form.cleaned_data.get(spec["name"]) if spec["type"] == FieldType.UPLOAD else None
        if not uploaded:
            continue
        try:
            content, checked = clean_upload(uploaded, allowed=upload_kinds(spec), max_bytes=UPLOAD_MAX_BYTES)
        except ValidationError as error:
            form.add_error(spec["name"], error)
            continue
        documents.append(
            PreparedDocument(
                label=spec["label"],
                content=content,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                field_name=spec["name"],
                component=components.get(spec.get("component")),
                page_count=checked.pages,
            )
        )
    return documents
