"""The API contract: the OpenAPI document describes each operation with its own schemas.

Two schema classes with one name in different apps were merged into one component, so nine
operations were documented with another endpoint's fields (issue 11, finding 7).
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from pydantic import BaseModel

import pinqiao.api.urls  # noqa: F401  (imports every router and so every schema class)
from pinqiao.api.urls import api


def _project_models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []

    def walk(cls: type[BaseModel]) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("pinqiao.") and ".tests" not in sub.__module__:
                found.append(sub)
            walk(sub)

    walk(BaseModel)
    return found


def test_no_two_schema_classes_share_a_name() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in _project_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}
    assert clashes == {}


@pytest.fixture(scope="module")
def components() -> dict:
    return api.get_openapi_schema()["components"]["schemas"]


def test_every_component_has_the_fields_of_its_own_class(components: dict) -> None:
    wrong = {}
    checked = 0
    for model in _project_models():
        documented = components.get(model.__name__)
        if documented is None:
            continue
        checked += 1
        own = set(model.model_json_schema(by_alias=True).get("properties", {}))
        if set(documented.get("properties", {})) != own:
            wrong[model.__name__] = (model.__module__, sorted(documented.get("properties", {})))
    assert checked > 50 and wrong == {}

