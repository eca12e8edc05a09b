"""Fuzz every reader of outside input with many more examples than the suite does, and report the
slowest inputs: ``python -m benchmarks.bench_fuzz [--examples N]``.

The targets and strategies are the suite's (tests/fuzz_targets.py); only CaseGuide's own error
classes may come out of a target, so any other exception stops the run with the input that caused it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests import fuzz_targets as t  # noqa: E402


def run(name, strategy, target, examples: int, keep: int = 3) -> None:
    timings: list[tuple[float, object]] = []

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def fuzz(value):
        started = time.perf_counter()
        target(value)
        timings.append((time.perf_counter() - started, value))

    started = time.perf_counter()
    fuzz()
    total = time.perf_counter() - started
    timings.sort(key=lambda pair: -pair[0])
    print(f"{name}: {len(timings)} inputs in {total:.1f} s; slowest {timings[0][0] * 1000:.1f} ms")
    for seconds, value in timings[:keep]:
        shown = repr(value)
        print(f"   {seconds * 1000:8.1f} ms  {shown[:110]}{'…' if len(shown) > 110 else ''} ({len(shown)} chars)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs per target (default 2000)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="caseguide-fuzz-"))
    os.environ["CASEGUIDE_BASEDIR"] = str(folder / "base")
    run("markdown rendering", t.markdown, t.render_target, args.examples)
    run("front matter", t.front_matter, t.guide_target, args.examples)
    run("manifests", st.binary(max_size=400) | t.json_values.map(lambda v: repr(v).encode()),
        t.manifest_target, args.examples)
    run("minisign keys and signatures", t.minisign_texts() | st.text(max_size=300), t.minisign_target,
        args.examples)
    run("zip reader", t.mutated_zips() | st.binary(max_size=300),
        lambda data: t.zip_target(data, folder / "fuzz.cgpack"), args.examples)


if __name__ == "__main__":
    main()
