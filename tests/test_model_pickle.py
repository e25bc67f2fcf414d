"""The model's fast pickling (the editor's worker sends thousands of these per pause)."""

from __future__ import annotations

import copy
import pickle

from linkwriter.core.extract import parse_post
from linkwriter.core.model import Category, Finding, Fix, Link, LinkContext, Severity


def test_every_model_object_survives_pickle_and_copy_exactly():
    post = parse_post("---\ntitle: T\n---\n# T\n\nSee [a 🍞 page](https://e.com/x \"t\") and "
                      "[ref][r] and <https://f.org>.\n\n[r]: https://g.net/y\n")
    finding = Finding("generic-anchor", Category.RELEVANCE, Severity.WARNING, "msg", 1, 5,
                      (Fix("title", 1, 5, "new"),), link_index=0, data={"k": [1, 2]})
    objects = [post, finding, *post.links]
    for obj in objects:
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            back = pickle.loads(pickle.dumps(obj, protocol))
            assert back == obj and type(back) is type(obj)
        assert copy.deepcopy(obj) == obj and copy.copy(obj) == obj
    back = pickle.loads(pickle.dumps(finding))
    assert back.data == {"k": [1, 2]} and back.fixes[0].replacement == "new"
    assert isinstance(post.links[0].context, LinkContext) and isinstance(post.links[0], Link)
    # Still frozen after the round trip.
    try:
        back.message = "changed"
    except AttributeError:
        pass
    else:
        raise AssertionError("a restored Finding must stay frozen")
