"""A directory at a provincial programme's size, built with bulk_create, and one group with a long history.

The rows are what the services would write (``search_document`` included,
so the province and the focus areas are searchable); the services are
bypassed for speed. Groups are spread over regencies of several provinces,
one in every ``len(REGENCIES)`` in Kabupaten Klaten, with missions and focus
areas drawn from short lists, so a search matches a realistic share of
them. Used by tests/partners/test_scale.py and, through ``seed_directory``
and ``seed_history``, by anything that needs the same data (bench/).
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import connection
from django.utils import timezone

from accounts.models import User
from partners.models import (
    Contact,
    FocusArea,
    Interaction,
    InteractionKind,
    Kind,
    LeadershipTerm,
    Organization,
    Stage,
    StageChange,
)
from partners.services import search_document

BATCH = 2000
REGENCIES = [
    ("33", "Kabupaten Klaten"),
    ("33", "Kota Semarang"),
    ("33", "Kabupaten Demak"),
    ("34", "Kabupaten Sleman"),
    ("34", "Kabupaten Bantul"),
    ("32", "Kota Bandung"),
    ("32", "Kabupaten Garut"),
    ("35", "Kabupaten Malang"),
    ("35", "Kota Surabaya"),
    ("51", "Kabupaten Gianyar"),
    ("52", "Kabupaten Lombok Timur"),
    ("53", "Kabupaten Sikka"),
    ("61", "Kabupaten Sambas"),
    ("64", "Kota Samarinda"),
    ("73", "Kota Makassar"),
    ("73", "Kabupaten Bone"),
    ("71", "Kabupaten Minahasa"),
    ("81", "Kota Ambon"),
    ("94", "Kabupaten Jayapura"),
    ("11", "Kabupaten Aceh Besar"),
]
NAMES = [
    "Kelompok Tani",
    "Karang Taruna",
    "Kelompok Wanita Tani",
    "Kelompok Nelayan",
    "Paguyuban",
    "Komunitas",
    "Arisan Ibu-Ibu",
    "Jaringan Pemuda",
]
EPITHETS = ["Makmur", "Sejahtera", "Tunas Harapan", "Sri Rejeki", "Mekar Sari", "Bahari", "Bina Remaja", "Lestari"]
MISSIONS = [
    "Mengelola bank sampah dan mendidik warga tentang daur ulang.",
    "Menjaga hutan mangrove dan pesisir dari abrasi.",
    "Meningkatkan hasil panen padi dengan pupuk organik.",
    "Simpan pinjam untuk usaha kecil anggota.",
    "Pelatihan literasi digital bagi pemuda desa.",
    "Advokasi hak penyandang disabilitas di tingkat kabupaten.",
    "Kebun gizi keluarga dan pengolahan pangan lokal.",
    "Air bersih dan sanitasi untuk dusun di lereng gunung.",
]
FOCUS_AREAS = ["waste", "mangrove", "organic farming", "savings", "digital literacy", "disability rights", "nutrition"]
KINDS = [Kind.FARMER_FISHER, Kind.YOUTH, Kind.WOMEN, Kind.FARMER_FISHER, Kind.OTHER, Kind.ONLINE, Kind.SAVINGS]
STAGES = [Stage.IDENTIFIED, Stage.FIRST_CONTACT, Stage.BUILDING_TRUST, Stage.PARTNERING, Stage.DORMANT]


def organization_number(n: int) -> Organization:
    province, regency = REGENCIES[n % len(REGENCIES)]
    organization = Organization(
        name=f"{NAMES[n % len(NAMES)]} {EPITHETS[(n // len(NAMES)) % len(EPITHETS)]} {n:05}",
        kind=KINDS[n % len(KINDS)],
        mission=MISSIONS[n % len(MISSIONS)],
        province=province,
        regency=regency,
        founded_year=1980 + n % 45,
        stage=STAGES[n % len(STAGES)],
        # One in fifty archived, as a directory that has been used for years.
        archived_at=timezone.now() if n % 50 == 49 else None,
        updated_at=timezone.now() - datetime.timedelta(minutes=n),
    )
    organization.search_document = search_document(organization, _focus_names(n))
    return organization


def _focus_names(n: int) -> list[str]:
    return [FOCUS_AREAS[n % len(FOCUS_AREAS)], FOCUS_AREAS[(n * 3 + 1) % len(FOCUS_AREAS)]]


def seed_directory(count: int, *, start: int = 0, contacts_each: int = 0, analyze: bool = True) -> None:
    """``count`` organizations numbered from ``start``, two focus areas each, and ``contacts_each`` contacts."""
    areas = {name: FocusArea.objects.get_or_create(key=name, defaults={"name": name})[0] for name in FOCUS_AREAS}
    through = Organization.focus_areas.through
    for first in range(start, start + count, BATCH):
        numbers = range(first, min(start + count, first + BATCH))
        made = Organization.objects.bulk_create([organization_number(n) for n in numbers])
        through.objects.bulk_create(
            [
                through(organization_id=organization.pk, focusarea_id=areas[name].pk)
                for n, organization in zip(numbers, made, strict=True)
                for name in dict.fromkeys(_focus_names(n))
            ]
        )
        Contact.objects.bulk_create(
            [
                Contact(organization=organization, name=f"Anggota {n}-{c}", phone=f"0812{n:06}{c:02}")
                for n, organization in zip(numbers, made, strict=True)
                for c in range(contacts_each)
            ]
        )
    if analyze:
        analyze_tables()


def seed_history(organization: Organization, *, user: User, interactions: int, contacts: int = 3) -> None:
    """A long relationship: interactions with contacts and our team, stage changes, a new leader now and then."""
    people = Contact.objects.bulk_create(
        [Contact(organization=organization, name=f"Warga {organization.pk}-{n}") for n in range(contacts)]
    )
    today = timezone.localdate()
    made = Interaction.objects.bulk_create(
        [
            Interaction(
                organization=organization,
                kind=InteractionKind.VISIT if n % 3 else InteractionKind.CALL,
                occurred_on=today - datetime.timedelta(days=n),
                summary=f"Kunjungan ke-{n}",
                follow_up="Kirim notulen" if n % 4 == 0 else "",
                recorded_by=user,
            )
            for n in range(interactions)
        ]
    )
    Interaction.contacts.through.objects.bulk_create(
        [
            Interaction.contacts.through(interaction_id=i.pk, contact_id=people[n % len(people)].pk)
            for n, i in enumerate(made)
        ]
    )
    Interaction.participants.through.objects.bulk_create(
        [Interaction.participants.through(interaction_id=i.pk, user_id=user.pk) for i in made]
    )
    # A stage change every ten interactions, a new leader every eight days.
    StageChange.objects.bulk_create(
        [
            StageChange(
                organization=organization,
                from_stage=STAGES[n % len(STAGES)],
                to_stage=STAGES[(n + 1) % len(STAGES)],
                reason=f"Alasan {n}",
                changed_by=user,
                changed_at=timezone.now() - datetime.timedelta(days=n * 10),
            )
            for n in range(max(interactions // 10, 1))
        ]
    )
    # Called again on the same group, it adds history behind the current leader (one current term at most).
    led = LeadershipTerm.objects.filter(organization=organization, ended_on__isnull=True).exists()
    LeadershipTerm.objects.bulk_create(
        [
            LeadershipTerm(
                organization=organization,
                leader=people[n % len(people)],
                title="ketua",
                started_on=today - datetime.timedelta(days=(n + 1) * 8),
                ended_on=None if n == 0 and not led else today - datetime.timedelta(days=n * 8),
                recorded_by=user,
            )
            for n in range(max(interactions // 8, 1))
        ]
    )


def seed_interactions(count: int) -> None:
    """``count`` visits spread over every organization, the last two years: the table a timeline reads among."""
    organizations = list(Organization.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    for first in range(0, count, BATCH):
        Interaction.objects.bulk_create(
            Interaction(
                organization_id=organizations[n % len(organizations)],
                kind=InteractionKind.VISIT,
                occurred_on=today - datetime.timedelta(days=n % 730),
                summary=f"Kunjungan {n}",
            )
            for n in range(first, min(count, first + BATCH))
        )


def analyze_tables() -> None:
    """Fresh planner statistics, as autovacuum would have after a bulk load (PostgreSQL)."""
    if connection.vendor == "postgresql":
        tables = [
            model._meta.db_table for model in apps.get_app_config("partners").get_models(include_auto_created=True)
        ]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
