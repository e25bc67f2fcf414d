"""`linkwriter check` and `linkwriter clean`: thin shells over core.analysis and core.clean."""

from __future__ import annotations

import argparse
import json
import os
import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from linkwriter.core.config import Config, load_config
from linkwriter.core.errors import LinkWriterError
from linkwriter.core.extract import parse_post
from linkwriter.core.model import Severity
from linkwriter.core.offsets import LineIndex
from linkwriter.core.post import Post
from linkwriter.core.report import FileResult, summary, to_json, to_sarif
from linkwriter.core.textio import read_post, write_atomic

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _config_for(path: Path, args: argparse.Namespace) -> Config:
    explicit = Path(args.config) if getattr(args, "config", None) else None
    return load_config(
        path, explicit, use_user_config=not os.environ.get("LINKWRITER_NO_USER_CONFIG")
    )


def run_check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    started = time.monotonic()
    results: list[FileResult] = []
    failures: list[dict[str, str]] = []
    loaded: list[tuple[str, Post, Config]] = []
    cancel = threading.Event()
    early = None  # the network check, started as soon as the parser finds the first link
    arrived: queue.SimpleQueue = queue.SimpleQueue()  # (fetch URL, report) as pages come in
    try:
        for name in args.files:
            try:
                post_file = read_post(name)
                config = _config_for(post_file.path, args)
                if args.offline:
                    config.network.offline = True
                if early is None and not config.network.offline:
                    from linkwriter.core.net.cli_support import EarlyStart

                    early = EarlyStart(
                        config, args, cancel=cancel, on_result=lambda u, r: arrived.put((u, r))
                    )
                on_link = early.on_link if early is not None else None
                loaded.append((name, parse_post(post_file.text, on_link=on_link), config))
            except LinkWriterError as exc:
                print(f"linkwriter: {exc}", file=sys.stderr)
                failures.append({"path": name, "error": str(exc)})
    except BaseException:
        cancel.set()
        if early is not None:
            early.close()
        raise
    # Imported only now: the rules take a while to load, and the first requests should not wait.
    from linkwriter.core.analysis import Analysis, analyze, offline_providers, settle
    from linkwriter.core.relevance import pages_from_reports, relevance_report

    # The network stage waits on sockets most of the time; the offline rules run meanwhile.
    outcome: dict[str, Any] = {}

    def network_worker() -> None:
        try:
            outcome["stage"] = _network_stage(loaded, args, cancel, early)
        except BaseException as exc:  # re-raised in the main thread
            outcome["error"] = exc

    worker = threading.Thread(target=network_worker, name="linkwriter-network", daemon=True)
    worker.start()
    try:
        providers = offline_providers(relevance=False)  # relevance runs below, with pages
        offline = [analyze(post, config, providers=providers) for _, post, config in loaded]
        _prepare_pages(loaded, arrived, worker)
    except BaseException:
        cancel.set()
        raise
    if "error" in outcome:
        raise outcome["error"]
    network = outcome["stage"]
    pages = pages_from_reports(network.reports)
    for i, (name, post, config) in enumerate(loaded):
        relevance = relevance_report(post, pages, config)
        extra = [*(network.findings[i] if network.findings else []), *relevance.findings]
        analysis = offline[i]
        if extra:
            analysis = Analysis(
                post=post, findings=settle(post, [*analysis.findings, *extra], config)
            )
        fields: dict[int, dict[str, Any]] = {}
        for source in (
            network.link_fields[i] if network.link_fields else {},
            relevance.link_fields(),
        ):
            for index, values in source.items():
                fields.setdefault(index, {}).update(values)
        results.append(
            FileResult(
                path=name,
                analysis=analysis,
                extra_link_fields=fields or None,
                extra_fields={"relevance": relevance.to_dict()},
                notes=(relevance.text(),),
            )
        )

    # dumps then one write: json.dump writes a stream of tiny pieces, slow for big reports.
    if args.format == "json":
        report = to_json(results)
        report["failures"] = failures
        out.write(json.dumps(report, ensure_ascii=False) + "\n")
    elif args.format == "sarif":
        out.write(json.dumps(to_sarif(results, _rule_info()), ensure_ascii=False, indent=1) + "\n")
    else:
        _print_text(results, out, time.monotonic() - started)
        if network.summary:
            print(network.summary, file=out)
        for note in network.notes:
            print(f"note: {note}", file=out)

    if failures:
        return EXIT_USAGE
    errors = summary(results)["errors"]
    return EXIT_FINDINGS if errors else EXIT_OK


def _prepare_pages(
    loaded: list[tuple[str, Post, Config]], arrived: queue.SimpleQueue, worker: threading.Thread
) -> None:
    """While the network stage runs, reduce each page that has arrived to the terms relevance
    compares (the bulk of its work), so little is left to do once the last page is in."""
    if not loaded or all(config.network.offline for _, _, config in loaded):
        worker.join()
        return
    from linkwriter.core.net.policy import UrlPolicy
    from linkwriter.core.relevance.warm import ProfileWarmer

    with ProfileWarmer((post, config) for _, post, config in loaded) as warmer:
        policy = UrlPolicy(loaded[0][2].network)  # the run's network identity (first post's)
        keys: dict[str, list[str]] = {}
        for key in warmer.languages:
            keys.setdefault(policy.fetch_url(key), []).append(key)
        while True:
            try:
                fetch_url, report = arrived.get(timeout=0.05)
            except queue.Empty:
                if not worker.is_alive():
                    return
                warmer.pump()
                continue
            for key in keys.get(fetch_url, ()):
                warmer.warm(key, report.meta)


def _rule_info() -> dict[str, object]:
    from linkwriter.core.catalog import all_rules

    return dict(all_rules())


def _network_stage(
    loaded: list[tuple[str, Post, Config]],
    args: argparse.Namespace,
    cancel: threading.Event,
    early: Any = None,
):
    """Check every post's links over the network with one checker (each URL once per run).
    early: a cli_support.EarlyStart the parser already fed links to."""
    from linkwriter.core.net.cli_flags import apply_network_arguments

    for _, _, config in loaded:
        apply_network_arguments(config, args)
    if not loaded or all(config.network.offline for _, _, config in loaded):
        from types import SimpleNamespace

        if early is not None:
            early.close()
        return SimpleNamespace(findings=[], link_fields=[], reports={}, summary="", notes=[])
    from linkwriter.core.net.cli_support import network_stage

    return network_stage(
        [(post, config) for _, post, config in loaded], args, cancel=cancel, early=early
    )


def _print_text(results: list[FileResult], out: TextIO, elapsed: float) -> None:
    color = out.isatty() and not os.environ.get("NO_COLOR")
    paint = {
        Severity.ERROR: "\033[31m",
        Severity.WARNING: "\033[33m",
        Severity.INFO: "\033[36m",
    }
    for result in results:
        post = result.analysis.post
        lines = LineIndex(post.text)
        for f in result.analysis.findings:
            line, col = lines.line_col(f.start)
            sev = f.severity.value
            if color:
                sev = f"{paint[f.severity]}{sev}\033[0m"
            print(f"{result.path}:{line}:{col}: {sev}[{f.rule}] {f.message}", file=out)
            if f.link_index is not None:
                link = post.links[f.link_index]
                print(f"    {link.url}", file=out)
            for fix in f.fixes:
                print(f"    fix: {fix.title}", file=out)
        for note in result.notes:
            print(f"{result.path}: {note}", file=out)
    s = summary(results)
    print(
        f"Checked {_n(s['files'], 'file')}, {_n(s['links'], 'link')} in {elapsed:.2f} s: "
        f"{_n(s['errors'], 'error')}, {_n(s['warnings'], 'warning')}, {_n(s['infos'], 'info')}",
        file=out,
    )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def run_clean(args: argparse.Namespace) -> int:
    from linkwriter.core.clean import CleanOptions, clean_text

    post_file = read_post(args.file)
    config = _config_for(post_file.path, args)
    options = CleanOptions(strip_markers=args.strip_markers)
    network: list = []
    if not args.offline:  # verified https and final-URL fixes need the network
        stage = _network_stage(
            [(args.file, parse_post(post_file.text), config)], args, threading.Event()
        )
        network = stage.findings[0] if stage.findings else []
    cleaned = clean_text(post_file.text, config, options, network_findings=network)
    data = post_file.encode(cleaned)
    if args.output and args.output != "-":
        try:
            write_atomic(args.output, data)
        except OSError as exc:
            raise LinkWriterError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return EXIT_OK
