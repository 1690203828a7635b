"""URL rules whose builders are compiled when first used, not when the app is made, and whose
patterns are parsed once per process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import Rule
from werkzeug.routing.converters import BaseConverter

# (rule, how it is bound) -> its parsed parts, trace and converter calls, for the next app of the process
_PARSED: dict[tuple[Any, ...], tuple[list[Any], list[tuple[bool, str]], list[tuple[Any, ...]]]] = {}


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

    def compile(self) -> None:
        """werkzeug's compile, reusing the parsing of the same rule by an earlier app.

        Parsing a rule's pattern into its regular-expression parts is the same for every app
        of a process bound the same way (tests and scripts make many apps). The converters are
        made afresh for this rule's map, with the arguments the first parse gave them."""
        if self.map is None:
            raise RuntimeError("rule not bound")
        key = (self.rule, self.merge_slashes, self.subdomain, self.host, self.map.host_matching,
               tuple(self.map.converters.items()))  # fmt: skip
        parsed = _PARSED.get(key)
        if parsed is None:
            self._converter_calls: list[tuple[Any, ...]] = []
            super().compile()
            _PARSED[key] = (list(self._parts), list(self._trace), self._converter_calls)
            del self._converter_calls
            return
        parts, trace, calls = parsed
        self._parts, self._trace = list(parts), list(trace)
        self._converters = {call[0]: super(LazyBuildRule, self).get_converter(*call) for call in calls}
        self.arguments.update(self._converters)
        self._build = self._compile_builder(False).__get__(self, None)
        self._build_unknown = self._compile_builder(True).__get__(self, None)

    def get_converter(self, variable_name: str, converter_name: str, args: tuple[Any, ...],
                      kwargs: Any) -> BaseConverter:  # fmt: skip
        calls = getattr(self, "_converter_calls", None)
        if calls is not None:
            calls.append((variable_name, converter_name, args, kwargs))
        return super().get_converter(variable_name, converter_name, args, kwargs)
