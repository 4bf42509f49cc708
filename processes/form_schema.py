"""The small forms a step asks for, described as data (admin-edited JSON) and checked here.

A schema is a list of fields::

    {"name": "budget", "label_th": "งบประมาณ", "label_en": "Budget", "type": "number",
     "required": true}

Types: text, textarea (long text), number, money (baht, two decimals), date, choice (with
"choices"), file, table (with "columns", each a text/number/date field), signature (the decider
types their own full name; a text field named `signed_name` counts as one too). "help_th" is
shown under the field. Dates are typed in the Buddhist era and stored as ISO strings.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import thaitime

FIELD_TYPES = (
    "text",
    "textarea",
    "number",
    "money",
    "date",
    "choice",
    "file",
    "table",
    "signature",
)
SIGNATURE_NAME = "signed_name"  # how the catalogue's plan approvals name their signature
COLUMN_TYPES = ("text", "number", "date")
MAX_TEXT = 5000
MAX_TABLE_ROWS = 200


def schema_errors(schema: Any) -> list[str]:
    """Problems with a schema itself, for the publish check; an empty list means it is usable."""
    if not isinstance(schema, list):
        return [_("The form must be a list of fields.")]
    errors = []
    names = set()
    for index, field in enumerate(schema, start=1):
        if not isinstance(field, Mapping):
            errors.append(_("Field %(n)s is not an object.") % {"n": index})
            continue
        name = field.get("name")
        if not name or not str(name).isidentifier():
            errors.append(_("Field %(n)s needs a name of letters, digits and _.") % {"n": index})
        elif name in names:
            errors.append(_("Field name “%(name)s” is used twice.") % {"name": name})
        names.add(name)
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            errors.append(_("Field “%(name)s” has an unknown type.") % {"name": name})
        if kind == "choice" and not field.get("choices"):
            errors.append(_("Choice field “%(name)s” lists no choices.") % {"name": name})
        if kind == "table":
            columns = field.get("columns") or []
            if not columns or any(c.get("type", "text") not in COLUMN_TYPES for c in columns):
                errors.append(
                    _("Table “%(name)s” needs text, number or date columns.") % {"name": name}
                )
    return errors


def is_signature(field: Mapping[str, Any]) -> bool:
    return field.get("type") == "signature" or field.get("name") == SIGNATURE_NAME


def signature_matches(typed: str, user: Any) -> bool:
    """The typed name is the signer's own: with or without the title, spaces and case not
    counting."""

    def squeeze(text: str) -> str:
        return re.sub(r"\s+", " ", text or "").strip().casefold()

    typed = squeeze(typed)
    names = {squeeze(user.display_name), squeeze(f"{user.first_name} {user.last_name}")}
    return bool(typed) and typed in names


def field_label(field: Mapping[str, Any]) -> str:
    from processes.models import localized

    return localized(field.get("label_th") or field["name"], field.get("label_en") or "")


def validate_form_data(
    schema: Iterable[Mapping[str, Any]],
    data: Mapping[str, Any],
    *,
    files: Iterable[tuple[str, Any]] = (),
    existing_files: Iterable[str] = (),
) -> dict[str, Any]:
    """Check `data` against the schema; return the cleaned values or raise per-field errors."""
    file_labels = {label for label, _upload in files} | set(existing_files)
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in schema:
        name = field["name"]
        kind = field.get("type", "text")
        required = bool(field.get("required"))
        try:
            if kind == "file":
                present = name in file_labels
                if required and not present:
                    raise ValidationError(_("Please attach this file."))
                continue
            value = _clean_value(field, data.get(name))
            if required and value in (None, "", []):
                raise ValidationError(_("This field is required."))
            if value not in (None, "", []):
                cleaned[name] = value
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_value(field: Mapping[str, Any], raw: Any) -> Any:
    kind = field.get("type", "text")
    if kind == "table":
        return _clean_table(field, raw)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if kind == "number":
        return _clean_number(raw)
    if kind == "money":
        return _clean_money(raw)
    if kind == "date":
        return _clean_date(raw)
    text = str(raw).strip()
    if kind == "choice" and text not in [str(c) for c in field.get("choices", [])]:
        raise ValidationError(_("Choose one of the listed options."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Please keep this under %(n)s characters.") % {"n": MAX_TEXT})
    return text


def _clean_number(raw: Any) -> int | float:
    try:
        number = Decimal(thaitime.to_arabic_digits(str(raw)).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(_("Enter a number, e.g. 1500 or 12.5.")) from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number, e.g. 1500 or 12.5."))
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_money(raw: Any) -> int | float:
    amount = _clean_number(raw)
    if amount < 0:
        raise ValidationError(_("An amount of money cannot be negative."))
    if round(amount, 2) != amount:
        raise ValidationError(_("Money has at most two decimals (satang)."))
    return amount


def _clean_date(raw: Any) -> str:
    text = str(raw).strip()
    try:
        # Stored values are ISO; people type Buddhist-era dates.
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        return thaitime.parse_thai_date(text).isoformat()


def _clean_table(field: Mapping[str, Any], raw: Any) -> list[dict[str, Any]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ValidationError(_("The table could not be read."))
    if len(raw) > MAX_TABLE_ROWS:
        raise ValidationError(_("At most %(n)s rows.") % {"n": MAX_TABLE_ROWS})
    rows = []
    for number, row in enumerate(raw, start=1):
        if not isinstance(row, Mapping):
            raise ValidationError(_("Row %(n)s could not be read.") % {"n": number})
        cleaned_row = {}
        for column in field.get("columns", []):
            try:
                value = _clean_value(
                    {**column, "type": column.get("type", "text")}, row.get(column["name"])
                )
            except ValidationError as error:
                raise ValidationError(
                    _("Row %(n)s, %(column)s: %(error)s")
                    % {
                        "n": number,
                        "column": field_label(column),
                        "error": " ".join(error.messages),
                    }
                ) from None
            if value not in (None, ""):
                cleaned_row[column["name"]] = value
        if cleaned_row:
            rows.append(cleaned_row)
    return rows
