"""The time and bytes of `caseguide update` for a 2,000-guide library when one pack changes.

    .venv/bin/python -m benchmarks.bench_update [--packs 20] [--guides-per-pack 100] [--runs 3]

A publisher's feed of PACKS packs (2,000 guides by default), published; a PC updates from it over
HTTP (the standard library's server on 127.0.0.1, in a thread) and from a folder; then one pack
gets a new version and the PC updates again. Prints, for each: wall-clock time (median of RUNS),
requests and bytes received (TUF metadata and packs). In private folders; not a test.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def write_pack(root: Path, writer, pack_id: str, version: str, first: int, count: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.toml").write_text(f'id = "{pack_id}"\nversion = "{version}"\ntitle = "Synthetic {pack_id}"\n'
                                    'publisher = "Benchmark"\nlanguages = ["en"]\n', encoding="utf-8")
    (root / "guides").mkdir(exist_ok=True)
    for n in range(first, first + count):
        (root / "guides" / f"g{n}.md").write_text(writer.guide(n), encoding="utf-8")
    return root


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packs", type=int, default=20)
    parser.add_argument("--guides-per-pack", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caseguide-bench-update-") as tmp:
        tmp = Path(tmp)
        from benchmarks.corpus import Writer, vocabulary
        from caseguide import paths
        from caseguide.packs import archive, trust
        from caseguide.packs.minisign import SecretKey
        from caseguide.settings import Settings
        from caseguide.updates import client, publisher

        writer = Writer(vocabulary(REPO / "content"))
        key = SecretKey.generate()
        (tmp / "org.pub").write_text(key.public.dump())

        def fresh_pc(name: str) -> None:
            paths.set_basedir(tmp / name)
            (tmp / name).mkdir(mode=0o700)
            trust.add_key(tmp / "org.pub")

        fresh_pc("publisher-pc")
        feed = tmp / "feed"
        publisher.init(feed, [tmp / "root.key"], tmp / "targets.key", publisher="Benchmark Network")
        started = time.perf_counter()
        total = 0
        for p in range(args.packs):
            src = write_pack(tmp / f"src{p}", writer, f"pack{p:02d}", "1.0", p * args.guides_per_pack,
                             args.guides_per_pack)
            archive.build(src, key, tmp / f"pack{p:02d}-1.0.cgpack")
            publisher.add(feed, tmp / f"pack{p:02d}-1.0.cgpack", tmp / "targets.key")
            total += (tmp / f"pack{p:02d}-1.0.cgpack").stat().st_size
        publisher.publish(feed)
        guides = args.packs * args.guides_per_pack
        print(f"feed: {args.packs} packs, {guides:,} guides, {total / 2**20:.1f} MB of packs "
              f"(built and added in {time.perf_counter() - started:.0f} s)")

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                functools.partial(Quiet, directory=str(feed / "publish")))
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/"
        root = feed / "publish" / "metadata" / "root.json"
        changed_version = 1

        from caseguide.search.cache import CatalogueCache
        from caseguide.search.query import prepare_index

        def as_the_command_runs(**kwargs):  # caseguide update: the index built, the library from catalogues
            return client.update(Settings(), prepare=prepare_index, catalogues=CatalogueCache(paths.index_cache_dir()),
                                 **kwargs)

        def line(label: str, results) -> None:
            seconds = statistics.median(r.seconds for r in results)
            r = results[0]
            print(f"{label:<52} {seconds:6.2f} s  {r.requests:3d} requests  {r.bytes_received / 1024:9,.1f} KiB")

        try:
            for kind, source in (("http", url), ("folder", str(feed / "publish"))):
                firsts, nothing, ones, checks = [], [], [], []
                for run in range(args.runs):
                    fresh_pc(f"pc-{kind}-{run}")
                    firsts.append(as_the_command_runs(source=source, root=root))
                    nothing.append(as_the_command_runs())
                    # the publisher corrects one pack of the library
                    changed_version += 1
                    src = write_pack(tmp / f"src-changed-{changed_version}", writer, "pack07",
                                     f"1.{changed_version}", 7 * args.guides_per_pack, args.guides_per_pack)
                    paths.set_basedir(tmp / "publisher-pc")
                    archive.build(src, key, tmp / "changed.cgpack")
                    publisher.add(feed, tmp / "changed.cgpack", tmp / "targets.key")
                    publisher.publish(feed)
                    paths.set_basedir(tmp / f"pc-{kind}-{run}")
                    checks.append(as_the_command_runs(check=True))
                    ones.append(as_the_command_runs())
                    assert [c.pack_id for c in ones[-1].changes] == ["pack07"]
                print(f"-- from {kind} ({args.runs} runs, median) --")
                line(f"first update: all {args.packs} packs ({guides:,} guides)", firsts)
                line("update, nothing changed", nothing)
                line("update --check, one pack changed", checks)
                line(f"update, one pack changed ({args.guides_per_pack} guides)", ones)
        finally:
            httpd.shutdown()
            httpd.server_close()
            paths.set_basedir(None)


if __name__ == "__main__":
    os.environ.pop("CASEGUIDE_BASEDIR", None)
    main()
