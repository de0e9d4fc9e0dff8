"""The import structure of ``planner`` keeps the one-way flow of docs/architecture.md.

- no module of ``planner`` imports Streamlit, statically or when every module is imported;
- the modules import each other without cycles;
- each module imports only its own stage or the stages before it (``LAYERS`` below, as data).

Imports are read from the source with ``ast``. Both module-level imports and imports inside
functions count: a deferred import is still a dependency, and deferring one to dodge a cycle would
hide the cycle rather than remove it. Imports under ``if TYPE_CHECKING:`` never run, so they do not
count for cycles; they do count for the layering, because naming a type of a later stage is still a
dependency on it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "planner"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "foundation",
        (
            "planner.config",
            "planner.errors",
            "planner.crs",
            "planner.crs_fit",
            "planner.fileio",
            "planner.text_files",
            "planner.layers",
            "planner.paths",
        ),
    ),
    (
        "data",
        (
            "planner.model",
            "planner.io",
            "planner.validate",
            "planner.summary",
            "planner.stamp",
            "planner.town_write",
            "planner.towns",
            "planner.norms",
            "planner.events",
        ),
    ),
    ("network", ("planner.network", "planner.access_network")),
    (
        "accessibility",
        (
            "planner.coverage",
            "planner.demand",
            "planner.provision",
            "planner.fca",
            "planner.catchments",
        ),
    ),
    ("gaps", ("planner.gaps", "planner.projects")),
    ("analysis", ("planner.analysis", "planner.locate", "planner.figures")),
    ("programme", ("planner.programme",)),
    ("scenarios", ("planner.scenarios",)),
    ("participation", ("planner.participation",)),
    ("presentation", ("planner.presentation", "planner.maps")),
    ("edges", ("planner.cli", "planner.exports", "planner.osm", "planner.__main__")),
    ("api", ("planner", "planner.api")),
)
"""Stages from first to last; a module may import its own stage and earlier ones only.

A name covers the module and, for a package, everything inside it. ``planner`` itself (the public
API of ``planner/__init__.py``) is last: it may reach every stage.
"""

EXCEPTIONS: dict[tuple[str, str], str] = {
    ("planner.validate", "planner.network"): (
        "validation reports street pieces cut off from the network, which needs the graph"
    ),
}
"""Imports against the direction of ``LAYERS`` that are allowed, each with its reason."""

IMPORTABLE_EVERYWHERE = frozenset({"planner"})
"""``planner`` itself holds ``__version__`` and imports its API lazily, so anyone may import it."""

ENGINE_STAGES = ("foundation", "data", "network", "accessibility", "gaps", "analysis")
OUTER_PACKAGES = ("planner.presentation", "planner.maps", "planner.exports", "planner.cli")


@dataclass(frozen=True)
class Import:
    """One import statement of a ``planner`` module, resolved to a ``planner`` module."""

    source: str
    target: str
    line: int
    in_function: bool
    type_checking: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(source: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Return the modules an import statement names (``from a import b`` -> ``a.b`` if a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = source if MODULES[source].name == "__init__.py" else source.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    return [
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
        for alias in node.names
    ]


def imports_of(source: str, tree: ast.AST) -> list[Import]:
    """Every import in ``tree`` (the module ``source``), marking function and type-only ones."""
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool, type_checking: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target in _resolve(source, node):
                found.append(Import(source, target, node.lineno, in_function, type_checking))
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                visit(statement, in_function, True)
            for statement in node.orelse:
                visit(statement, in_function, type_checking)
            return
        inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            visit(child, inner, type_checking)

    visit(tree, False, False)
    return found


def _all_imports() -> list[Import]:
    result = []
    for name, path in MODULES.items():
        result += imports_of(name, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return result


ALL_IMPORTS = _all_imports()
PLANNER_IMPORTS = [
    i for i in ALL_IMPORTS if i.target == "planner" or i.target.startswith("planner.")
]


def stage_of(module: str) -> str | None:
    """Return the stage a module belongs to (the longest matching name of ``LAYERS``).

    A name covers the modules inside it too, except ``planner``, which stands for itself only.
    """
    best: tuple[int, str] | None = None
    for stage, names in LAYERS:
        for name in names:
            inside = name != "planner" and module.startswith(name + ".")
            if (module == name or inside) and (best is None or len(name) > best[0]):
                best = (len(name), stage)
    return None if best is None else best[1]


STAGE_RANK = {stage: rank for rank, (stage, _) in enumerate(LAYERS)}


# --- the parser itself, on hand-written sources --------------------------------------------------


def test_imports_of_marks_function_and_type_checking_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import planner.io\n"
        "from planner import errors\n"
        "if TYPE_CHECKING:\n"
        "    from planner.norms import NormSet\n"
        "def f():\n"
        "    from planner.analysis import analyze_town\n"
        "    if TYPE_CHECKING:\n"
        "        import planner.maps\n"
    )
    found = {
        (i.target, i.in_function, i.type_checking)
        for i in imports_of("planner.gaps", ast.parse(source))
    }
    assert found == {
        ("typing", False, False),
        ("planner.io", False, False),
        ("planner.errors", False, False),
        ("planner.norms", False, True),
        ("planner.analysis", True, False),
        ("planner.maps", True, True),
    }


def test_relative_imports_resolve_against_the_package() -> None:
    tree = ast.parse("from . import model\nfrom .schema import x\nfrom .. import errors\n")
    targets = [i.target for i in imports_of("planner.norms.loading", tree)]
    assert targets == ["planner.norms.model", "planner.norms.schema", "planner.errors"]


def test_every_module_is_parsed_and_belongs_to_a_stage() -> None:
    assert len(MODULES) >= 40
    assert "planner.analysis" in MODULES
    assert "planner.norms" in MODULES  # a package's __init__ is the package
    unplaced = sorted(m for m in MODULES if stage_of(m) is None)
    assert not unplaced, f"add {unplaced} to LAYERS in tests/test_architecture.py"


def test_stage_of_prefers_the_longest_name() -> None:
    assert stage_of("planner") == "api"
    assert stage_of("planner.norms.schema") == "data"
    assert stage_of("planner.maps.base") == "presentation"
    assert stage_of("planner.normsx") is None
    assert stage_of("planner.newmodule") is None  # a new module must be placed by hand


# --- Streamlit ---------------------------------------------------------------------------------


def test_no_planner_module_mentions_streamlit_in_an_import() -> None:
    offenders = [
        f"{i.source} line {i.line}: {i.target}"
        for i in ALL_IMPORTS
        if i.target.split(".")[0] in {"streamlit", "streamlit_folium"}
    ]
    assert not offenders, "planner must not import Streamlit (UI code lives in app.py and ui/)"


IMPORT_EVERY_MODULE = """
import importlib, json, pkgutil, sys
import planner
names = sorted(
    info.name for info in pkgutil.walk_packages(planner.__path__, prefix="planner.")
    if not info.name.endswith("__main__")
)
first = None
for name in names:
    importlib.import_module(name)
    if first is None and "streamlit" in sys.modules:
        first = name
print(json.dumps({"imported": len(names) + 1, "first_with_streamlit": first}))
"""


def test_importing_every_planner_module_loads_no_streamlit() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["imported"] == len(MODULES) - 1  # every module but __main__, plus planner
    assert report["first_with_streamlit"] is None, report


# --- cycles ------------------------------------------------------------------------------------


def _graph(imports: list[Import]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    graph.add_edges_from((i.source, i.target) for i in imports if i.source != i.target)
    return graph


def test_no_import_cycles() -> None:
    runtime = [i for i in PLANNER_IMPORTS if not i.type_checking]
    cycles = sorted(" -> ".join([*c, c[0]]) for c in nx.simple_cycles(_graph(runtime)))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_cycle_check_finds_a_cycle_when_there_is_one() -> None:
    pair = [
        Import("planner.gaps", "planner.projects", 1, False, False),
        Import("planner.projects", "planner.gaps", 1, True, False),
    ]
    assert list(nx.simple_cycles(_graph(pair))) != []


# --- layering ----------------------------------------------------------------------------------


def upward_imports(imports: list[Import]) -> list[str]:
    """Imports of a later stage than the importer's, other than the listed exceptions."""
    wrong = []
    for i in imports:
        if i.target in IMPORTABLE_EVERYWHERE or (i.source, i.target) in EXCEPTIONS:
            continue
        source, target = stage_of(i.source), stage_of(i.target)
        if source is None or target is None or STAGE_RANK[target] > STAGE_RANK[source]:
            wrong.append(f"{i.source} ({source}) line {i.line} imports {i.target} ({target})")
    return wrong


def test_each_module_imports_only_its_own_or_earlier_stages() -> None:
    wrong = upward_imports(PLANNER_IMPORTS)
    assert not wrong, "imports against the flow:\n" + "\n".join(wrong)


def test_the_engine_never_imports_presentation_maps_exports_cli_or_osm() -> None:
    engine = [i for i in PLANNER_IMPORTS if stage_of(i.source) in ENGINE_STAGES]
    assert len({i.source for i in engine}) >= 20
    wrong = [
        f"{i.source} line {i.line} imports {i.target}"
        for i in engine
        if i.target.startswith((*OUTER_PACKAGES, "planner.osm"))
    ]
    assert not wrong


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("planner.gaps", "planner.provision", True),  # a later stage uses an earlier one
        ("planner.provision", "planner.gaps", False),  # and not the other way round
        ("planner.analysis", "planner.presentation.catalogue", False),
        ("planner.presentation.tables", "planner.analysis", True),
        ("planner.maps.style", "planner.presentation.catalogue", True),  # one stage
        ("planner.presentation.views", "planner.cli.main", False),
        ("planner.io", "planner.osm.importer", False),
        ("planner.validate", "planner.network", True),  # a listed exception
        ("planner.model", "planner.network", False),
        ("planner.cli.main", "planner", True),
    ],
)
def test_the_layer_rule_on_single_imports(source: str, target: str, allowed: bool) -> None:
    assert (upward_imports([Import(source, target, 1, False, False)]) == []) is allowed


def test_every_exception_is_still_needed() -> None:
    used = {(i.source, i.target) for i in PLANNER_IMPORTS}
    assert set(EXCEPTIONS) <= used, "remove exceptions no import needs any more"
