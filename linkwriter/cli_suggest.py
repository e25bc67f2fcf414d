"""`linkwriter suggest FILE`: per link, the guessed intent and ready-to-apply lead-in edits."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "suggest",
        help="suggest lead-ins (calls to action) for each link",
        description="For each link: why you seem to link (intent), the evidence, and 3-5 "
        "ranked sentence edits that give the reader a reason to click. Your own templates go "
        "in the 'templates' folder of the LinkWriter config folder.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--line", type=int, metavar="N", help="only links that start on line N")
    parser.add_argument("--config", metavar="PATH", help="extra config file (merged last)")
    return parser


def run_suggest(args: argparse.Namespace) -> int:
    from linkwriter.core.config import load_config
    from linkwriter.core.errors import LinkWriterError
    from linkwriter.core.textio import read_post

    try:
        path = Path(args.file)
        text = read_post(path).text
        config = load_config(
            path,
            Path(args.config) if args.config else None,
            use_user_config=not os.environ.get("LINKWRITER_NO_USER_CONFIG"),
        )
    except LinkWriterError as exc:
        print(f"linkwriter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.line is not None and args.line < 1:
        print("linkwriter: --line must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    report = build_report(text, config, args.line)
    report["file"] = str(path)
    output = (
        json.dumps(report, ensure_ascii=False, indent=2)
        if args.format == "json"
        else render_text(report)
    )
    try:
        print(output)
        sys.stdout.flush()
    except BrokenPipeError:  # `linkwriter suggest post.md | head` is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def build_report(
    text: str, config: Any, line: int | None = None, pages: dict | None = None
) -> dict:
    from linkwriter.core.extract import parse_post
    from linkwriter.core.suggest import ai as ai_backend
    from linkwriter.core.suggest import lead_in_problem, suggest_for_link

    post = parse_post(text)
    links = []
    for index, link in enumerate(post.links):
        if line is not None and link.line != line:
            continue
        result = suggest_for_link(post, index, config, pages)
        entry = {
            "url": link.url,
            "text": link.text,
            "kind": link.kind.value,
            "line": link.line,
            "column": link.column,
            "start": link.start,
            "end": link.end,
            "intent": result.intent.value,
            "intent_label": result.intent.label,
            "cues": [str(c) for c in result.cues[:6]],
            "no_lead_in": lead_in_problem(post, index),
            "source": result.source,
            "suggestions": [
                {"text": f.title, "start": f.start, "end": f.end, "replacement": f.replacement}
                for f in result.suggestions
            ],
        }
        links.append(entry)
    report: dict[str, Any] = {"links": links}
    if ai_backend.last_error:
        report["ai_error"] = ai_backend.last_error
    return report


def render_text(report: dict) -> str:
    lines: list[str] = []
    file = report.get("file", "")
    if not report["links"]:
        return f"{file}: no links found"
    for entry in report["links"]:
        anchor = entry["text"] if entry["text"] != entry["url"] else ""
        label = f"[{anchor}]({entry['url']})" if anchor else entry["url"]
        lines.append(f"{file}:{entry['line']}:{entry['column']}: {label}")
        note = f"  (no lead-in: {entry['no_lead_in']})" if entry["no_lead_in"] else ""
        lines.append(f"  intent: {entry['intent_label']}{note}")
        if entry["cues"]:
            lines.append("  because: " + "; ".join(entry["cues"][:3]))
        for n, s in enumerate(entry["suggestions"], 1):
            lines.append(f"  {n}. {s['text']}")
            shown = s["replacement"].replace("\r\n", "\n").replace("\n", "\n       ")
            lines.append(f"     edit {s['start']}-{s['end']}: {shown}")
        if not entry["suggestions"]:
            lines.append("  (no suggestions for this kind of link)")
        lines.append("")
    if report.get("ai_error"):
        lines.append(f"note: {report['ai_error']}; template suggestions shown")
    return "\n".join(lines).rstrip("\n")
