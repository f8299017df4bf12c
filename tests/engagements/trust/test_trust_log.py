"""The trust log is append-only in the database itself, and its hash chain shows any edit."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from engagements import services
from engagements.models import Partnership, TrustEntry, TrustEntryKind

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://...: disabling a trigger is PostgreSQL's"
)


@pytest.fixture
def partnership(db: None) -> Partnership:
    return Partnership.objects.create(title="Mangrove Pesisir Demak")


def append(partnership: Partnership, count: int) -> list[TrustEntry]:
    return [
        services.trust.trust_entry_append(
            partnership=partnership, kind=TrustEntryKind.OPEN_MEETING, shared_text=f"Rapat terbuka {n}"
        )
        for n in range(1, count + 1)
    ]


def test_it_chains_each_entry_to_the_one_before(partnership) -> None:
    first, second, third = append(partnership, 3)
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    result = services.trust.trust_log_verify(partnership=partnership)
    assert (result.entries, result.intact) == (3, True)


def test_it_keeps_one_chain_per_partnership(partnership) -> None:
    other = Partnership.objects.create(title="Kebun Gizi")
    append(partnership, 2)
    (first_of_other,) = append(other, 1)
    assert first_of_other.sequence == 1
    assert services.trust.trust_log_verify(partnership=other).intact


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE engagements_trustentry SET shared_text = 'diubah'",
        "DELETE FROM engagements_trustentry",
    ],
)
def test_it_refuses_to_change_or_remove_a_row_through_raw_sql(partnership, statement) -> None:
    append(partnership, 2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert list(TrustEntry.objects.values_list("shared_text", flat=True)) == ["Rapat terbuka 1", "Rapat terbuka 2"]


def test_it_refuses_updates_and_deletes_through_the_orm_too(partnership) -> None:
    (entry,) = append(partnership, 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        TrustEntry.objects.filter(pk=entry.pk).update(shared_text="diubah")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()
    assert TrustEntry.objects.get().shared_text == "Rapat terbuka 1"


@needs_postgres
def test_it_refuses_truncate_on_postgresql(partnership) -> None:
    append(partnership, 1)
    with connection.cursor() as cursor:
        # Check the deferred foreign keys now, so that only the trigger can refuse the TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE engagements_trustentry CASCADE")
    assert TrustEntry.objects.count() == 1


@needs_postgres
def test_it_names_the_first_entry_edited_behind_the_triggers_back(partnership, capsys) -> None:
    entries = append(partnership, 4)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE engagements_trustentry DISABLE TRIGGER USER")
        cursor.execute("UPDATE engagements_trustentry SET shared_text = 'diubah' WHERE id = %s", [entries[2].pk])
        cursor.execute("ALTER TABLE engagements_trustentry ENABLE TRIGGER USER")

    result = services.trust.trust_log_verify(partnership=partnership)
    assert result.first_broken == entries[2].pk
    with pytest.raises(CommandError):
        call_command("verify_trust_log")
    assert "chain broken at entry 3" in capsys.readouterr().out


def test_it_reports_an_intact_chain_from_the_command(partnership, capsys) -> None:
    append(partnership, 3)
    call_command("verify_trust_log", partnership=partnership.pk)
    assert capsys.readouterr().out.strip() == f"{partnership.pk} Mangrove Pesisir Demak: 3 entries, chain intact"


def test_it_leaves_a_partnership_with_a_log_undeletable(partnership) -> None:
    append(partnership, 1)
    with pytest.raises(ProtectedError):
        partnership.delete()


@pytest.mark.django_db(transaction=True)
def test_it_lets_the_test_runner_empty_a_log_between_transactional_tests() -> None:
    partnership = Partnership.objects.create(title="Dikosongkan oleh flush")
    append(partnership, 2)
    # The flush after this test must succeed despite the triggers (tests/conftest.py).


@pytest.mark.django_db(transaction=True)
def test_it_starts_the_next_transactional_test_with_an_empty_log() -> None:
    assert not TrustEntry.objects.exists()
    # ... and with the triggers back in place.
    append(Partnership.objects.create(title="Baru"), 1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM engagements_trustentry")
