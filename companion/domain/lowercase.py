"""Patterns of lowercase words, searched over lowercased text: some three times faster than the same patterns
with IGNORECASE, which the rules that read posts (mentions, lifenews, sport) run by the dozen on every post."""

from __future__ import annotations

import re


def pattern(words: str) -> re.Pattern[str]:
    """`words` compiled, after checking it holds no capital letter that lowercased text could never match (a
    case-sensitive "(?-i:" group aside)."""
    assert not re.search(r"(?<!\\)[A-Z]", words.replace("(?-i:", "")), words
    return re.compile(words)
