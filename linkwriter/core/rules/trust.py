"""Trust rules: is the destination safe, reachable and what it claims to be?"""

from __future__ import annotations

import re
from collections.abc import Iterator

from linkwriter.core.model import Category, Finding, Fix, Link, Severity
from linkwriter.core.rules.context import RuleContext
from linkwriter.core.rules.domains import ip_literal
from linkwriter.core.rules.registry import rule
from linkwriter.core.rules.urls import meant_as_web

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
def check_unsafe_scheme(ctx: RuleContext, index: int, link: Link) -> Iterator[Finding]:
    target = ctx.target(index)
    if target.scheme not in _UNSAFE:
        return
    if target.scheme == "data" and link.is_image and _SAFE_DATA_IMAGE.match(target.value.strip()):
        return
    what = "image" if link.is_image else "link"
    yield ctx.link_finding(
        "unsafe-scheme",
        index,
        f"This {what} {_UNSAFE[target.scheme]}. {_UNSAFE_DO[target.scheme]}",
        data={"scheme": target.scheme},
    )


# --------------------------------------------------------------------------- malformed-url
@rule("malformed-url", TRUST, Severity.ERROR, "web address with no host, spaces or a bad port")
def check_malformed(ctx: RuleContext, index: int, link: Link) -> Iterator[Finding]:
    target = ctx.target(index)
    raw = ctx.dest_text(link)
    if target.is_relative:
        kind = meant_as_web(target.value)
        if not kind:
            return  # relative links and #fragments are fine
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
        yield ctx.link_finding(
            "malformed-url", index, msg, fixes=fixes, data={"problem": kind}
        )
        return
    if not target.web or not target.problem:
        return
    fixes = []
    if target.problem == "it contains spaces" and " " in raw and target.host:
        # Spaces in the path or query: percent-encoding them keeps the same destination.
        repl = raw.replace(" ", "%20")
        fixes.append(Fix("Encode the spaces as %20", link.dest_start, link.dest_end, repl))
    yield ctx.link_finding(
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
def check_local_address(ctx: RuleContext, index: int, link: Link) -> Iterator[Finding]:
    target = ctx.target(index)
    if not target.web or target.problem:
        return
    reason = local_reason(target.host)
    if reason:
        yield ctx.link_finding(
            "local-address",
            index,
            f"This link points at your local network ({reason}), so it is broken for every "
            "reader and search engines count it as a dead link. Publish the page and link to "
            "its public address, or remove the link.",
            data={"host": target.host},
        )


# --------------------------------------------------------------------------- ip-host
@rule("ip-host", TRUST, Severity.WARNING, "public IP address instead of a host name")
def check_ip_host(ctx: RuleContext, index: int, link: Link) -> Iterator[Finding]:
    target = ctx.target(index)
    if not target.web or target.problem:
        return
    ip = ip_literal(target.host)
    if ip is None or not ip.is_global:
        return
    yield ctx.link_finding(
        "ip-host",
        index,
        f"This link uses the bare IP address {target.host} instead of a name: readers cannot "
        "tell whose site it is, HTTPS certificates rarely cover IPs, the address changes "
        "when the site moves, and phishing uses this trick. Link to the site's domain name.",
        data={"host": target.host},
    )


# --------------------------------------------------------------------------- insecure-http
@rule("insecure-http", TRUST, Severity.WARNING, "http:// link where https:// is expected")
def check_insecure_http(ctx: RuleContext, index: int, link: Link) -> Iterator[Finding]:
    target = ctx.target(index)
    if target.scheme != "http" or target.problem or local_reason(target.host):
        return
    what = "image is loaded" if link.is_image else "page opens"
    yield ctx.link_finding(
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
def check_userinfo(ctx: RuleContext, index: int, link: Link) -> Iterator[Finding]:
    target = ctx.target(index)
    if not target.web or not target.userinfo:
        return
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
    yield ctx.link_finding(
        "userinfo-in-url",
        index,
        f"This link has a user-name part before '@'. {why} Link to the real address without it.",
        fixes=fixes,
        data={"userinfo": user, "host": target.host},
    )
