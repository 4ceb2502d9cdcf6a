"""The cues of the genre as records: one JSON line per rule, in `kg/cues/<component>.jsonl`.

A record says what it finds, with words (a list), a regular expression (`pattern`) or a spaCy
Matcher pattern (`tokens`), why the genre makes it a cue, and examples that the test suite runs
through the whole extraction on their own. Every mention and relation carries the id of the record
that produced it, so a triple in the graph can be traced to the rule and its reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any


class RuleError(Exception):
    """A rule file kg ships is malformed: a bug in kg (not the user's), with its file and line."""


@dataclass(frozen=True)
class Example:
    """A short text written for the rule, with what extraction must and must not find in it.

    `expect` and `absent` hold items such as "School:某某职业学校" (a mention of a class) or
    "cooperates_with:某某职业学校|某某科技有限公司" (a relation, by the mentions' texts).
    `title` replaces the default title line of the one-report test document.
    """

    text: str
    expect: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    title: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    component: str
    why: str
    label: str = ""
    words: tuple[str, ...] = ()
    pattern: str = ""
    tokens: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    examples: tuple[Example, ...] = ()

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """`pattern`, or else the words as one alternation, longest first."""
        if self.pattern:
            return re.compile(self.pattern)
        return re.compile("|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True)))

    @cached_property
    def word_set(self) -> frozenset[str]:
        return frozenset(self.words)

    def get(self, key: str, default: Any = None) -> Any:
        return self.extra.get(key, default)


_FIELDS = {"id", "label", "why", "words", "pattern", "tokens", "examples"}


def _rule(component: str, line_number: int, data: dict[str, Any]) -> Rule:
    where = f"cues/{component}.jsonl line {line_number}"
    if not isinstance(data.get("id"), str) or not data.get("why"):
        raise RuleError(f"{where}: a rule needs an 'id' and a 'why'")
    examples = []
    for item in data.get("examples", []):
        if not isinstance(item, dict) or "text" not in item:
            raise RuleError(f"{where}: every example needs a 'text'")
        examples.append(
            Example(
                text=item["text"],
                expect=tuple(item.get("expect", ())),
                absent=tuple(item.get("absent", ())),
                title=item.get("title"),
            )
        )
    rule = Rule(
        id=data["id"],
        component=component,
        why=data["why"],
        label=data.get("label", ""),
        words=tuple(data.get("words", ())),
        pattern=data.get("pattern", ""),
        tokens=tuple(data.get("tokens", ())),
        extra={k: v for k, v in data.items() if k not in _FIELDS},
        examples=tuple(examples),
    )
    if rule.pattern:
        try:
            re.compile(rule.pattern)
        except re.error as error:
            raise RuleError(f"{where}: pattern of {rule.id} does not compile ({error})") from None
    return rule


@cache
def rules_of(component: str) -> dict[str, Rule]:
    """The records of one component, by id, in file order."""
    text = resources.files("kg.cues").joinpath(f"{component}.jsonl").read_text("utf-8")
    found: dict[str, Rule] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise RuleError(f"cues/{component}.jsonl line {number}: not JSON ({error})") from None
        rule = _rule(component, number, data)
        if rule.id in found:
            raise RuleError(f"cues/{component}.jsonl line {number}: id {rule.id} twice")
        found[rule.id] = rule
    return found


def components() -> list[str]:
    folder = resources.files("kg.cues")
    return sorted(p.name[: -len(".jsonl")] for p in folder.iterdir() if p.name.endswith(".jsonl"))


def all_rules() -> list[Rule]:
    """Every record of every component; ids are unique across them."""
    rules = [rule for component in components() for rule in rules_of(component).values()]
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"rule id {rule.id} is used by {seen[rule.id]} and {rule.component}")
        seen[rule.id] = rule.component
    return rules


def rule(component: str, rule_id: str) -> Rule:
    try:
        return rules_of(component)[rule_id]
    except KeyError:
        raise RuleError(f"cues/{component}.jsonl has no rule {rule_id}") from None
