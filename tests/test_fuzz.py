"""Property-based fuzzing of everything that reads outside input: only CaseGuide's own error
classes may come out, and each example must finish within a time bound (Hypothesis' deadline).

A modest number of examples here (the whole file runs in well under a minute); benchmarks/
bench_fuzz.py runs many more and reports the slowest inputs."""

from __future__ import annotations

import json
import logging

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseguide import paths
from caseguide.settings import Settings

from . import fuzz_targets as t

FUZZ = settings(max_examples=60, deadline=2000, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(t.markdown)
def test_markdown_rendering(text):
    t.render_target(text)


@FUZZ
@given(t.front_matter)
def test_front_matter(front):
    t.guide_target(front)


@FUZZ
@given(t.json_values.map(lambda v: json.dumps({"format": 1, "files": v}).encode()) | st.binary(max_size=200))
def test_manifests(raw):
    t.manifest_target(raw)


@FUZZ
@given(t.minisign_texts() | st.text(max_size=300))
def test_minisign_keys_and_signatures(text):
    t.minisign_target(text)


@FUZZ
@given(t.json_values.map(lambda v: json.dumps({"settings": v}) if not isinstance(v, float) else "1")
       | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_settings_files(tmp_path_factory, text):
    path = paths.site_config_dir() / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    logging.disable(logging.WARNING)
    try:
        current = Settings()
    finally:
        logging.disable(logging.NOTSET)
    assert current.get("handout.paper") in ("a4", "letter")


@FUZZ
@given(t.mutated_zips() | st.binary(max_size=300))
def test_the_zip_reader(tmp_path_factory, data):
    t.zip_target(data, tmp_path_factory.mktemp("zip") / "fuzz.cgpack")


@FUZZ
@given(t.html_structures())
def test_raw_html_structures_are_refused_or_lay_out_within_the_limits(body):
    t.html_structure_target(body)


@FUZZ
@given(t.bidi_text, t.bidi_text, t.bidi_text, t.bidi_text, t.bidi_text, t.bidi_text)
def test_direction_controls_in_every_text_field_never_reach_a_page(title, summary, body, source, link, cell):
    t.bidi_fields_target(title, summary, body, source, link, cell)


json_text = st.text(alphabet=st.characters(codec=None, categories=None), max_size=30) | t.bidi_text
json_data = st.recursive(st.none() | st.booleans() | st.integers() | json_text,
                         lambda inner: st.lists(inner, max_size=5) | st.dictionaries(json_text, inner, max_size=5),
                         max_leaves=30)


@FUZZ
@given(json_data)
def test_json_output_is_exactly_the_data(value):
    t.json_output_target(value)
