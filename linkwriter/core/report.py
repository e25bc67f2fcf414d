"""Machine-readable reports: the public JSON shape (version 1) and SARIF 2.1.0.

The JSON field names are a public interface: add fields freely, never rename or remove.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkwriter import __version__
from linkwriter.core.analysis import Analysis
from linkwriter.core.model import Finding, Severity
from linkwriter.core.offsets import LineIndex

SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


@dataclass(slots=True)
class FileResult:
    path: str
    analysis: Analysis
    extra_link_fields: dict[int, dict[str, Any]] | None = None  # e.g. relevance per link


def summary(results: Sequence[FileResult]) -> dict[str, int]:
    findings = [f for r in results for f in r.analysis.findings]
    return {
        "files": len(results),
        "links": sum(len(r.analysis.post.links) for r in results),
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": sum(f.severity is Severity.WARNING for f in findings),
        "infos": sum(f.severity is Severity.INFO for f in findings),
    }


def to_json(results: Sequence[FileResult]) -> dict[str, Any]:
    files = []
    for result in results:
        analysis = result.analysis
        per_link: dict[int, list[Finding]] = {}
        for f in analysis.findings:
            if f.link_index is not None:
                per_link.setdefault(f.link_index, []).append(f)
        links = []
        for i, link in enumerate(analysis.post.links):
            entry = link.to_dict()
            entry["findings"] = [f.to_dict() for f in per_link.get(i, [])]
            if result.extra_link_fields and i in result.extra_link_fields:
                entry.update(result.extra_link_fields[i])
            links.append(entry)
        files.append(
            {
                "path": result.path,
                "links": links,
                "findings": [f.to_dict() for f in analysis.document_findings],
            }
        )
    return {
        "version": 1,
        "tool": {"name": "linkwriter", "version": __version__},
        "files": files,
        "summary": summary(results),
    }


def to_sarif(results: Sequence[FileResult], rule_info: dict[str, Any]) -> dict[str, Any]:
    used = sorted({f.rule for r in results for f in r.analysis.findings})
    rules = []
    for rule_id in used:
        info = rule_info.get(rule_id)
        rules.append(
            {
                "id": rule_id,
                "name": rule_id,
                "shortDescription": {"text": getattr(info, "summary", rule_id)},
                "help": {"text": f"See docs/rules.md#{rule_id} in LinkWriter's documentation."},
                "defaultConfiguration": {
                    "level": SARIF_LEVEL[Severity(getattr(info, "severity", Severity.WARNING))]
                },
                "properties": {
                    "category": str(getattr(getattr(info, "category", ""), "value", ""))
                },
            }
        )
    index = {rule_id: i for i, rule_id in enumerate(used)}
    sarif_results = []
    for result in results:
        lines = LineIndex(result.analysis.post.text)
        uri = Path(result.path).as_posix()
        for f in result.analysis.findings:
            start_line, start_col = lines.line_col(f.start)
            end_line, end_col = lines.line_col(max(f.start, f.end))
            item: dict[str, Any] = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri},
                            "region": {
                                "startLine": start_line,
                                "startColumn": start_col,
                                "endLine": end_line,
                                "endColumn": end_col,
                                "charOffset": f.start,
                                "charLength": max(0, f.end - f.start),
                            },
                        }
                    }
                ],
            }
            if f.fixes:
                item["fixes"] = [_sarif_fix(uri, lines, fix) for fix in f.fixes]
            sarif_results.append(item)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "LinkWriter",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }


def _sarif_fix(uri: str, lines: LineIndex, fix: Any) -> dict[str, Any]:
    start_line, start_col = lines.line_col(fix.start)
    end_line, end_col = lines.line_col(fix.end)
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri},
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": start_line,
                            "startColumn": start_col,
                            "endLine": end_line,
                            "endColumn": end_col,
                        },
                        "insertedContent": {"text": fix.replacement},
                    }
                ],
            }
        ],
    }
