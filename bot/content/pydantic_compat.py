"""The pydantic 1 API the content models are written in, on either environment.

The Rasa runtime pins pydantic 1.10; the public tier has pydantic 2, whose `pydantic.v1` is the same API.
Importing it from here keeps validation, coercion and error messages the same in both.
"""
from __future__ import annotations

try:
    from pydantic.v1 import BaseModel, Extra, Field, ValidationError, root_validator, validator
except ImportError:  # pydantic 1.10 (the Rasa runtime) has no pydantic.v1
    from pydantic import BaseModel, Extra, Field, ValidationError, root_validator, validator  # type: ignore[no-redef]

__all__ = ["BaseModel", "Extra", "Field", "ValidationError", "root_validator", "validator"]
