"""Find the bundled data files, both in a source checkout and in an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The wheel ships resources/ as linkwriter/resources; a checkout keeps it at the top."""
    here = Path(__file__).resolve().parent.parent  # linkwriter/
    installed = here / "resources"
    if installed.is_dir():
        return installed
    checkout = here.parent / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"LinkWriter resources not found next to {here}")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def read_resource_text(*parts: str) -> str:
    return resource_path(*parts).read_text(encoding="utf-8")
