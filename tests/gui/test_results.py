"""What an analysis hands the window: what it shows, not the Post (fetched when an action needs
it), and a warnings panel that a small edit in a big post does not rebuild."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

pytest.importorskip("linkwriter.core.rules")

from linkwriter.core.extract import parse_post  # noqa: E402
from linkwriter.gui.analysis import fetch_post  # noqa: E402
from linkwriter.gui.warnings_panel import MAX_ROWS_PER_GROUP  # noqa: E402

TEXT = "# Bread\n\nRead [the rye guide](https://example.com/rye) and [here](http://bit.ly/x).\n"


def test_actions_get_the_post_from_the_worker_or_parse_it_again(make_window, wait_fresh):
    win = make_window()
    win.editor.setPlainText(TEXT)
    wait_fresh(win)
    result = win.result
    assert result.post_cache is None  # not sent with the result
    post = fetch_post(result)
    assert post.links == parse_post(TEXT).links
    assert fetch_post(result) is post  # fetched once per result
    # A worker that no longer has it (restarted, or many analyses since): parsed here.
    orphan = dataclasses.replace(result, doc_id="no-such-document", post_cache=None)
    assert fetch_post(orphan).links == post.links


def test_equal_messages_travel_as_one_string():
    from linkwriter.core.config import Config
    from linkwriter.gui.pipeline import build_result

    text = "".join(f"Bread {i}: [click here](https://example.com/p{i}).\n\n" for i in range(30))
    sent = pickle.loads(pickle.dumps(build_result(1, text, Config())))
    messages = [f.message for f in sent.findings if f.rule == "generic-anchor"]
    assert len(messages) == 30 and len(set(messages)) == 1
    assert len({id(m) for m in messages}) == 1


def test_a_url_equal_to_its_href_travels_once():
    from linkwriter.core.config import Config
    from linkwriter.gui.pipeline import build_result

    text = ("".join(f"Rye {i}: [rye](https://example.com/r{i}).\n\n" for i in range(30))
            + "Odd [one](https://example.com/a b) and <https://example.com/%7E>.\n")
    result = build_result(1, text, Config())
    sent = pickle.loads(pickle.dumps(result))
    post = parse_post(text)
    assert sent.link_urls == [link.url for link in post.links]
    assert sent.link_targets == [link.href or link.url for link in post.links]
    assert all(u is t for u, t in zip(sent.link_urls[:30], sent.link_targets, strict=False))
    assert len(pickle.dumps(result)) < len(pickle.dumps(
        dataclasses.replace(result, link_urls=[link.url for link in post.links])))


def test_the_text_is_not_sent_back_but_the_window_has_it(make_window, wait_fresh):
    win = make_window()
    win.editor.setPlainText(TEXT)
    wait_fresh(win)
    assert win.result.text == TEXT  # put back by the Analyzer
    sent = pickle.loads(pickle.dumps(win.result))
    assert sent.text is None and sent.findings == win.result.findings


def test_small_edit_in_a_big_post_keeps_the_panel_model(make_window, qtbot, wait_fresh):
    """A group longer than the panel lists used to look rebuilt on every analysis, which
    detached the view from its model (a reset: scroll position and expansion lost)."""
    win = make_window()
    n = MAX_ROWS_PER_GROUP + 2 * win.warnings.BULK
    body = "\n\n".join(f"Bread {i} [click here](https://example.com/p{i})." for i in range(n))
    win.editor.setPlainText("# Loaves\n\n" + body + "\n")
    wait_fresh(win, timeout=60_000)
    assert len(win.keys) > MAX_ROWS_PER_GROUP
    key = win.keys[0]
    win.warnings.select_key(key)
    resets = []
    win.warnings.proxy.sourceModelChanged.connect(lambda: resets.append(1))
    cursor = win.editor.textCursor()
    cursor.setPosition(len("# Loaves\n\nBread"))
    win.editor.setTextCursor(cursor)
    qtbot.keyClicks(win.editor, "s")
    revision = win.revision
    qtbot.waitUntil(lambda: win.is_fresh() and win.result.revision == revision, timeout=60_000)
    assert resets == []
    assert win.warnings.current_key() == key


def test_template_lead_ins_are_made_where_the_post_is(make_window, wait_fresh):
    from linkwriter.core.config import Config
    from linkwriter.core.suggest import suggest_for_link
    from linkwriter.gui.pipeline import suggest_stored
    from linkwriter.gui.suggestions_panel import compute_suggestions

    win = make_window()
    win.editor.setPlainText(TEXT)
    wait_fresh(win)
    result = win.result
    config = Config()
    here = suggest_for_link(parse_post(TEXT), 0, config, use_ai=False)
    for online in (False, True):  # online, but no AI configured: templates all the same
        view = compute_suggestions(result, 0, config, online)
        assert view.fixes == list(here.suggestions) and view.fixes
        assert result.post_cache is None  # the Post did not have to come over for that
    assert suggest_stored("no-such-document", result.revision, 0, config) is None


def test_an_analysis_overtaken_by_typing_is_given_up(qtbot):
    """The worker drops the analysis in flight when a newer text is asked for: only the
    newest text's result comes back, and it equals a fresh analysis."""
    from test_cancel import EDITS, fingerprint, fresh

    from linkwriter.core.config import Config
    from linkwriter.gui.analysis import Analyzer

    before, after = EDITS["space in a definition"]
    analyzer = Analyzer(doc_id="overtaken")
    got = []
    analyzer.finished.connect(got.append)
    try:
        analyzer.request(1, before, Config())
        analyzer.request(2, after, Config())  # while the first is in flight
        qtbot.waitUntil(lambda: bool(got) and not analyzer.busy, timeout=60_000)
        assert [r.revision for r in got] == [2]
        assert analyzer.given_up == 1
        assert fingerprint(got[0].findings) == fingerprint(fresh(after, Config(), {}))
    finally:
        analyzer.shutdown()


def test_the_worker_parses_ahead_once_a_result_is_in(qtbot):
    """With a result delivered and nothing waiting, the worker parses the paragraphs that use
    definitions as they read with those undefined (pipeline.prepare), once; the window is
    not kept waiting for it (busy is for analyses)."""
    from test_cancel import EDITS, N

    from linkwriter.core.config import Config
    from linkwriter.gui.analysis import Analyzer

    analyzer = Analyzer(doc_id="ahead")
    got = []
    analyzer.finished.connect(got.append)
    try:
        analyzer.request(1, EDITS["space in a definition"][0], Config())
        qtbot.waitUntil(lambda: analyzer.prepared == N, timeout=60_000)
        assert [r.revision for r in got] == [1]
        analyzer.request(2, EDITS["letter in prose"][1], Config())
        qtbot.waitUntil(lambda: len(got) == 2 and not analyzer._in_flight, timeout=60_000)
        assert analyzer.prepared == N + 1  # only the paragraph the letter went into
    finally:
        analyzer.shutdown()


def test_a_request_gives_up_the_idle_time_work(qtbot):
    """The writer types again while the worker parses ahead: that work is given up at its
    next block, and the new text's result equals a fresh analysis."""
    from PySide6.QtCore import QTimer
    from test_cancel import EDITS, fingerprint, fresh

    from linkwriter.core.config import Config
    from linkwriter.gui import analysis

    before, after = EDITS["space in a definition"]
    analyzer = analysis.Analyzer(doc_id="ahead-given-up")
    got = []
    seen = {}

    def type_again() -> None:  # runs right after the result is delivered
        seen["preparing"] = analyzer._preparing
        seen["ticket"] = analyzer._ticket
        seen["busy before"] = analyzer.busy
        analyzer.request(2, after, Config())
        seen["flag"] = analysis._CANCEL.value
        seen["busy"] = analyzer.busy  # the window's is_fresh() must wait for revision 2

    analyzer.finished.connect(got.append)
    analyzer.finished.connect(
        lambda r: QTimer.singleShot(0, type_again) if r.revision == 1 else None)
    try:
        analyzer.request(1, before, Config())
        qtbot.waitUntil(lambda: len(got) == 2 and not analyzer._in_flight, timeout=60_000)
        assert seen["preparing"] and seen["flag"] == seen["ticket"]
        assert not seen["busy before"] and seen["busy"]
        assert [r.revision for r in got] == [1, 2] and analyzer.given_up == 0
        assert fingerprint(got[1].findings) == fingerprint(fresh(after, Config(), {}))
    finally:
        analyzer.shutdown()


def test_asking_the_worker_gives_up_the_idle_time_work(qtbot):
    """An action that asks the worker for the Post waits for the answer: the idle-time job
    in flight is given up rather than waited out."""
    from PySide6.QtCore import QTimer
    from test_cancel import EDITS

    from linkwriter.core.config import Config
    from linkwriter.gui import analysis

    before = EDITS["space in a definition"][0]
    analyzer = analysis.Analyzer(doc_id="ahead-asked")
    seen = {}

    def ask() -> None:  # runs right after the result is delivered
        seen["ticket"] = analyzer._ticket if analyzer._preparing else None
        seen["post"] = analysis.ask_worker("stored_post", "ahead-asked", 1)
        seen["flag"] = analysis._CANCEL.value

    analyzer.finished.connect(lambda _r: QTimer.singleShot(0, ask))
    try:
        analyzer.request(1, before, Config())
        qtbot.waitUntil(lambda: "flag" in seen and not analyzer._in_flight, timeout=60_000)
        assert seen["ticket"] and seen["flag"] == seen["ticket"]
        assert seen["post"] is not None and seen["post"].text == before
    finally:
        analyzer.shutdown()


def test_the_worker_keeps_the_post_on_screen_while_the_writer_types_on(make_window, qtbot,
                                                                      wait_fresh):
    from linkwriter.gui.analysis import ask_worker

    win = make_window()
    win.editor.setPlainText(TEXT)
    wait_fresh(win)
    shown = win.result
    assert win.analyzer.shown == shown.revision
    # Newer analyses that the window never shows (as when each finishes after the next key).
    for i in range(6):
        win.analyzer.request(shown.revision + 100 + i, TEXT + "x" * i, win.config)
        qtbot.waitUntil(lambda: not win.analyzer.busy, timeout=30_000)
    assert ask_worker("stored_post", shown.doc_id, shown.revision) is not None


def test_closing_gives_up_the_analysis_in_flight():
    """Closing a window waits for its analysis so the shared worker is free: given up, that
    wait ends at the next checkpoint instead of with the whole analysis."""
    from test_cancel import EDITS

    from linkwriter.core.config import Config
    from linkwriter.gui.analysis import Analyzer

    analyzer = Analyzer(doc_id="closing")
    analyzer.request(1, EDITS["space in a definition"][0], Config())
    future = analyzer._future
    analyzer.shutdown()
    assert future.done() and future.result() is None  # given up, not finished


def test_a_result_done_at_once_still_comes_from_the_event_loop(qtbot, monkeypatch):
    """A job already done when its callback is attached (a quick worker) runs the callback in
    the GUI thread; its result must still arrive from the event loop, never inside request():
    that re-entered the window (an analysis shown inside request_analysis) and could emit an
    older result after the newer one requested from _on_done."""
    import concurrent.futures as cf

    from linkwriter.core.config import Config
    from linkwriter.gui import analysis, workercalls

    class DoneAtOnce(cf.Executor):  # the work is real; only its future is done at once
        def submit(self, fn, /, *args, **kwargs):
            future: cf.Future = cf.Future()
            future.set_result(fn(*args, **kwargs))
            return future

    monkeypatch.setattr(analysis, "executor", DoneAtOnce)
    analyzer = analysis.Analyzer(doc_id="done-at-once")
    got = []
    analyzer.finished.connect(got.append)
    analyzer.request(1, TEXT, Config())
    assert got == []  # not delivered from inside request()
    qtbot.waitUntil(lambda: len(got) == 1, timeout=10_000)
    assert got[0].revision == 1 and got[0].text == TEXT and not analyzer.busy
    assert workercalls.call("stored_post", "done-at-once", 1) is not None  # really analysed
