"""The one schema loader: JSON Schemas and constants from shared_schema/, looked up by name."""

from __future__ import annotations

import itertools
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

_HERE = Path(__file__).resolve().parent


class SchemaViolation(Exception):
    """A document does not match its schema; `path` is a JSON pointer to the offending field."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


@cache
def schema_dir() -> Path:
    """shared_schema/: inside the installed package (wheel), or beside it (a checkout)."""
    for candidate in (_HERE / "shared_schema", _HERE.parent / "shared_schema"):
        if (candidate / "stages.json").is_file():
            return candidate
    raise FileNotFoundError(f"shared_schema/ not found next to {_HERE}")


def _read(name: str) -> Any:
    return json.loads((schema_dir() / name).read_text(encoding="utf-8"))


@cache
def _all_schemas() -> tuple[tuple[str, dict[str, Any]], ...]:
    found = []
    for path in sorted(schema_dir().glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        found.append((schema["$id"], schema))
    return tuple(found)


@cache
def _registry() -> Registry:
    return Registry().with_resources((uri, Resource.from_contents(s)) for uri, s in _all_schemas())


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load `shared_schema/<name>.schema.json`."""
    return _read(f"{name}.schema.json")


def python_pattern(pattern: str) -> str:
    """An ECMA-262 `pattern` (what JSON Schema means, and what ajv and jsonschema_rs run) as a Python regex.

    The one difference that matters here: ECMA's `$` matches only at the very end, Python's also before a
    final newline, so "kate\\n" would pass `^[a-z]+$`. Each `$` outside a character class becomes `\\Z`."""
    out = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(python_pattern(pattern))


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# The reference validator with ECMA-262 anchors, so that it and the fast one agree on every pattern.
_Reference = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@cache
def validator(name: str) -> Any:
    """The reference validator: slow (tens of ms per batch) but explains failures well."""
    return _Reference(load_schema(name), registry=_registry())


@cache
def _fast_validator(name: str) -> Any:
    # Same draft, same files, ~700x faster: answers yes/no on the hot path (every ingest).
    registry = jsonschema_rs.Registry(list(_all_schemas()))
    return jsonschema_rs.validator_for(load_schema(name), registry=registry)


@cache
def x_facts() -> dict[str, Any]:
    """shared_schema/x.json: x.com's hosts, the paths that are not profiles, the handle pattern."""
    return _read("x.json")


@cache
def api_contract() -> dict[str, Any]:
    """shared_schema/api.json: the product name and API version /health answers with."""
    return _read("api.json")


@cache
def constants() -> dict[str, Any]:
    """shared_schema/stages.json: stages, outcome tags, note fields, interaction kinds."""
    return _read("stages.json")


def kind_stages() -> dict[str, int]:
    """Interaction kind -> the stage it is evidence of (0: none), from stages.json."""
    return {k["id"]: k["stage"] for k in constants()["interaction_kinds"]}


def _pointer(error: ValidationError) -> str:
    return "/" + "/".join(str(part) for part in error.absolute_path)


def _describe(error: ValidationError) -> str:
    # anyOf/oneOf errors are vague at the top; the deepest sub-error usually names the real problem.
    if error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(error.absolute_path):
            return _describe(deepest)
    return error.message


MAX_MESSAGE = 300  # an error names the problem; it never echoes a huge document back
REPORTED_ERRORS = 20  # errors looked at to find the first one worth reporting
COUNTED_ERRORS = 1000  # "and 999+ more problems"


def _size_plan_of(schema: Any, resolver: Any, depth: int = 0) -> dict[str, Any] | None:
    """The parts of a schema that bound array sizes, with $refs resolved: {"array": (maxItems, items plan),
    "object": {key: plan}}; None where nothing below is bounded."""
    while isinstance(schema, dict) and "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        schema, resolver = resolved.contents, resolved.resolver
    if not isinstance(schema, dict) or depth > 20:
        return None
    plan: dict[str, Any] = {}
    items = _size_plan_of(schema["items"], resolver, depth + 1) if isinstance(schema.get("items"), dict) else None
    if "maxItems" in schema or items:
        plan["array"] = (schema.get("maxItems"), items)
    properties = {key: sub_plan for key, sub in (schema.get("properties") or {}).items()
                  if (sub_plan := _size_plan_of(sub, resolver, depth + 1))}
    if properties:
        plan["object"] = properties
    return plan or None


@cache
def _size_plan(name: str) -> dict[str, Any] | None:
    schema = load_schema(name)
    return _size_plan_of(schema, _registry().resolver(base_uri=schema["$id"]))


def _too_big(plan: dict[str, Any] | None, instance: Any, path: list[Any]) -> SchemaViolation | None:
    """Sizes first: an array over its maxItems is refused before anything looks at its contents, so a
    million-item body costs what counting it costs."""
    if plan is None:
        return None
    if isinstance(instance, list) and "array" in plan:
        limit, items = plan["array"]
        if limit is not None and len(instance) > limit:
            pointer = "/" + "/".join(str(p) for p in path)
            return SchemaViolation(f"{pointer}: {len(instance)} items, at most {limit} are allowed", pointer)
        if items:
            for n, item in enumerate(instance):
                problem = _too_big(items, item, [*path, n])
                if problem:
                    return problem
    elif isinstance(instance, dict) and "object" in plan:
        for key, sub in plan["object"].items():
            if key in instance:
                problem = _too_big(sub, instance[key], [*path, key])
                if problem:
                    return problem
    return None


def _clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 1] + "…"


def validate(name: str, instance: Any) -> None:
    """Raise SchemaViolation naming the field path of the first problem (and how many more), if any.

    The fast validator answers first (it stops at the first problem, so a huge array costs it microseconds);
    only a document that fails it is looked at further: its sizes (a cheap, clear refusal of what is too big),
    then the reference validator, for a message that says what is wrong, and only for its first few errors."""
    fast = _fast_validator(name)
    if fast.is_valid(instance):
        return
    problem = _too_big(_size_plan(name), instance, [])
    if problem:
        raise problem
    errors = sorted(itertools.islice(validator(name).iter_errors(instance), REPORTED_ERRORS),
                    key=lambda e: (len(e.absolute_path), e.path))
    if not errors:
        # The validators disagree (a test keeps them agreeing on every pattern): refuse, never let it through.
        raise SchemaViolation("/: does not match the schema", "/")
    error = errors[0]
    if error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(error.absolute_path):
            error = deepest
    path = _pointer(error)
    more = sum(1 for _ in itertools.islice(fast.iter_errors(instance), COUNTED_ERRORS + 1)) - 1
    tail = "" if more <= 0 else f" (and {f'{COUNTED_ERRORS}+' if more >= COUNTED_ERRORS else more} more)"
    raise SchemaViolation(f"{path}: {_clip(_describe(error))}{tail}", path)
