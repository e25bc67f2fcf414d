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


def test_rules_md_index_lists_every_rule_with_its_category_severity_and_entry():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): m.groups()
        for m in re.finditer(
            r"^\| \[`([a-z0-9-]+)`\]\(([^)]*)\) \| (\w+) \| (\w+) \|", text, re.MULTILINE
        )
    }
    for rule_id, meta in all_rules().items():
        assert rule_id in rows, f"docs/rules.md index has no row for {rule_id}"
        _, link, category, severity = rows[rule_id]
        assert (category, severity) == (meta.category.value, meta.severity.value), rule_id
        page, _, anchor = link.partition("#")
        assert anchor == rule_id, (rule_id, link)
        target = (ROOT / "docs" / page).read_text(encoding="utf-8") if page else text
        assert f"## `{rule_id}`\n" in target, (rule_id, link)
    assert set(rows) == set(all_rules()), set(rows) - set(all_rules())
