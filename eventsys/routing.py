"""URL rules whose builders are compiled when first used, not when the app is made."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import Rule


class LazyBuildRule(Rule):
    """A werkzeug Rule that compiles its URL builders on the first `url_for`.

    werkzeug generates and compiles two Python functions per rule (building with and without
    extra query arguments) as the rule is added. With a few hundred rules that is most of what
    create_app costs, though a process uses the builders of only the few URLs it links to (a CLI
    command, a test, a worker). Matching is untouched: the rule's pattern is still parsed, and
    checked, as it is added. The builder compiled is werkzeug's own, so URLs are the same.
    """

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compile_now = super()._compile_builder
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_first(rule: Rule, **values: Any) -> tuple[str, str]:
            builder = compile_now(append_unknown).__get__(rule, None)
            setattr(rule, attribute, builder)  # the next call goes straight to werkzeug's builder
            return builder(**values)

        return build_first
