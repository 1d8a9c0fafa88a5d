"""Base for our NLU components that learn nothing: built from their config alone."""
from __future__ import annotations

from typing import Any, Dict, Type, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

Component = TypeVar("Component", bound="StatelessComponent")


class StatelessComponent(GraphComponent):
    def __init__(self, config: Dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls: Type[Component],
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Component:
        return cls(config)
