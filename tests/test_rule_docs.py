"""Every rule id LinkWriter can report has a doc entry like ruff's rule pages."""

import re
from pathlib import Path

import pytest

from linkwriter.core.catalog import all_rules

ROOT = Path(__file__).resolve().parent.parent
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))


@pytest.mark.parametrize("rule_id", sorted(all_rules()))
def test_rule_has_a_doc_entry(rule_id):
    match = re.search(
        rf"^## `{re.escape(rule_id)}`\n(.*?)(?=^## |\Z)", DOCS, re.MULTILINE | re.DOTALL
    )
    assert match, f"no '## `{rule_id}`' entry in docs/*.md"
    body = match.group(1).lower()
    for part in ("what it checks", "why it matters", "example", "fix"):
        assert part in body, f"{rule_id}: the entry has no '{part}' part"


def test_catalogue_joins_every_source():
    sources = {meta.source for meta in all_rules().values()}
    assert sources == {"offline", "network", "relevance", "suggestions"}
