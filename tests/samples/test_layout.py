"""The samples app's layout stays as issue #10 left it: modules named by concept, none
past 500 lines, and no import cycle inside the app (the layers contract in .importlinter
checks the direction between packages; this checks within them too)."""

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "samples"


def _sources() -> list[Path]:
    return [p for p in APP.rglob("*.py") if "migrations" not in p.parts]


def test_no_module_is_named_after_a_rule_section_or_longer_than_500_lines():
    named_by_section = [p for p in APP.rglob("*") if "_volume" in p.stem or "volume_" in p.stem]
    assert named_by_section == []
    long = {str(p.relative_to(ROOT)): n for p in _sources() if (n := len(p.read_text().splitlines())) > 500}
    assert long == {}


def test_no_import_cycle_inside_samples():
    graph = grimp.build_graph("samples", cache_dir=None)
    modules = {m for m in graph.modules if not m.startswith("samples.migrations")}
    imports = {m: graph.find_modules_directly_imported_by(m) & modules - {m} for m in modules}
    cycles = []
    for module in sorted(modules):
        for imported in sorted(imports[module]):
            if graph.chain_exists(importer=imported, imported=module):
                cycles.append((module, imported))
    assert cycles == []
