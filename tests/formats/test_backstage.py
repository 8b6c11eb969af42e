"""Backstage: catalogue entities Backstage's own schemas accept, and reading them back safely."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from osom_desktop.formats.backstage import NAME_RULE, BackstageError, read_catalog
from osom_desktop.model import EvolutionStage, LifecycleStage
from osom_desktop.storage import open_document
from tests.analysis.services import dependency, document, saved

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "backstage"


def component_validator() -> Draft7Validator:
    """Backstage's Component schema, its $refs (Entity, EntityMeta, common) resolved by $id."""
    resources = []
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7)))
    registry = Registry().with_resources(resources)
    return Draft7Validator(json.loads((SCHEMAS / "Component.v1alpha1.schema.json").read_text()), registry=registry)


def osom(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    services = tmp_path / "services"
    saved(document("Payments", sid="svc-pay", lifecycle=LifecycleStage.LIVE, manager="Åsa Berg",
                   stage=EvolutionStage.PRODUCT, deps=[dependency("Identity", "svc-id"), dependency("Card Network")]),
          services)
    saved(document("Identity", sid="svc-id", lifecycle=LifecycleStage.BETA), services / "core")
    saved(document("Payments!", sid="svc-pay-2", lifecycle=LifecycleStage.RETIRED), services)  # same Backstage name
    return services


def test_network_as_backstage_entities_the_schema_accepts(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "catalog-info.yaml"
    run = osom("network", folder, "-f", "backstage", "-o", out, "--pack-url", "https://packs.example.org/osom/")
    assert run.returncode == 0, run.stderr
    entities = list(yaml.safe_load_all(out.read_text(encoding="utf-8")))
    validator = component_validator()
    for entity in entities:
        assert list(validator.iter_errors(entity)) == [], entity
        assert NAME_RULE.match(entity["metadata"]["name"])
    by_title = {e["metadata"]["title"]: e for e in entities}
    pay = by_title["Payments"]
    assert pay["spec"]["lifecycle"] == "production" and pay["spec"]["owner"] == "user:asa-berg"
    assert pay["spec"]["dependsOn"] == ["component:card-network", "component:identity"]
    assert pay["metadata"]["annotations"]["osom/manager"] == "Åsa Berg"
    assert pay["metadata"]["links"][0] == {"url": "https://packs.example.org/osom/payments.html", "title": "Governance pack"}
    assert pay["metadata"]["links"][1]["url"].startswith("file:///")
    assert by_title["Identity"]["spec"]["lifecycle"] == "experimental"
    assert by_title["Identity"]["metadata"]["annotations"]["osom/source-file"] == "core/identity.osom"
    assert by_title["Payments!"]["metadata"]["name"] == "payments-2"  # unique names in one catalogue
    assert by_title["Payments!"]["spec"]["lifecycle"] == "deprecated"


def test_a_bad_entity_would_fail_the_schema() -> None:
    """The schema check means something: an entity without an owner is refused."""
    bad = {"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": {"name": "x"},
           "spec": {"type": "service", "lifecycle": "production"}}
    assert list(component_validator().iter_errors(bad))


def test_export_then_import_keeps_what_backstage_carries(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "catalog-info.yaml"
    assert osom("network", folder, "-f", "backstage", "-o", out).returncode == 0
    target = tmp_path / "back"
    target.mkdir()
    run = osom("import-backstage", out, "-o", target)
    assert run.returncode == 0, run.stderr
    pay = open_document(target / "payments.osom")
    assert (pay.service.id, pay.service.name, pay.service.manager, pay.service.lifecycle) == (
        "svc-pay", "Payments", "Åsa Berg", LifecycleStage.LIVE)
    assert pay.contract.evolution_stage is EvolutionStage.PRODUCT
    assert [(d.service_name, d.service_id) for d in pay.contract.dependencies] == [
        ("card-network", None), ("Identity", "svc-id")]
    assert open_document(target / "identity.osom").service.lifecycle is LifecycleStage.BETA
    again = osom("import-backstage", out, "-o", target)  # nothing replaced without --force
    assert again.returncode == 2 and "identity.osom: already exists (and 2 more); pass --force" in again.stderr


def test_entities_written_by_people_are_read(tmp_path: Path) -> None:
    text = """
apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: shop}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  description: Takes the money
spec:
  type: service
  lifecycle: experimental
  owner: group:default/team-a
  dependsOn: [component:default/payments, resource:db]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: payments, title: Payments}
spec: {type: service, lifecycle: production, owner: bob}
"""
    services, skipped = read_catalog(text.encode(), "c.yaml")
    assert skipped == ["c.yaml: entity 'shop': kind 'System' is not a service (Component); skipped"]
    checkout = services[0].doc
    assert (checkout.service.name, checkout.service.manager, checkout.service.lifecycle) == ("checkout", "team-a", LifecycleStage.ALPHA)
    assert checkout.contract.purpose == "Takes the money"
    assert [d.service_name for d in checkout.contract.dependencies] == ["Payments", "db"]


@pytest.mark.parametrize(("text", "message"), [
    ("kind: Component\napiVersion: backstage.io/v1alpha1\nmetadata:\n  name: a\n  description:\n    $text: /etc/passwd\n",
     "c.yaml: entity 'a': metadata.description: a $text placeholder; osom never reads the file or URL"),
    ("kind: Component\napiVersion: v1\nmetadata: {name: a}\nspec: {owner: {$json: https://example.org/x}}\n",
     "c.yaml: entity 'a': spec.owner: a $json placeholder"),
    ("kind: Component\napiVersion: v1\nmetadata: {name: a, title: [1, 2]}\n", "c.yaml: entity 'a': metadata.title: expected text, got a list"),
    ("kind: Component\napiVersion: v1\nmetadata: {name: a}\nspec: {dependsOn: [{x: 1}]}\n",
     "c.yaml: entity 'a': spec.dependsOn[0]: expected an entity reference"),
    ("kind: Component\napiVersion: v1\nmetadata: {name: a, annotations: {osom/lifecycle: gamma}}\n",
     "c.yaml: entity 'a': metadata.annotations.osom/lifecycle: 'gamma' is not one of"),
    ("kind: Component\napiVersion: v1\nmetadata: {title: x}\n", "c.yaml: document 1: metadata.name: missing"),
    ("a: &x [1, 2]\nb: *x\n", "c.yaml:2: not YAML Backstage can read (aliases (*name) are not accepted)"),
    ("a: !!python/object/apply:os.system ['true']\n", "c.yaml:1: not YAML Backstage can read"),
    ("- 1\n- 2\n", "c.yaml: document 1: an entity is a mapping"),
    ("a: [\n", "c.yaml:2: not YAML"),
])
def test_untrusted_yaml_is_refused_in_one_line_naming_entity_and_field(text: str, message: str) -> None:
    with pytest.raises(BackstageError) as err:
        read_catalog(text.encode(), "c.yaml")
    assert str(err.value).startswith(message), str(err.value)
    assert "\n" not in str(err.value)


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9))
    with pytest.raises(BackstageError, match="aliases"):
        read_catalog(bomb.encode(), "bomb.yaml")


def test_cli_bad_catalogue_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "catalog-info.yaml"
    bad.write_text("kind: Component\napiVersion: v1\nmetadata: {name: ok}\n---\n"
                   "kind: Component\napiVersion: v1\nmetadata: {name: b, description: {$yaml: ./x.yaml}}\n")
    out = tmp_path / "out"
    out.mkdir()
    run = osom("import-backstage", bad, "-o", out)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().startswith(f"osom: {bad}: entity 'b': metadata.description: a $yaml placeholder")
    assert list(out.iterdir()) == []  # the good entity before it was not written either


def test_two_entities_never_share_one_file(tmp_path: Path) -> None:
    catalogue = tmp_path / "c.yaml"
    catalogue.write_text("kind: Component\napiVersion: v1\nmetadata: {name: '../../x'}\n---\n"
                         "kind: Component\napiVersion: v1\nmetadata: {name: x}\n")
    run = osom("import-backstage", catalogue, "-o", tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == f"osom: {catalogue}: entities '../../x' and 'x' would both be written to x.osom; rename one"
    assert not list(tmp_path.glob("*.osom")) and not (tmp_path.parent.parent / "x.osom").exists()
