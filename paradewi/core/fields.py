"""Model fields that keep personal numbers encrypted in the database (core/crypto.py).

- ``EncryptedTextField``: the model holds the plain string; the column holds the token
  (``pde1.<key id>.<...>``), bound to ``<app label>.<model>.<field>`` so it does not open in
  another column. An empty string stays empty (a blank field costs no cryptography).
- ``EncryptedJSONField``: the same for a JSON value (the column holds the token of its JSON text).
- ``BlindIndexField``: the keyed hash of another field's plain value, computed on every save
  (and in ``bulk_create``); exact-match searches filter on it (``blind_index(value,
  purpose=...)``). Fields holding the same kind of number share a purpose, so one hash finds a
  NIK wherever it is stored. A name's hash is of the name as ``normalise_name`` writes it.

Serialisation (``dumpdata``, backups) writes the token, never the plain value, and loading
accepts a token or a plain value. A plain value read from the column (rows written before the
field was encrypted) is returned as it is; ``manage.py rotate_keys`` encrypts it.

Encrypted columns cannot be compared with a plain value: ``filter(subject_nik=...)`` raises
instead of quietly matching nothing (only ``""``, ``isnull`` and a stored token compare).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import validators
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression
from django.db.models.lookups import Exact, In, IsNull, Lookup

from paradewi.core.crypto import (
    blind_index,
    decrypt_text,
    encrypt_text,
    is_token,
    normalise_name,
)

if TYPE_CHECKING:
    _ExactBase = Exact[Any]
    _InBase = In[Any]
else:
    _ExactBase = Exact
    _InBase = In

# Purposes of the search hashes: the same number under the same purpose hashes alike.
NIK = "nik"
KK = "kk"
# A whole name, compared after normalise_name (case, accents, punctuation and spaces aside).
NAME = "name"
_NORMALISE = {NAME: normalise_name}


def field_context(model: type[models.Model], name: str) -> str:
    """What a token is bound to: ``<app label>.<model name>.<field name>``."""
    return f"{model._meta.app_label}.{model._meta.model_name}.{name}"


class _EncryptedMixin:
    """The context, and lookups limited to what a token can answer."""

    name: str
    context = ""

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only)  # type: ignore[misc]
        self.context = field_context(cls, name)

    def value_to_string(self, obj: models.Model) -> str:
        """The stored token (serialisers and backups never hold the plain value)."""
        token = self.get_prep_value(self.value_from_object(obj))  # type: ignore[attr-defined]
        return "" if token is None else str(token)

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        allowed: dict[str, type[Lookup[Any]]] = {
            "exact": TokenExact,
            "in": TokenIn,
            "isnull": IsNull,
        }
        return allowed.get(lookup_name)


def _check_comparable(value: object) -> None:
    if value in ("", None) or is_token(value) or hasattr(value, "resolve_expression"):
        return
    raise ValueError(
        "An encrypted column cannot be compared with a plain value; "
        "filter on its blind index (paradewi.core.crypto.blind_index) instead."
    )


class TokenExact(_ExactBase):
    """``= ''`` or ``= <a stored token>`` (a write guarded on the value it read)."""

    def get_prep_lookup(self) -> Any:
        _check_comparable(self.rhs)
        return super().get_prep_lookup()


class TokenIn(_InBase):
    def get_prep_lookup(self) -> Any:
        if not hasattr(self.rhs, "resolve_expression"):
            for value in self.rhs:
                _check_comparable(value)
        return super().get_prep_lookup()


class EncryptedTextField(_EncryptedMixin, models.TextField[str, str]):
    """A string stored as a token; ``max_length`` limits the plain string (forms, validation)."""

    description = "Encrypted text"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def encrypt(self, value: str) -> str:
        return encrypt_text(value, context=self.context) if value else ""

    def decrypt(self, value: str) -> str:
        return decrypt_text(value, context=self.context)

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None:
            return value
        return self.decrypt(value) if is_token(value) else value

    def to_python(self, value: Any) -> Any:
        if is_token(value):
            return self.decrypt(value)
        return super().to_python(value)

    def get_prep_value(self, value: Any) -> Any:
        # Field's, not TextField's: that one would run to_python, which opens a token.
        value = models.Field.get_prep_value(self, value)
        if value is None or value == "" or is_token(value):
            return value
        return self.encrypt(str(value))

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # A one-line input limited to the plain length, not the TextField's textarea.
        kwargs.setdefault("max_length", self.max_length)
        return models.Field.formfield(
            self, form_class or forms.CharField, choices_form_class, **kwargs
        )


class EncryptedJSONField(_EncryptedMixin, models.TextField[Any, Any]):
    """A JSON value stored as the token of its JSON text."""

    description = "Encrypted JSON"
    if TYPE_CHECKING:
        # Any JSON value in and out, as for models.JSONField (django-stubs' plugin reads these).
        _pyi_private_set_type: Any
        _pyi_private_get_type: Any

    def _load(self, value: str) -> Any:
        text = decrypt_text(value, context=self.context) if is_token(value) else value
        return json.loads(text)

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None or value == "":
            return value
        return self._load(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value:
            return self._load(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or is_token(value) or hasattr(value, "resolve_expression"):
            return value
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return encrypt_text(text, context=self.context)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return models.Field.formfield(
            self, form_class or forms.JSONField, choices_form_class, **kwargs
        )


class BlindIndexField(models.CharField[str, str]):
    """The search hash of field ``source`` (32 hex characters, "" when the source is empty)."""

    description = "Search hash of an encrypted field"

    def __init__(self, *args: Any, source: str = "", purpose: str = "", **kwargs: Any) -> None:
        if not source or not purpose:
            raise TypeError("BlindIndexField needs a source field and a purpose.")
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        for key, default in (("max_length", 32), ("blank", True), ("default", "")):
            if kwargs.get(key) == default:
                del kwargs[key]
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def hash_of(self, value: str | None) -> str:
        text = value or ""
        normalise = _NORMALISE.get(self.purpose)
        return blind_index(normalise(text) if normalise else text, purpose=self.purpose)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.hash_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def with_blind_indexes(model: type[models.Model], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` for ``QuerySet.update()`` plus the search hashes of the fields among them.

    ``update()`` does not call ``pre_save``: an update that sets an indexed field must set its
    hash too.
    """
    updates = dict(values)
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source in values:
            updates[field.name] = field.hash_of(values[field.source])
    return updates


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField | EncryptedJSONField]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField | EncryptedJSONField)
    ]


def blind_index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, BlindIndexField)]
