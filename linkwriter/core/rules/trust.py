"""Trust rules: is the destination safe, reachable and what it claims to be?"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from urllib.parse import unquote

from markdown_it.common.utils import unescapeAll

from linkwriter.core.model import Category, Finding, Fix, Link, Severity
from linkwriter.core.rules.context import RuleContext
from linkwriter.core.rules.domains import DomainSet, ip_literal, parent_domains
from linkwriter.core.rules.lists import load_lines, load_set
from linkwriter.core.rules.lookalike import find_lookalike, popular_domains
from linkwriter.core.rules.registry import rule
from linkwriter.core.rules.urls import Target, meant_as_web

TRUST = Category.TRUST

# --------------------------------------------------------------------------- unsafe-scheme
_UNSAFE = {
    "javascript": (
        "runs script instead of opening a page: blog platforms and feed readers strip "
        "javascript: links and browsers treat them as a script-injection risk"
    ),
    "vbscript": (
        "runs VBScript instead of opening a page: no current browser supports it and "
        "platforms strip it as a script-injection risk"
    ),
    "data": (
        "embeds its content in a data: URL: browsers refuse to open data: links and "
        "Markdown renderers drop them, so readers get nothing"
    ),
    "file": (
        "points at a file on your own computer (file:): readers cannot open it and "
        "it reveals your local folder names"
    ),
}
_UNSAFE_DO = {
    "javascript": "Link to a real https:// page instead.",
    "vbscript": "Link to a real https:// page instead.",
    "data": "Host the content and link to its https:// address.",
    "file": "Upload the file and link to its https:// address.",
}
# markdown-it-py itself renders these data: images, so they are not a problem on images.
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(gif|png|jpeg|webp);", re.IGNORECASE)


@rule("unsafe-scheme", TRUST, Severity.ERROR, "javascript:, vbscript:, data: or file: links")
def check_unsafe_scheme(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if target.scheme not in _UNSAFE:
        return None
    if target.scheme == "data" and link.is_image and _SAFE_DATA_IMAGE.match(target.value.strip()):
        return None
    what = "image" if link.is_image else "link"
    return ctx.link_finding(
        "unsafe-scheme",
        index,
        f"This {what} {_UNSAFE[target.scheme]}. {_UNSAFE_DO[target.scheme]}",
        data={"scheme": target.scheme},
    )


# --------------------------------------------------------------------------- malformed-url
@rule("malformed-url", TRUST, Severity.ERROR, "web address with no host, spaces or a bad port")
def check_malformed(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if target.is_relative:
        kind = meant_as_web(target.value)
        if not kind:
            return None  # relative links and #fragments are fine
        raw = ctx.dest_text(link)
        if kind == "missing-colon":
            colon_at = raw.lower().find("//")
            fixes = []
            if colon_at > 0 and raw[:colon_at].lower() in ("http", "https", "<http", "<https"):
                fixes.append(
                    Fix("Add the missing colon", link.dest_start + colon_at,
                        link.dest_start + colon_at, ":")
                )
            msg = (
                f"This link {target.value!r} is missing the ':' after its scheme, so browsers "
                "treat it as a page on your own site and readers get a 'not found' page. "
                "Write it as " + target.value.replace("//", "://", 1) + "."
            )
        else:
            offset = 1 if raw.startswith("<") else 0
            fixes = []
            if raw[offset:].lower().startswith("www."):
                at = link.dest_start + offset
                fixes.append(Fix("Add https:// in front", at, at, "https://"))
            msg = (
                f"This link {target.value!r} has no https:// in front, so browsers treat it "
                "as a page on your own site and readers get a 'not found' page. "
                "Start the address with https://."
            )
        return ctx.link_finding(
            "malformed-url", index, msg, fixes=fixes, data={"problem": kind}
        )
    if not target.web or not target.problem:
        return None
    raw = ctx.dest_text(link)
    fixes = []
    if target.problem == "it contains spaces" and " " in raw and target.host:
        # Spaces in the path or query: percent-encoding them keeps the same destination.
        repl = raw.replace(" ", "%20")
        fixes.append(Fix("Encode the spaces as %20", link.dest_start, link.dest_end, repl))
    return ctx.link_finding(
        "malformed-url",
        index,
        f"This web address is malformed: {target.problem}. Browsers fail or guess where it "
        "goes, readers land on an error, and search engines skip the link. Correct the "
        "address (copy it again from the browser's address bar).",
        fixes=fixes,
        data={"problem": target.problem},
    )


# --------------------------------------------------------------------------- local-address
_LOCAL_SUFFIXES = ("local", "internal", "lan", "home", "localhost", "localdomain", "home.arpa",
                   "intranet", "corp")


@lru_cache(maxsize=8192)
def local_reason(host: str) -> str:
    """Why readers cannot reach host, or "" if they can."""
    if not host:
        return ""
    ip = ip_literal(host)
    if ip is not None:
        if ip.is_loopback:
            return f"{host} is a loopback address: it means the reader's own computer"
        if ip.is_link_local:
            return f"{host} is a link-local address that only works on one local network"
        if ip.is_private or not ip.is_global:
            return f"{host} is a private network address that readers cannot reach"
        return ""
    if host == "localhost":
        return "localhost means the reader's own computer"
    for suffix in _LOCAL_SUFFIXES:
        if host.endswith("." + suffix) or host == suffix:
            return f"names ending in .{suffix} only resolve inside a local network"
    if "." not in host:
        return f"the single-label name {host!r} only resolves inside your own network"
    return ""


@rule("local-address", TRUST, Severity.ERROR,
      "localhost, private IPs or .local/.internal/.lan/.home hosts readers cannot reach")
def check_local_address(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not target.web or target.problem:
        return None
    reason = local_reason(target.host)
    if reason:
        return ctx.link_finding(
            "local-address",
            index,
            f"This link points at your local network ({reason}), so it is broken for every "
            "reader and search engines count it as a dead link. Publish the page and link to "
            "its public address, or remove the link; if readers should type this address on "
            "their own machine, write it as `code` instead of a link.",
            data={"host": target.host},
        )


# --------------------------------------------------------------------------- ip-host
@rule("ip-host", TRUST, Severity.WARNING, "public IP address instead of a host name")
def check_ip_host(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not target.web or target.problem:
        return None
    ip = ip_literal(target.host)
    if ip is None or not ip.is_global:
        return None
    return ctx.link_finding(
        "ip-host",
        index,
        f"This link uses the bare IP address {target.host} instead of a name: readers cannot "
        "tell whose site it is, HTTPS certificates rarely cover IPs, the address changes "
        "when the site moves, and phishing uses this trick. Link to the site's domain name.",
        data={"host": target.host},
    )


# --------------------------------------------------------------------------- insecure-http
@rule("insecure-http", TRUST, Severity.WARNING, "http:// link where https:// is expected")
def check_insecure_http(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if target.scheme != "http" or target.problem or target.implied_scheme:
        return None  # a bare `www.` name: url-as-anchor already asks for a real link
    if local_reason(target.host):
        return None
    what = "image is loaded" if link.is_image else "page opens"
    return ctx.link_finding(
        "insecure-http",
        index,
        f"This {what} over plain http://: it travels unencrypted and can be altered on the "
        "way, browsers mark it 'Not secure', and search engines prefer https pages. Check "
        "that the site works with https:// and switch the link (the online check can verify "
        "it for you).",
        data={"host": target.host},
    )


# --------------------------------------------------------------------------- userinfo-in-url
def _userinfo_span(raw: str) -> tuple[int, int] | None:
    """Span of "user@" (including the @) inside the destination as written."""
    start = raw.find("//")
    if start < 0:
        return None
    start += 2
    end = len(raw)
    for i in range(start, len(raw)):
        if raw[i] in "/?#>":
            end = i
            break
    at = raw.rfind("@", start, end)
    if at < 0:
        return None
    return start, at + 1


@rule("userinfo-in-url", TRUST, Severity.ERROR, "user name or password before @ in the host")
def check_userinfo(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not target.web or not target.userinfo:
        return None
    user = target.userinfo
    if ":" in user:
        why = (
            "It carries a user name and password in plain sight: anyone reading the post can "
            "use them, and browsers block or warn about such links."
        )
    elif "." in user:
        why = (
            f"It looks like it goes to {user} but actually goes to {target.host}: everything "
            "before '@' is only a user name. This is a classic phishing disguise, and "
            "browsers and mail filters warn about it."
        )
    else:
        why = (
            f"Everything before '@' ({user!r}) is a user name sent to {target.host}; browsers "
            "warn about such links and readers cannot tell where they really go."
        )
    fixes = []
    raw = ctx.dest_text(link)
    span = _userinfo_span(raw)
    if span is not None:
        fixes.append(
            Fix(f"Remove the part before '@' (link to {target.host} plainly)",
                link.dest_start + span[0], link.dest_start + span[1], "")
        )
    return ctx.link_finding(
        "userinfo-in-url",
        index,
        f"This link has a user-name part before '@'. {why} Link to the real address without it.",
        fixes=fixes,
        data={"userinfo": user, "host": target.host},
    )


# --------------------------------------------------------------------------- lookalike-domain
@rule("lookalike-domain", TRUST, Severity.WARNING,
      "mixed-script, confusable or typo name imitating a popular domain",
      thresholds=("lookalike-max-distance", "lookalike-min-length"))
def check_lookalike(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not target.web or target.problem or not target.host or ip_literal(target.host):
        return None
    found = find_lookalike(
        target.host,
        int(ctx.threshold("lookalike-max-distance")),
        int(ctx.threshold("lookalike-min-length")),
    )
    if found is None:
        return None
    like = (
        f" It resembles {found.resembles}."
        if found.resembles and found.resembles not in found.reason
        else ""
    )
    return ctx.link_finding(
        "lookalike-domain",
        index,
        f"This link's domain looks like an imitation: {found.reason}.{like} Lookalike names "
        "are how phishing and malware sites catch readers, and browsers and search engines "
        "distrust them. Check the address character by character and link to the real site; "
        "if this domain is right, add it to [domains] trusted.",
        data={"host": target.host, "resembles": found.resembles},
    )


# --------------------------------------------------------------------------- url-shortener
@cache
def _shorteners() -> DomainSet:
    return DomainSet(load_lines("url-shorteners.txt"))


@rule("url-shortener", TRUST, Severity.WARNING, "link through a URL shortener (bit.ly, t.co, ...)")
def check_shortener(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not target.web or not target.host:
        return None
    service = _shorteners().match(target.host)
    if service is None:
        return None
    return ctx.link_finding(
        "url-shortener",
        index,
        f"This link goes through the URL shortener {service}: readers cannot see where it "
        "leads, spam filters and some platforms block shorteners, the link dies if the "
        "service does, and search engines pass less value through the extra redirect. Link "
        "to the final address instead (the online check can expand it for you).",
        data={"service": service},
    )


# --------------------------------------------------------------------------- risky-tld
@rule("risky-tld", TRUST, Severity.INFO, "domain under a top-level domain heavily abused by spam")
def check_risky_tld(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not target.web or target.problem or not target.host or ip_literal(target.host):
        return None
    tld = target.host.rsplit(".", 1)[-1]
    if tld not in load_set("risky-tlds.txt"):
        return None
    reg = ctx.registrable(target)
    if reg and reg in popular_domains():
        return None
    return ctx.link_finding(
        "risky-tld",
        index,
        f"This link's domain ends in .{tld}, one of the top-level domains most abused for "
        "spam and phishing (Spamhaus): readers, mail filters and search engines treat such "
        "links with suspicion. Make sure this is the site you mean; if it is, add it to "
        "[domains] trusted.",
        data={"tld": tld},
    )


# --------------------------------------------------------------------------- blocked-domain
@rule("blocked-domain", TRUST, Severity.ERROR, "domain on your [domains] blocked list")
def check_blocked(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not target.host or not ctx.blocked:
        return None
    entry = ctx.blocked.match(target.host)
    if entry is None:
        return None
    return ctx.link_finding(
        "blocked-domain",
        index,
        f"This link goes to {target.host}, which your configuration blocks ({entry} is in "
        "[domains] blocked): you decided readers should not be sent there. Remove the link "
        "or link to another source.",
        data={"host": target.host, "entry": entry},
    )


# --------------------------------------------------------------------------- tracking-params
@cache
def _tracking() -> tuple[frozenset[str], tuple[str, ...], dict[str, frozenset[str]]]:
    exact: set[str] = set()
    prefixes: list[str] = []
    scoped: dict[str, frozenset[str]] = {}
    for line in load_lines("tracking-params.txt"):
        name, *sites = line.split()
        if sites:
            scoped[name] = frozenset(sites)
        elif name.endswith("*"):
            prefixes.append(name[:-1])
        else:
            exact.add(name)
    return frozenset(exact), tuple(prefixes), scoped


def is_tracking_param(name: str, host: str) -> bool:
    name = name.lower()
    exact, prefixes, scoped = _tracking()
    if name in exact or name.startswith(prefixes):
        return True
    sites = scoped.get(name)
    return bool(sites) and any(d in sites for d in parent_domains(host))


_QUERY_SEP = re.compile(r"(&amp;|&)")


def _param_name(param: str) -> str:
    return unquote(unescapeAll(param.split("=", 1)[0])).strip().lower()


def strip_params(raw: str, drop) -> tuple[int, int, str, list[str]] | None:  # type: ignore[no-untyped-def]
    """Remove the query parameters `drop(name)` selects from a destination as written.

    Returns (start, end, replacement, removed names) for the query part, or None.
    Everything else, including the other parameters and their order, stays as written.
    """
    q = raw.find("?")
    h = raw.find("#")
    if q < 0 or (0 <= h < q):
        return None
    end = h if h >= 0 else len(raw)
    if raw.endswith(">") and raw.startswith("<") and end == len(raw):
        end -= 1
    pieces = _QUERY_SEP.split(raw[q + 1 : end])
    params, seps = pieces[0::2], pieces[1::2]
    removed = [_param_name(p) for p in params if p and drop(_param_name(p))]
    if not removed:
        return None
    kept = [p for p in params if not (p and drop(_param_name(p)))]
    joiner = seps[0] if seps and len(set(seps)) == 1 else "&"
    query = joiner.join(kept) if any(kept) else ""
    return q, end, ("?" + query if query else ""), removed


@rule("tracking-params", TRUST, Severity.WARNING, "utm_*, fbclid, gclid and other click trackers")
def check_tracking(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not target.web or not target.query:
        return None
    host = target.host

    def drop(name: str) -> bool:
        return is_tracking_param(name, host)

    names = [
        _param_name(p) for p in _QUERY_SEP.split(target.query)[0::2] if p and drop(_param_name(p))
    ]
    if not names:
        return None
    fixes = []
    edit = strip_params(ctx.dest_text(link), drop)
    if edit is not None:
        start, end, replacement, _removed = edit
        fixes.append(
            Fix(f"Remove tracking parameters ({', '.join(dict.fromkeys(names))})",
                link.dest_start + start, link.dest_start + end, replacement)
        )
    return ctx.link_finding(
        "tracking-params",
        index,
        f"This link carries tracking parameters ({', '.join(dict.fromkeys(names))}): they "
        "report your readers' clicks to ad and analytics systems, make the address long and "
        "opaque, and split one page into many URLs for search engines. Remove them; the "
        "page opens the same without them.",
        fixes=fixes,
        data={"params": list(dict.fromkeys(names))},
    )
