"""The network's light read (``storage.network_read``) refuses bad files as the reader does.

Every bad file of ``test_bad_files`` whose damage is in a part the network reads (or in
the file as a whole) is refused by ``read_network_document`` with the very line
``open_document`` gives; damage in parts it never reads (notes, links, urls, the
fingerprint) leaves the service readable for the network. Then bad values in each kind
of column the light read checks (text, number, yes/no, choice), a structure problem
behind a bad value (reported first, as the reader does), the row cap, numbers stored
without a column type, and random damage: never anything but a one-line StorageError.
Real files on disk throughout.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from osom_desktop.storage import StorageError, open_document, save_document
from osom_desktop.storage.network_read import read_network_document
from osom_desktop.storage.summary import read_summary
from tests.storage import test_bad_files as bad
from tests.storage.generate import rich_document

# Damage the network never reads: the service stays readable for it.
NOT_READ = {"missing_table", "text_in_a_number_column", "boolean_out_of_range", "null_in_a_required_column",
            "blob_id", "duplicate_ids", "byte_flipped_inside_a_text"}
# ... and damage the folder summary does not look at: tables it does not read (it reads
# service, contract, dependencies, map, components and assessments), and a component's
# label (it takes only who provides each component).
SUMMARY_NOT_READ = {"orphan_measure_value", "bad_date", "empty_guidance_title", "half_a_label"}
NETWORK_PARTS = ("service", "contract", "decisions", "assessments", "contract_changes", "coes", "mandates",
                 "unmet_needs", "budgets")


def light_refused(path: Path) -> str:
    with pytest.raises(StorageError) as info:
        read_network_document(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path.name}: "), message
    return message


def same_network_parts(path: Path) -> None:
    light, whole = read_network_document(path), open_document(path, verify=False)
    for part in NETWORK_PARTS:
        assert getattr(light, part) == getattr(whole, part), part
    assert light.map.components == whole.map.components


@pytest.mark.parametrize(("make", "words"), bad.CASES, ids=[c[0].__name__ for c in bad.CASES])
def test_bad_files_are_refused_with_the_readers_line(tmp_path: Path, make: Callable[[Path], Path],
                                                     words: tuple[str, ...]) -> None:
    path = make(tmp_path)
    whole = bad.open_refused(path)
    if make.__name__ in NOT_READ:
        assert read_network_document(path).service.id == "svc-tea"
    else:
        assert light_refused(path) == whole
    # The folder summary reads six of those tables the same way.
    if make.__name__ in NOT_READ | SUMMARY_NOT_READ:
        assert read_summary(path).service_id == "svc-tea"
    else:
        with pytest.raises(StorageError) as info:
            read_summary(path)
        assert str(info.value) == whole


# Bad values in the tables the light read takes its rows from, one per kind of check.
BAD_VALUES = [
    ("UPDATE components SET visibility = 'high' WHERE id = 'c-power'", ("components.visibility", "'c-power'")),
    ("UPDATE components SET inertia = 2 WHERE id = 'c-power'", ("components.inertia", "0 or 1")),
    ("UPDATE components SET name = x'00ff' WHERE id = 'c-power'", ("components.name", "expected text")),
    ("UPDATE components SET method = 'steal' WHERE id = 'c-power'", ("components.method", "'steal'")),
    ("UPDATE components SET position = 1.5 WHERE id = 'c-power'", ("components.position",)),
    ("UPDATE decisions SET reason = x'07' WHERE id = 'g1'", ("decisions.reason", "'g1'", "expected text")),
    ("UPDATE decisions SET review_by = NULL WHERE id = 'g1'", None),  # allowed: no review date
    ("UPDATE dependencies SET service_id = x'01'", ("dependencies.service_id", "expected text")),
    ("UPDATE contract SET evolution_stage = 'ancient'", ("contract.evolution_stage", "'ancient'")),
    ("UPDATE assessments SET date = x'01'", ("assessments.date", "expected text")),
    ("UPDATE map SET title = x'03'", ("map.title",)),
]


@pytest.mark.parametrize(("statement", "words"), BAD_VALUES, ids=[s.split(" SET ")[1][:30] for s, _ in BAD_VALUES])
def test_a_bad_value_in_a_table_read_is_named_as_the_reader_names_it(tmp_path: Path, statement: str,
                                                                      words: tuple[str, ...] | None) -> None:
    path = bad.good_file(tmp_path)
    bad.sql(path, statement)
    if words is None:
        same_network_parts(path)
        return
    whole = bad.open_refused(path)
    assert light_refused(path) == whole
    for word in words:
        assert word in whole, whole


def test_a_missing_column_is_named_before_a_bad_value_in_an_earlier_table(tmp_path: Path) -> None:
    path = bad.good_file(tmp_path)
    bad.sql(path, "UPDATE service SET lifecycle = 'eternal'", "ALTER TABLE components DROP COLUMN description")
    message = light_refused(path)
    assert message == bad.open_refused(path)
    assert "column components.description is missing" in message


def test_a_missing_table_the_network_reads_is_named(tmp_path: Path) -> None:
    path = bad.good_file(tmp_path)
    bad.sql(path, "DROP TABLE decisions")
    assert "table decisions is missing" in light_refused(path)


def test_too_many_rows_in_a_table_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = bad.good_file(tmp_path)
    n = len(open_document(path).map.components)
    monkeypatch.setenv("OSOM_MAX_ROWS", str(n - 1))
    message = light_refused(path)
    assert "components" in message and "OSOM_MAX_ROWS" in message
    monkeypatch.setenv("OSOM_MAX_ROWS", str(n))
    assert len(read_network_document(path).map.components) == n


def test_whole_numbers_in_columns_without_a_type_read_as_numbers(tmp_path: Path) -> None:
    """A file rebuilt by another tool without column types: 1 stays an integer in SQLite
    and is read as 1.0, as the reader reads it."""
    path = bad.good_file(tmp_path)
    bad.sql(
        path,
        "CREATE TABLE c2 AS SELECT * FROM components",  # CREATE ... AS SELECT keeps no REAL affinity for x
        "UPDATE c2 SET visibility = 1, evolution = 0 WHERE id = 'c-power'",
        "DROP TABLE components",
        "ALTER TABLE c2 RENAME TO components",
    )
    same_network_parts(path)
    power = next(c for c in read_network_document(path).map.components if c.id == "c-power")
    assert (power.visibility, power.evolution) == (1.0, 0.0)
    assert isinstance(power.visibility, float) and isinstance(power.evolution, float)


def test_random_damage_is_a_one_line_reason_or_a_readable_service(tmp_path: Path) -> None:
    """Flip bits and smear bytes anywhere: a one-line StorageError, or a document (damage
    in parts the network does not read, or inside a text: the light read has no
    fingerprint to compare), never another exception."""
    path = tmp_path / "good.osom"
    save_document(rich_document(), path)
    good = path.read_bytes()
    rnd = random.Random(20261202)
    target = tmp_path / "damaged.osom"
    refused = 0
    for i in range(300):
        data = bytearray(good)
        if i % 2:
            data[rnd.randrange(len(data))] ^= 1 << rnd.randrange(8)
        else:
            at = rnd.randrange(len(data) - 16)
            data[at : at + 16] = rnd.randbytes(16)
        target.write_bytes(bytes(data))
        try:
            read_network_document(target)
        except StorageError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("damaged.osom: ")
            refused += 1
    assert refused > 10
