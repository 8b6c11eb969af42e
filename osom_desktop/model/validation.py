"""Field-by-field validation of edits, through pydantic, with one-line messages."""

from __future__ import annotations

import dataclasses
import typing
import warnings
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.warnings import UnsupportedFieldAttributeWarning

from osom_desktop.model.errors import ModelValidationError

M = TypeVar("M", bound=BaseModel)


@cache
def _field_adapters(cls: type) -> dict[str, TypeAdapter[Any]]:
    hints = typing.get_type_hints(cls, include_extras=True)  # keep Annotated limits
    with warnings.catch_warnings():
        # A field's dump options (``Field(exclude=True)`` on WardleyMap's OWM-only
        # fields) mean nothing to a lone TypeAdapter, and pydantic says so per field.
        warnings.simplefilter("ignore", UnsupportedFieldAttributeWarning)
        return {f.name: TypeAdapter(hints[f.name]) for f in dataclasses.fields(cls)}


def first_error(exc: ValidationError, prefix: str = "") -> ModelValidationError:
    """Turn pydantic's multi-line report into our one-line error (the first problem)."""
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    field = ".".join(p for p in (prefix, loc) if p)
    return ModelValidationError(field or "value", err.get("input"), err["msg"])


def validate_fields(cls: type, values: dict[str, Any]) -> dict[str, Any]:
    """Validate (and coerce) ``values`` for fields of the dataclass ``cls``."""
    adapters = _field_adapters(cls)
    out: dict[str, Any] = {}
    for name, value in values.items():
        adapter = adapters.get(name)
        if adapter is None:
            raise ModelValidationError(f"{cls.__name__}.{name}", value, "no such field")
        try:
            out[name] = adapter.validate_python(value)
        except ValidationError as exc:
            raise first_error(exc, f"{cls.__name__}.{name}") from None
    return out


def validate_instance(obj: Any) -> Any:
    """Validate a whole dataclass instance (e.g. a component built by a view)."""
    cls = type(obj)
    values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(cls)}
    return cls(**validate_fields(cls, values))


def validate_model_update(model: M, values: dict[str, Any]) -> M:
    """A validated copy of a pydantic model with ``values`` applied."""
    data = model.model_dump()
    unknown = set(values) - set(type(model).model_fields)
    if unknown:
        name = sorted(unknown)[0]
        raise ModelValidationError(f"{type(model).__name__}.{name}", values[name], "no such field")
    data.update(values)
    try:
        return type(model).model_validate(data)
    except ValidationError as exc:
        raise first_error(exc, type(model).__name__) from None
