"""Kept pages: served again only while nothing they show has changed, and only to the person who asked."""

from __future__ import annotations

import datetime
import re
import secrets

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import data_version
from engagements.models import Partnership, TodayVisit
from tests.conftest import client_for
from tests.engagements.builders import build_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """Keeping on, in the suite's cache: Redis on the PostgreSQL + Redis run, this process's memory otherwise."""
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    return build_partnership(user=facilitator, organizations=[org_a], title="Kebun Sekolah Klaten")


def page_of(partnership: Partnership) -> str:
    return reverse("engagements:partnership_detail", args=[partnership.pk])


def get(client: Client, address: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return response, len(queries)


def warmed(user) -> Client:
    """A browser that holds a CSRF cookie, as one does after its first page with a form."""
    client = client_for(user)
    client.get(reverse("engagements:today"))
    assert "csrftoken" in client.cookies
    return client


def test_a_second_visit_is_served_from_the_cache_with_the_same_html(facilitator, partnership) -> None:
    client = warmed(facilitator)
    first, built = get(client, page_of(partnership))
    second, kept = get(client, page_of(partnership))
    assert getattr(second, "page_cache_hit", False)
    assert kept < built, (kept, built)
    assert kept <= 3  # the session, the user and Today's middleware-free rest: none of the page's own statements
    without_nonce = re.compile(rb'nonce="[^"]+"')
    assert without_nonce.sub(b"", second.content) == without_nonce.sub(b"", first.content)


def test_a_kept_page_carries_this_responses_csp_nonce(facilitator, partnership) -> None:
    client = warmed(facilitator)
    first, _ = get(client, page_of(partnership))
    second, _ = get(client, page_of(partnership))
    assert getattr(second, "page_cache_hit", False)
    nonces = set(re.findall(rb'nonce="([^"]+)"', second.content))
    assert len(nonces) == 1
    nonce = nonces.pop().decode()
    assert f"'nonce-{nonce}'" in second["Content-Security-Policy"]
    assert nonce not in first["Content-Security-Policy"]
    assert b"\x00" not in second.content


@pytest.mark.parametrize("how", ["save", "update", "raw SQL", "committed transaction"])
def test_any_write_shows_on_the_next_visit(facilitator, partnership, how) -> None:
    client = warmed(facilitator)
    get(client, page_of(partnership))
    renamed = "Kebun <Sekolah> Baru"
    if how == "save":
        partnership.title = renamed
        partnership.save()
    elif how == "update":
        Partnership.objects.filter(pk=partnership.pk).update(title=renamed)
    elif how == "raw SQL":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE engagements_partnership SET title = %s WHERE id = %s", [renamed, partnership.pk])
    else:
        with transaction.atomic():
            Partnership.objects.filter(pk=partnership.pk).update(title=renamed)
    response, _ = get(client, page_of(partnership))
    assert not getattr(response, "page_cache_hit", False)
    assert "Kebun &lt;Sekolah&gt; Baru" in response.content.decode()


def test_a_transaction_moves_the_version_on_again_when_it_commits(partnership) -> None:
    with transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(title="Satu")
        Partnership.objects.filter(pk=partnership.pk).update(title="Dua")
    # The test's own transaction never commits: what would run at its commit waits in run_on_commit.
    waiting = [entry[1] for entry in connection.run_on_commit if hasattr(entry[1], "data_version_alias")]
    assert len(waiting) == 1  # one more bump at the commit, however many statements wrote
    before = data_version.current()
    waiting[0]()
    assert data_version.current() != before


def test_statements_that_change_nothing_keep_the_version(partnership) -> None:
    before = data_version.current()
    Partnership.objects.filter(pk=-1).update(title="nobody")
    list(Partnership.objects.all())
    assert data_version.current() == before
    Partnership.objects.filter(pk=partnership.pk).update(title="somebody")
    assert data_version.current() != before


@pytest.mark.parametrize(
    ("sql", "watched"),
    [
        ("SELECT 1", False),
        ("SET TIME ZONE 'UTC'", False),
        ('(SELECT "a" FROM "x") UNION ALL (SELECT "a" FROM "y") ORDER BY 1', False),
        ('SELECT "x" FROM "engagements_partnership" FOR UPDATE', False),
        ('UPDATE "engagements_partnership" SET "title" = %s', True),
        ('INSERT INTO "engagements_trustentry" ("a") VALUES (%s)', True),
        ('DELETE FROM "partners_organization" WHERE "id" = %s', True),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "engagements_todayvisit" ("user_id") VALUES (%s)', False),
        ("WITH rows AS (SELECT 1) SELECT * FROM rows", False),
        ('WITH gone AS (DELETE FROM "x" RETURNING 1) SELECT * FROM gone', True),
        ('CREATE INDEX "y" ON "x" ("z")', True),
    ],
)
def test_which_statements_count_as_writes(sql, watched) -> None:
    assert data_version.is_watched_write(sql) is watched


def test_nobody_is_served_another_persons_page(facilitator, partner_a, partner_b, partnership) -> None:
    mine = warmed(facilitator)
    get(mine, page_of(partnership))
    facilitators_page, _ = get(mine, page_of(partnership))
    assert getattr(facilitators_page, "page_cache_hit", False)
    member = warmed(partner_a)
    portal, _ = get(member, page_of(partnership))
    assert not getattr(portal, "page_cache_hit", False)
    assert portal.content != facilitators_page.content
    assert warmed(partner_b).get(page_of(partnership)).status_code == 404


def test_each_language_is_kept_apart(facilitator, partnership) -> None:
    client = warmed(facilitator)
    english, _ = get(client, page_of(partnership))
    facilitator.language = "id"
    facilitator.save(update_fields=["language"])
    indonesian, _ = get(client, page_of(partnership))
    assert english.content != indonesian.content
    assert 'lang="id"' in indonesian.content.decode()


def test_a_page_that_shows_a_message_is_not_kept(facilitator, partnership) -> None:
    client = warmed(facilitator)
    created = client.post(
        reverse("engagements:share_link_create", args=[partnership.pk]),
        {"expires_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat()},
        follow=True,
    )
    message = "Share link created"
    assert message in created.content.decode()
    assert not getattr(created, "page_cache_hit", False)
    built, _ = get(client, created.request["PATH_INFO"])
    assert not getattr(built, "page_cache_hit", False)  # the page with the message was not kept
    assert message not in built.content.decode()
    kept, _ = get(client, created.request["PATH_INFO"])
    assert getattr(kept, "page_cache_hit", False)


def test_a_request_with_messages_waiting_is_built(rf, facilitator) -> None:
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    from accounts import page_cache

    request = rf.get("/", HTTP_COOKIE="csrftoken=x")
    request.user, request.session = facilitator, SessionStore()
    request.META["CSRF_COOKIE"] = "x" * 32
    request._messages = FallbackStorage(request)
    assert page_cache._may_keep(request, anyone=False)
    request._messages.add(20, "Tersimpan.")
    assert not page_cache._may_keep(request, anyone=False)


def test_without_a_csrf_cookie_nothing_is_kept(facilitator, partnership) -> None:
    client = client_for(facilitator)
    client.get(page_of(partnership))
    client.cookies.pop("csrftoken", None)
    response = client.get(page_of(partnership))
    assert not getattr(response, "page_cache_hit", False)


def test_the_cache_off_means_every_page_is_built(settings, facilitator, partnership) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    client = warmed(facilitator)
    get(client, page_of(partnership))
    response, _ = get(client, page_of(partnership))
    assert not getattr(response, "page_cache_hit", False)


def test_a_cache_that_does_not_answer_leaves_pages_working(settings, facilitator, partnership) -> None:
    client = warmed(facilitator)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    for _visit in range(2):
        response, _ = get(client, page_of(partnership))
        assert not getattr(response, "page_cache_hit", False)
    Partnership.objects.filter(pk=partnership.pk).update(title="Tetap tersimpan")
    assert Partnership.objects.get(pk=partnership.pk).title == "Tetap tersimpan"


def test_today_is_kept_within_a_visit_and_built_again_for_the_next(facilitator, partnership) -> None:
    client = warmed(facilitator)
    today = reverse("engagements:today")
    get(client, today)
    again, _ = get(client, today)
    assert getattr(again, "page_cache_hit", False)
    # The last look was long ago: this one is a new visit, with a new "since".
    TodayVisit.objects.filter(user=facilitator).update(last_at=timezone.now() - datetime.timedelta(hours=2))
    later, _ = get(client, today)
    assert not getattr(later, "page_cache_hit", False)


def share_link(partnership: Partnership, user):
    from engagements.services.sharing import share_link_create

    return share_link_create(
        user=user, partnership=partnership, expires_on=timezone.localdate() + datetime.timedelta(days=3)
    )


def test_counting_a_share_view_keeps_the_version(partnership, facilitator) -> None:
    from engagements.services.sharing import share_link_count_view

    link = share_link(partnership, facilitator)
    before = data_version.current()
    with CaptureQueriesContext(connection) as queries:
        share_link_count_view(link=link)
    assert len(queries) == 1
    assert data_version.current() == before
    link.refresh_from_db()
    assert link.view_count == 1


def test_the_share_page_is_kept_once_for_every_visitor_without_an_account(partnership, facilitator) -> None:
    from engagements.services.sharing import share_link_revoke

    link = share_link(partnership, facilitator)
    address = reverse("engagements:shared_plan", args=[link.token])
    first = Client().get(address)
    second = Client().get(address)
    assert not getattr(first, "page_cache_hit", False)
    assert getattr(second, "page_cache_hit", False)
    assert "csrftoken" not in second.cookies
    assert second["Cache-Control"] == "private, no-store"
    link.refresh_from_db()
    assert link.view_count == 2  # each visitor still counts
    # A logged-in facilitator gets a page of their own, not the visitors' copy.
    own = warmed(facilitator).get(address)
    assert not getattr(own, "page_cache_hit", False)
    share_link_revoke(user=facilitator, link=link)
    assert Client().get(address).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_by_another_connection_empties_the_cache(facilitator, partnership) -> None:
    import threading

    from django.db import connections

    client = warmed(facilitator)
    get(client, page_of(partnership))
    assert getattr(get(client, page_of(partnership))[0], "page_cache_hit", False)

    def rename_elsewhere() -> None:
        try:
            with transaction.atomic():  # as a Celery worker or another web worker would
                Partnership.objects.filter(pk=partnership.pk).update(title="Diubah di tempat lain")
        finally:
            connections.close_all()

    worker = threading.Thread(target=rename_elsewhere)
    worker.start()
    worker.join()
    response, _ = get(client, page_of(partnership))
    assert not getattr(response, "page_cache_hit", False)
    assert "Diubah di tempat lain" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_page_built_while_another_transaction_writes_is_not_kept_past_its_commit(facilitator, partnership) -> None:
    """The bump at commit: a reader that built the page from the rows before the commit keeps it under a
    version the commit then replaces."""
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database locks a table being written against readers")
    client = warmed(facilitator)
    written, read = threading.Event(), threading.Event()

    def rename_elsewhere() -> None:
        try:
            with transaction.atomic():
                Partnership.objects.filter(pk=partnership.pk).update(title="Diubah di tempat lain")
                written.set()
                assert read.wait(10)
        finally:
            connections.close_all()

    worker = threading.Thread(target=rename_elsewhere)
    worker.start()
    assert written.wait(10)
    before_commit, _ = get(client, page_of(partnership))  # built from the rows before the commit, and kept
    assert "Diubah di tempat lain" not in before_commit.content.decode()
    read.set()
    worker.join()
    after_commit, _ = get(client, page_of(partnership))
    assert not getattr(after_commit, "page_cache_hit", False)
    assert "Diubah di tempat lain" in after_commit.content.decode()


# --- Downloads ---------------------------------------------------------------------------


def download(client: Client, address: str):
    response = client.get(address)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content)


@pytest.fixture
def many_groups(facilitator):
    from tests.factories import OrganizationFactory

    return OrganizationFactory.create_batch(60, name="Kelompok Tani")


def test_a_download_is_kept_in_pieces_and_streamed_back_the_same(monkeypatch, facilitator, many_groups) -> None:
    from accounts import page_cache

    monkeypatch.setattr(page_cache, "DOWNLOAD_PIECE_BYTES", 500)  # a few pieces even for a small file
    monkeypatch.setattr(page_cache, "DOWNLOAD_READ_AHEAD", 2)
    client = warmed(facilitator)
    address = reverse("partners:directory_export")
    first, built = download(client, address)
    again, kept = download(client, address)
    assert not getattr(first, "page_cache_hit", False)
    assert getattr(again, "page_cache_hit", False)
    assert kept == built and len(built) > 5 * 500
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"] == "text/csv; charset=utf-8"


def test_a_download_broken_off_keeps_nothing(monkeypatch) -> None:
    """The list of pieces is written only after the last one went out: a stream closed early leaves none."""
    from django.core.cache import cache

    from accounts import page_cache

    monkeypatch.setattr(page_cache, "DOWNLOAD_PIECE_BYTES", 10)
    headers = {"Content-Type": "text/csv; charset=utf-8"}
    run = secrets.token_hex(4)  # the suite's Redis is shared with other runs
    broken = page_cache._keeping(f"page:broken-off-{run}", iter([b"x" * 10] * 5), headers)
    next(broken)
    next(broken)
    broken.close()  # the browser went away: the server closes the response and so the stream
    assert cache.get(f"page:broken-off-{run}") is None
    whole = page_cache._keeping(f"page:whole-{run}", iter([b"x" * 10] * 5), headers)
    assert b"".join(whole) == b"x" * 50
    assert cache.get(f"page:whole-{run}") == {"headers": headers, "pieces": 5}


def test_a_write_makes_the_next_download_fresh(facilitator, many_groups) -> None:
    client = warmed(facilitator)
    address = reverse("partners:directory_export")
    download(client, address)
    many_groups[0].name = "Kelompok =Baru"
    many_groups[0].save()
    fresh, body = download(client, address)
    assert not getattr(fresh, "page_cache_hit", False)
    assert "Kelompok =Baru" in body.decode()


def test_a_download_larger_than_the_keeping_limit_is_not_kept(monkeypatch, facilitator, many_groups) -> None:
    from accounts import page_cache

    monkeypatch.setattr(page_cache, "DOWNLOAD_PIECE_BYTES", 500)
    monkeypatch.setattr(page_cache, "DOWNLOAD_KEEP_MAX_BYTES", 1000)
    client = warmed(facilitator)
    address = reverse("partners:directory_export")
    download(client, address)
    again, _ = download(client, address)
    assert not getattr(again, "page_cache_hit", False)


def test_a_save_that_reads_back_generated_columns_moves_the_version(org_a) -> None:
    """UPDATE ... RETURNING (the search vector): SQLite counts its rows only once they are fetched."""
    from partners.models import Organization

    before = data_version.current()
    with CaptureQueriesContext(connection) as queries:
        Organization.objects.get(pk=org_a.pk).save(update_fields=["name"])
    assert any("RETURNING" in query["sql"] for query in queries) or connection.vendor == "postgresql"
    assert data_version.current() != before
