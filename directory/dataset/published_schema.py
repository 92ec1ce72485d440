"""The JSON Schemas published in ``data/schema/``, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from directory.dataset.models import Jurisdiction, Provider

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "provider.schema.json": Provider,
    "jurisdiction.schema.json": Jurisdiction,
}


def schema_documents() -> dict[str, dict[str, Any]]:
    """The schema documents by file name."""
    documents = {}
    for name, model in SCHEMA_FILES.items():
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
        document.update(model.model_json_schema())
        documents[name] = document
    return documents


def render(document: dict[str, Any]) -> str:
    """Stable text for a schema document."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder`` and return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in schema_documents().items():
        path = folder / name
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    return written
