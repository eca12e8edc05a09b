"""Install-time step: compile the interface's catalogs (.po, reviewed as text) into .mo files.

setuptools runs it as part of every install (pyproject.toml names it as the build_py command), so a
wheel carries the compiled catalogs and an editable install gets them beside the .po files in the
checkout (git ignores them). The compiled files are never committed: a binary cannot be reviewed.

An editable checkout's .po files change after its install (a pull, a translator's file):
``python -m caseguide._build`` compiles those whose .mo is missing or older, and scripts/dev.sh and
scripts/windows-test.sh run it every time.
"""

from __future__ import annotations

from pathlib import Path

from setuptools.command.build_py import build_py

PACKAGE_DIR = Path(__file__).resolve().parent


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Compile every locale/*/LC_MESSAGES/*.po under *source* into the same place under *target*."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted((source / "locale").glob("*/LC_MESSAGES/*.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with open(po, "rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        with open(mo, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        written.append(mo)
    return written


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            compile_catalogs(PACKAGE_DIR, PACKAGE_DIR)
        else:
            compile_catalogs(PACKAGE_DIR, Path(self.build_lib) / "caseguide")


def compile_stale(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """If any catalog's .mo is missing or older than its .po, compile them all again, in place (a
    second or less); the stale ones are returned."""
    stale = [po for po in sorted((package_dir / "locale").glob("*/LC_MESSAGES/*.po"))
             if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if stale:
        compile_catalogs(package_dir, package_dir)
    return stale


if __name__ == "__main__":
    for po in compile_stale():
        print(f"compiled {po.parent.parent.name}")
