"""The e-form engine: a procedure version's form is data (a list of field definitions), rendered and
validated by this one module.

A field definition is a dict::

    {"name": "child_full_name", "type": "text", "label": "Họ, chữ đệm, tên của trẻ", "required": true,
     "max_length": 100, "help": "…", "choices": [["nam", "Nam"], ["nu", "Nữ"]], "min": 0, "max": 10,
     "component": 1}

``name`` is a Python identifier unique in the form; ``type`` is one of :class:`FieldType`; ``component``
links an upload to the position of a dossier component. Labels are written in Vietnamese, as published.
"""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.catalog.constants import FieldType
from congso.core.uploads import UploadValidator
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
_KNOWN_KEYS = {
    "name",
    "type",
    "label",
    "required",
    "help",
    "max_length",
    "min",
    "max",
    "choices",
    "component",
    "accept",
    "group",
}
# What an upload accepts unless the field says otherwise ("accept": ["pdf", "docx"]): scans and photos.
DEFAULT_UPLOAD_KINDS = ("pdf", "jpeg", "png")
_EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg,.jpeg", "png": ".png", "docx": ".docx", "xlsx": ".xlsx"}

citizen_id_validator = RegexValidator(r"^\d{12}$", gettext_lazy("A citizen ID number has exactly 12 digits."))
phone_validator = RegexValidator(
    r"^(0|\+84)\d{9}$", gettext_lazy("A phone number has 10 digits and starts with 0 (or +84).")
)
UPLOAD_MAX_BYTES = 10 * 1024 * 1024


def validate_schema(schema: list[dict]) -> None:
    """Raise ``ValidationError`` listing every problem of a form definition."""
    if not isinstance(schema, list):
        raise ValidationError(_("The e-form must be a list of fields."))
    errors, seen = [], set()
    for index, spec in enumerate(schema, start=1):
        if not isinstance(spec, dict):
            errors.append(_("Field %(n)s is not an object.") % {"n": index})
            continue
        name = spec.get("name", "")
        if not isinstance(name, str) or not _NAME.match(name):
            errors.append(_("Field %(n)s: the name must be lower-case letters, digits and _.") % {"n": index})
        elif name in seen:
            errors.append(_("Field %(n)s: the name “%(name)s” is used twice.") % {"n": index, "name": name})
        seen.add(name)
        if spec.get("type") not in FieldType.values:
            errors.append(_("Field %(n)s: unknown type “%(type)s”.") % {"n": index, "type": spec.get("type")})
        if not str(spec.get("label", "")).strip():
            errors.append(_("Field %(n)s: a label is required.") % {"n": index})
        unknown = set(spec) - _KNOWN_KEYS
        if unknown:
            errors.append(
                _("Field %(n)s: unknown keys %(keys)s.") % {"n": index, "keys": ", ".join(sorted(unknown))}
            )
        accept = spec.get("accept")
        bad_accept = not isinstance(accept, list) or not accept or set(accept) - set(_EXTENSIONS)
        if accept is not None and bad_accept:
            errors.append(
                _("Field %(n)s: “accept” lists file types among %(kinds)s.")
                % {"n": index, "kinds": ", ".join(sorted(_EXTENSIONS))}
            )
        if "group" in spec and not str(spec["group"]).strip():
            errors.append(_("Field %(n)s: a group needs a title.") % {"n": index})
        if spec.get("type") == FieldType.CHOICE:
            choices = spec.get("choices")
            if not choices or not all(isinstance(c, list | tuple) and len(c) == 2 for c in choices):
                errors.append(_("Field %(n)s: a choice needs a list of [value, label] pairs.") % {"n": index})
    if errors:
        raise ValidationError(errors)


class AddressWidget(forms.MultiWidget):
    template_name = "catalog/eform/address_widget.html"

    def __init__(self, communes, hamlets, attrs=None):
        widgets = {
            "commune": forms.Select(choices=communes),
            "hamlet": forms.Select(choices=hamlets),
            "street": forms.TextInput(attrs={"autocomplete": "street-address", "maxlength": 200}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("commune_code"), value.get("hamlet_code"), value.get("street")]
        return [None, None, None]


class AddressField(forms.MultiValueField):
    """Commune → hamlet → house number and street. The hamlet must belong to the commune."""

    def __init__(self, *, province_code: str, required: bool = True, **kwargs):
        communes = list(
            AdministrativeUnit.objects.current()
            .communes()
            .filter(parent__code=province_code)
            .order_by("name")
            .values_list("code", "full_name")
        )
        hamlets = {}
        for code, full_name, parent_name in (
            AdministrativeUnit.objects.filter(level=UnitLevel.HAMLET, parent__parent__code=province_code)
            .order_by("parent__name", "code")
            .values_list("code", "full_name", "parent__full_name")
        ):
            hamlets.setdefault(parent_name, []).append((code, full_name))
        self.hamlet_parent = {code: code.split("-")[0] for group in hamlets.values() for code, _ in group}
        empty = [("", _("— choose —"))]
        commune_choices = empty + communes
        hamlet_choices = empty + list(hamlets.items())
        fields = (
            forms.ChoiceField(choices=commune_choices, required=required),
            forms.ChoiceField(
                choices=[("", "")] + [c for _, group in hamlets.items() for c in group], required=False
            ),
            forms.CharField(max_length=200, required=required),
        )
        super().__init__(
            fields,
            widget=AddressWidget(commune_choices, hamlet_choices),
            require_all_fields=False,
            required=required,
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list:
            return None
        commune, hamlet, street = data_list
        if hamlet and self.hamlet_parent.get(hamlet) != commune:
            raise ValidationError(
                _("The hamlet you chose does not belong to the commune you chose."), code="hamlet"
            )
        return {"commune_code": commune, "hamlet_code": hamlet or "", "street": (street or "").strip()}


def _field(spec: dict, *, province_code: str) -> forms.Field:
    kind = spec["type"]
    common = {
        "label": spec["label"],
        "required": bool(spec.get("required", True)),
        "help_text": spec.get("help", ""),
    }
    if kind == FieldType.TEXT:
        return forms.CharField(max_length=spec.get("max_length", 200), **common)
    if kind == FieldType.TEXTAREA:
        return forms.CharField(
            max_length=spec.get("max_length", 2000), widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    if kind == FieldType.NUMBER:
        return forms.DecimalField(
            min_value=Decimal(str(spec["min"])) if "min" in spec else None,
            max_value=Decimal(str(spec["max"])) if "max" in spec else None,
            **common,
        )
    if kind == FieldType.DATE:
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            input_formats=["%Y-%m-%d", "%d/%m/%Y"],
            **common,
        )
    if kind == FieldType.CHOICE:
        return forms.ChoiceField(choices=[("", _("— choose —")), *map(tuple, spec["choices"])], **common)
    if kind == FieldType.CITIZEN_ID:
        return forms.CharField(
            min_length=12,
            max_length=12,
            validators=[citizen_id_validator],
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d{12}"}
            ),
            **common,
        )
    if kind == FieldType.PHONE:
        return forms.CharField(
            max_length=12,
            validators=[phone_validator],
            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
            **common,
        )
    if kind == FieldType.EMAIL:
        return forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common)
    if kind == FieldType.ADDRESS:
        return AddressField(province_code=province_code, **common)
    if kind == FieldType.UPLOAD:
        kinds = upload_kinds(spec)
        return forms.FileField(
            widget=forms.ClearableFileInput(attrs={"accept": ",".join(_EXTENSIONS[k] for k in kinds)}),
            max_length=255,
            validators=[UploadValidator(allowed=kinds, max_bytes=UPLOAD_MAX_BYTES)],
            **common,
        )
    raise ValueError(kind)


def upload_kinds(spec: dict) -> tuple[str, ...]:
    """The file types an upload field accepts (checked by content, see congso.core.uploads)."""
    return tuple(spec.get("accept") or DEFAULT_UPLOAD_KINDS)


def field_groups(form) -> list[tuple[str, list]]:
    """The form's bound fields in their groups, in order (a field without a group joins the one before):
    each group is one page of the form on a phone."""
    groups: list[tuple[str, list]] = []
    for spec in form.schema:
        title = spec.get("group")
        if title or not groups:
            groups.append((title or "", []))
        groups[-1][1].append(form[spec["name"]])
    return groups


class EForm(forms.Form):
    """The base of every generated form; ``cleaned_json()`` gives the values ready to store on a dossier."""

    schema: list[dict] = []

    def cleaned_json(self) -> dict:
        result = {}
        for spec in self.schema:
            value = self.cleaned_data.get(spec["name"])
            if spec["type"] == FieldType.UPLOAD:
                continue  # files are stored as documents, not in the JSON
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            result[spec["name"]] = value
        return result


def build_form(schema: list[dict], *, province_code: str) -> type[EForm]:
    """Turn a validated form definition into a Django form class."""
    validate_schema(schema)
    fields = {spec["name"]: _field(spec, province_code=province_code) for spec in schema}
    return type("GeneratedEForm", (EForm,), {**fields, "schema": schema})
