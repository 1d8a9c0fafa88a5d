"""A fix for Rasa 3.6's per-call cost of checking action server responses.

Rasa validates every custom-action response with `jsonschema.validate(...)`,
which re-checks the schema itself on every call: with an action after every
answer that took about 40% of the Rasa server's time under load. The same
schema is compiled once here and used for the same check, with the same error.
Installed by the server's input channel (bot/channels/rest.py).
"""
from __future__ import annotations

import functools
from typing import Any, Dict

import jsonschema
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction

_original = RemoteAction._validate_action_result


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    return _original(self, result)  # raises Rasa's own error, message and all


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
