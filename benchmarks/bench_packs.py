"""Time to build, verify and install a 300-guide pack (and update it), in private folders.

    .venv/bin/python -m benchmarks.bench_packs [--guides 300]

Not a test: it prints figures for the README and the issue notes.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guides", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caseguide-bench-") as tmp:
        tmp = Path(tmp)
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_DIRS", "XDG_CONFIG_DIRS"):
            os.environ[var] = str(tmp / var.lower())
        from caseguide.library import install
        from caseguide.packs import archive, trust
        from caseguide.packs.minisign import SecretKey
        from tests.packs.helpers import pack_source

        key = SecretKey.generate()
        (tmp / "org.pub").write_text(key.public.dump())
        trust.add_key(tmp / "org.pub")
        ids = tuple(f"bench-guide-{n}" for n in range(args.guides))
        src = pack_source(tmp / "src", guides=ids)
        src2 = pack_source(tmp / "src2", version="1.1", guides=ids)

        def timed(label, function):
            started = time.perf_counter()
            result = function()
            print(f"{label:<34} {time.perf_counter() - started:6.2f} s")
            return result

        timed(f"build + sign, no lint ({args.guides})", lambda: archive.build(src, key, tmp / "p.cgpack"))
        print(f"{'pack file size':<34} {(tmp / 'p.cgpack').stat().st_size / 1024:6.0f} KiB")
        archive.build(src2, key, tmp / "p2.cgpack")
        timed("verify (everything install checks)", lambda: install.verify_file(tmp / "p.cgpack"))
        timed("install (incl. search index)", lambda: install.install_file(tmp / "p.cgpack"))
        timed("update to 1.1 (incl. search index)", lambda: install.install_file(tmp / "p2.cgpack"))
        timed("remove", lambda: install.remove("extra"))


if __name__ == "__main__":
    main()
