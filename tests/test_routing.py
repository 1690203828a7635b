"""URL building is werkzeug's own, compiled on first use: every route builds the same URL as a
plain werkzeug rule, on the first call and after."""

from __future__ import annotations

from werkzeug.routing import AnyConverter, Map, PathConverter, Rule
from werkzeug.routing.converters import NumberConverter

from eventsys.routing import LazyBuildRule


def _sample(converter) -> object:
    if isinstance(converter, NumberConverter):
        return 7
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "a/b é" if isinstance(converter, PathConverter) else "Z26IN 001"


def _values(rule: Rule) -> dict:
    return {name: _sample(converter) for name, converter in rule._converters.items()}


def test_every_route_builds_the_url_werkzeug_builds(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    assert len(rules) > 100
    assert all(isinstance(rule, LazyBuildRule) for rule in rules)
    plain = Map([Rule(r.rule, endpoint=r.endpoint, defaults=r.defaults, methods=r.methods) for r in rules],
                converters=app.url_map.converters)  # fmt: skip
    lazy, eager = app.url_map.bind("example.org"), plain.bind("example.org")
    for rule in rules:
        values = {**_values(rule), "extra": "q r"}
        for _ in range(2):  # the first call compiles the builder, the second uses it
            for append_unknown in (True, False):
                expected = eager.build(
                    rule.endpoint, values, force_external=True, append_unknown=append_unknown
                )
                built = lazy.build(
                    rule.endpoint, values, force_external=True, append_unknown=append_unknown
                )
                assert built == expected, rule.rule


def test_a_second_app_matches_and_builds_like_werkzeug_with_converters_of_its_own(app):
    """Rules parsed once per process: the next app's rules match, convert and build the same as
    plain werkzeug rules, and each app's converters belong to its own URL map."""
    from eventsys import create_app

    other = create_app(app.config)
    rules = {rule.rule: rule for rule in other.url_map.iter_rules()}
    assert len(rules) > 100
    plain = Map([Rule(r.rule, endpoint=r.endpoint, defaults=r.defaults, methods=r.methods)
                 for r in rules.values()], converters=other.url_map.converters)  # fmt: skip
    plain_rules = {rule.rule: rule for rule in plain.iter_rules()}
    for text, rule in rules.items():
        twin = plain_rules[text]
        assert (rule._parts, rule._trace, rule.arguments) == (twin._parts, twin._trace, twin.arguments), text
        assert all(converter.map is other.url_map for converter in rule._converters.values()), text
    urls = other.url_map.bind("example.org")
    assert urls.match("/e/Z26IN001/programme") == ("public.programme", {"code": "Z26IN001"})
    assert urls.build("public.programme", {"code": "Z26IN001"}) == "/e/Z26IN001/programme"
    session = "/api/v1/events/Z26IN001/sessions/{}"
    assert urls.test(session.format(5), method="GET")
    assert not urls.test(session.format(99999999999), method="GET")  # beyond the bounded integer
