"""Call-to-action lead-ins: why the writer links (intent) and how to say it (ranked edits).

Public API: `suggest_for_link`, `suggestion_findings`, `SUGGEST_RULES`, `classify_link`.
"""

from linkwriter.core.suggest.engine import (
    LinkSuggestions,
    classify_link,
    reload_templates,
    suggest_for_link,
)
from linkwriter.core.suggest.intents import Cue, Intent, IntentResult, classify
from linkwriter.core.suggest.leadin import SUGGEST_RULES, lead_in_problem, suggestion_findings

__all__ = [
    "SUGGEST_RULES",
    "Cue",
    "Intent",
    "IntentResult",
    "LinkSuggestions",
    "classify",
    "classify_link",
    "lead_in_problem",
    "reload_templates",
    "suggest_for_link",
    "suggestion_findings",
]
