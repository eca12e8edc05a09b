"""The folders are the floors, and an import only runs down (issue 24).

Every module's imports are read from its source (those inside functions too, which run as surely
as the ones at the top), and each must name a module on its own floor or a lower one; and no
modules may import each other in a circle, on any floor. A failure names the file, the line and
the name imported. docs/architecture.md draws the same floors; a test below checks it does.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "caseguide"

# Lowest first. A module not named here is a foundation: caseguide/*.py and caseguide/session/.
FLOORS = [
    ("foundations", ()),
    ("guides", ("caseguide.guides",)),
    ("packs", ("caseguide.packs",)),
    ("library", ("caseguide.library",)),
    ("search", ("caseguide.search",)),
    ("updates", ("caseguide.updates",)),
    ("window and command line", ("caseguide.gui", "caseguide.cli", "caseguide.__main__")),
]
# Floors that share a level and must not know each other: search and updates both stand on the
# library, and neither needs the other.
SIDE_BY_SIDE = {"search": "updates", "updates": "search"}


def floor_of(module: str) -> int:
    for number, (_name, prefixes) in enumerate(FLOORS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return number
    return 0


def module_name(path: Path) -> str:
    parts = list(path.with_suffix("").parts)
    parts = parts[len(parts) - 1 - parts[::-1].index("caseguide"):]  # from the package down
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: dict) -> list[tuple[int, str, str]]:
    """(line, module imported, name as written) for every import of caseguide's own in *path*."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "caseguide":
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.append((node.lineno, full if full in known else target,
                              f"from {'.' * node.level}{node.module or ''} import {alias.name}"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, f"import {a.name}") for a in node.names if a.name.split(".")[0] == "caseguide"]
    return found


def graph() -> dict[str, list[tuple[int, str, str]]]:
    known = modules()
    return {name: [i for i in imports(path, known) if i[1] != name] for name, path in known.items()}


def test_every_import_runs_down_the_floors():
    upward = []
    for name, found in graph().items():
        here = floor_of(name)
        for line, target, written in found:
            there = floor_of(target)
            side = SIDE_BY_SIDE.get(FLOORS[here][0]) == FLOORS[there][0]
            if there > here or side:
                path = modules()[name].relative_to(REPO)
                upward.append(f"{path}:{line}: {written} ({FLOORS[here][0]} imports {FLOORS[there][0]})")
    assert upward == []


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every set of modules that import each other round in a circle (Tarjan's strongly connected
    components of more than one module, or a module that imports itself)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_modules_import_each_other_in_a_circle():
    edges = {name: {t for _l, t, _w in found} for name, found in graph().items()}
    # A package's __init__ that gathers its modules' names for others is not part of a circle.
    edges = {name: {t for t in targets if not modules()[name].name == "__init__.py"} for name, targets in edges.items()}
    described = []
    for circle in cycles(edges):
        links = [f"{modules()[a].relative_to(REPO)}:{line}: {written}"
                 for a in circle for line, b, written in graph()[a] if b in circle]
        described.append(" -> ".join(circle) + "\n    " + "\n    ".join(links))
    assert described == []


def test_the_checker_sees_an_upward_import_and_a_circle(tmp_path):
    """The test above can fail: an import from guides/ to library/, and two modules in a circle."""
    assert floor_of("caseguide.guides.model") < floor_of("caseguide.library.library")
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    fake = tmp_path / "caseguide" / "guides"
    fake.mkdir(parents=True)
    (fake / "x.py").write_text("def f():\n    from ..library import Library\n")
    found = imports(fake / "x.py", {})
    assert found and found[0][0] == 2 and found[0][2] == "from ..library import Library"


def test_architecture_page_draws_these_floors():
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawn = re.search(r"```layers\n(.*?)```", page, re.DOTALL)
    assert drawn, "docs/architecture.md has no ```layers block"
    rows = [line.split("|")[0].strip() for line in drawn.group(1).strip().splitlines()]
    assert rows == [name for name, _ in reversed(FLOORS)], "the page's floors, top first, must be FLOORS"
