"""Risks and lessons in the partnership's change history: who recorded, changed, closed or removed what, and when.

Both models keep their own historical tables (simple-history); the
partnership's history reads them as parts of the partnership, named by their
title. The history is the facilitators': the portal shows none of it.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from engagements import services
from engagements.models import Lesson, LessonKind, Partnership, Risk, RiskStatus
from partners.history import history_for
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.engagements.risks.conftest import days_ago, risk
from tests.factories import make_facilitator

pytestmark = pytest.mark.django_db


def history_of(partnership: Partnership) -> list[str]:
    with translation.override("en"):
        return [entry.description for entry in reversed(history_for(partnership, limit=100))]


def lesson(partnership: Partnership, user, title: str = "Rapat malam lebih ramai", *, shared: bool = False) -> Lesson:
    return services.learning.lesson_save(
        user=user,
        lesson=Lesson(
            partnership=partnership,
            kind=LessonKind.LESSON,
            title=title,
            body="Pertemuan setelah isya dihadiri lebih banyak anggota.",
            shared_with_partners=shared,
            happened_on=days_ago(2),
        ),
    )


def test_it_records_a_risk_from_recorded_to_closed_in_the_partnership_history(facilitator, partnership) -> None:
    found = risk(partnership, facilitator, title="Iuran anggota tidak cukup")
    found.likelihood, found.mitigation = 5, "Ajukan dana desa dan iuran panen"
    services.risks.risk_save(user=facilitator, risk=found)
    closer = make_facilitator(username="penutup")
    services.risks.risk_close(user=closer, risk=found)

    history = history_of(partnership)
    assert history[-3:] == [
        "Added risk “Iuran anggota tidak cukup”.",
        "Changed likelihood and mitigation for risk “Iuran anggota tidak cukup”.",
        "Changed status for risk “Iuran anggota tidak cukup”.",
    ]
    newest = history_for(partnership)[0]
    assert newest.user == closer and newest.object_repr == "Iuran anggota tidak cukup"
    # The risk's own page names its own changes without its title.
    with translation.override("en"):
        own = [entry.description for entry in history_for(found)]
    assert own[0] == "Changed status." and own[-1] == "Added."


def test_it_records_a_lesson_written_edited_and_removed(facilitator, partnership) -> None:
    found = lesson(partnership, facilitator)
    found.shared_with_partners = True
    found.title = "Rapat malam jauh lebih ramai"
    services.learning.lesson_save(user=facilitator, lesson=found)
    pk = found.pk
    services.learning.lesson_delete(user=facilitator, lesson=found)

    history = history_of(partnership)
    assert history[-3:] == [
        "Added lesson “Rapat malam lebih ramai”.",
        "Changed title and shared with the partner members for lesson “Rapat malam jauh lebih ramai”.",
        "Deleted lesson “Rapat malam jauh lebih ramai”.",
    ]
    assert not Lesson.objects.exists() and Lesson.history.filter(id=pk).count() == 3


def test_it_keeps_another_partnerships_risks_and_lessons_out(facilitator, partnership, org_b) -> None:
    other = build_partnership(user=facilitator, organizations=[org_b], activities=0, title="Kebun Gizi Boyolali")
    risk(other, facilitator, title="Lahan pinjaman diminta kembali")
    lesson(other, facilitator, "Kebun di pekarangan lebih terawat")
    history = "\n".join(history_of(partnership))
    assert "Lahan pinjaman" not in history and "Kebun di pekarangan" not in history
    assert "Lahan pinjaman" in "\n".join(history_of(other))


def test_the_facilitators_page_shows_them_and_the_portal_shows_no_history(facilitator, partner_a, partnership) -> None:
    risk(partnership, facilitator, title="Ketua baru belum dikenal")
    lesson(partnership, facilitator, "Catatan internal soal ketua", shared=False)
    path = reverse("engagements:partnership_detail", args=[partnership.pk])
    page = (
        client_for(facilitator).get(reverse("engagements:partnership_history", args=[partnership.pk])).content.decode()
    )
    assert "Added risk “Ketua baru belum dikenal”." in page
    assert "Added lesson “Catatan internal soal ketua”." in page
    portal = client_for(partner_a).get(path).content.decode()
    assert 'id="history-heading"' not in portal
    assert "Catatan internal soal ketua" not in portal  # not shared: never on the portal


@pytest.mark.parametrize("size", [1, 15])
def test_the_history_costs_two_queries_per_kind_of_record_whatever_their_number(
    facilitator, partnership, size: int
) -> None:
    for n in range(size):
        found = risk(partnership, facilitator, title=f"Risiko {n}")
        found.status = RiskStatus.MITIGATING
        services.risks.risk_save(user=facilitator, risk=found)
        lesson(partnership, facilitator, f"Pelajaran {n}")
    with CaptureQueriesContext(connection) as queries:
        entries = history_for(partnership)
    assert len(queries) == HISTORY_QUERIES
    assert any(entry.object_repr == f"Risiko {size - 1}" for entry in entries)
    assert Risk.history.count() == 2 * size


# The partnership itself and its registered parts (members, goals, benefits, progress,
# activities, roles, check-in rhythm, check-ins, share links, invitations, risks and
# lessons): two queries each (the rows, then their predecessors), and the agreed revisions.
HISTORY_QUERIES = 27
