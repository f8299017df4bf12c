"""A provincial programme's portfolio at a scale factor, written fast, for bench/pages.py.

Scale 1 is the LARGE portfolio of issue 13: 10,000 organizations, 30,000
contacts, 2,000 partnerships, 6,000 goals, 30,000 activities, 40,000
check-ins and 50,000 interactions, with one facilitator on every partnership;
and with them what the newer domains add (commitments, the trust log,
risks, lessons, daily health snapshots, reminders). Scale 0.1 is a tenth of
each. Every partnership looks like every other (3 member groups, 3 goals,
15 activities, 20 check-ins, 10 commitments...), so a page about one
partnership should cost the same at any scale, except for one:

* the **focal partnership** (the first) is where the bench looks at one
  partnership's pages. It has the same plan as the others, and a history that
  grows with the scale: more check-ins, commitments, trust log entries and
  lessons. A page that shows all of them instead of the latest few grows with
  the scale, as it would after years of work;
* its lead group is the **busy organization**: 2% of all interactions, the
  one partner member who signs in (it is a member of two more partnerships),
  and the organization profile the bench reads.

Rows are built in memory a chunk of partnerships at a time and written with
``bulk_create``; then each model that keeps a history gets its "created"
history rows in one ``INSERT ... SELECT``, so the history tables are as large
as they would be in use.
Trust log entries are chained here exactly as ``services.trust`` chains them
(``domain.trust.entry_hash``), since the service appends one row at a time.
The plan revision and the share link of the focal partnership go through
their services. The data is deterministic for a scale (a seeded random
generator). Works on PostgreSQL and SQLite; ``tests/bench`` runs it tiny.
"""

from __future__ import annotations

import datetime
import random
import time
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model

    from accounts.models import User

# What scale 1 holds.
ORGANIZATIONS = 10_000
CONTACTS_PER_ORGANIZATION = 3
PARTNERSHIPS = 2_000
INTERACTIONS = 50_000
# Per partnership, at every scale.
MEMBERS = 3
GOALS = 3
ACTIVITIES_PER_GOAL = 5
CHECK_INS = 20
COMMITMENTS = 10
RISKS = 2
LESSONS = 2
HEALTH_DAYS = 30
REMINDERS = 5
PROGRESS_UPDATES_PER_GOAL = 3
# The focal partnership's history, on top of the above: this many at scale 1.
FOCAL_EXTRA_CHECK_INS = 200
FOCAL_EXTRA_COMMITMENTS = 100
FOCAL_EXTRA_LESSONS = 30
# The busy organization's share of all interactions.
BUSY_SHARE = 0.02
# The other partnerships the busy organization belongs to (so the partner member sees three).
BUSY_EXTRA_PARTNERSHIPS = 2

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
CHUNK = 200  # partnerships built and written at a time
BATCH = 2_000  # rows per INSERT

# Words searched by the bench: a group kind ("Kelompok Tani ...") and a lesson topic.
DIRECTORY_QUERY = "tani"
LEARNING_QUERY = "air"

FACILITATOR_USERNAME = "bench-fasilitator"
PARTNER_USERNAME = "bench-mitra"

NAME_PREFIXES = {
    "farmer_fisher": ["Kelompok Tani", "Kelompok Nelayan", "Kelompok Tani Hutan"],
    "youth": ["Karang Taruna", "Forum Anak Muda"],
    "women": ["Kelompok Perempuan", "PKK", "Kelompok Usaha Perempuan"],
    "savings": ["Arisan", "Kelompok Simpan Pinjam"],
    "advocacy": ["Forum Warga", "Jaringan Advokasi"],
    "professional": ["Ikatan Bidan", "Asosiasi Guru Honorer", "Ikatan Perajin"],
    "online": ["Komunitas Daring", "Grup Relawan"],
    "faith": ["Majelis Taklim", "Persekutuan Doa"],
    "other": ["Paguyuban", "Sanggar"],
}
NAME_WORDS = [
    "Sri Rejeki", "Tunas Harapan", "Maju Bersama", "Sumber Makmur", "Mekar Sari", "Bina Remaja", "Sejahtera",
    "Lestari", "Harapan Baru", "Gotong Royong", "Mandiri", "Berkah", "Sinar Pagi", "Karya Bakti", "Mitra Usaha",
    "Tani Makmur", "Laut Biru", "Melati", "Cempaka", "Bunga Desa", "Suka Maju", "Rukun Santoso", "Jaya Abadi",
    "Pelita", "Cahaya", "Bahari", "Kartini", "Srikandi", "Merah Putih", "Nusantara",
]  # fmt: skip
REGIONS = [
    ("33", "Klaten"), ("33", "Boyolali"), ("33", "Wonosobo"), ("33", "Banyumas"), ("34", "Sleman"),
    ("34", "Bantul"), ("34", "Gunungkidul"), ("35", "Malang"), ("35", "Banyuwangi"), ("35", "Jember"),
    ("32", "Garut"), ("32", "Cianjur"), ("32", "Tasikmalaya"), ("52", "Lombok Timur"), ("53", "Kupang"),
    ("53", "Sumba Barat"), ("73", "Makassar"), ("73", "Bone"), ("71", "Minahasa"), ("64", "Kutai Kartanegara"),
    ("61", "Sambas"), ("13", "Agam"), ("12", "Deli Serdang"), ("11", "Aceh Besar"), ("81", "Maluku Tengah"),
    ("91", "Jayapura"), ("94", "Mimika"), ("51", "Gianyar"), ("18", "Lampung Selatan"), ("36", "Pandeglang"),
]  # fmt: skip
FOCUS_AREAS = [
    "air bersih", "pertanian organik", "perikanan", "sampah", "literasi digital", "kesehatan ibu dan anak",
    "gizi", "simpan pinjam", "pendidikan anak", "hutan desa", "pariwisata desa", "kerajinan", "disabilitas",
    "kebencanaan", "sanitasi", "energi surya", "pemuda", "hak atas tanah", "pasar desa", "budaya lokal",
]  # fmt: skip
MISSIONS = [
    "Memperkuat ekonomi anggota lewat {topic} dan saling membantu ketika panen gagal.",
    "Mengajak warga {region} menjaga {topic} bersama pemerintah desa dan sekolah.",
    "Menjadi wadah belajar {topic} bagi pemuda dan perempuan di {region}.",
    "Mendampingi keluarga miskin agar mendapat layanan {topic} yang layak.",
    "Membangun jaringan antar kelompok di {region} untuk {topic}.",
]
THEMES = [
    "Air Bersih", "Pertanian Organik", "Sampah Plastik", "Gizi Anak", "Literasi Digital", "Hutan Desa",
    "Ekonomi Perempuan", "Siaga Bencana", "Pariwisata Desa", "Sanitasi Sekolah",
]  # fmt: skip
LESSON_TOPICS = [
    ("Air bersih lebih awet bila warga ikut merawat", "air bersih,gotong royong"),
    ("Petani belajar kompos dari petani lain", "pertanian,pembelajaran bersama"),
    ("Arisan menjadi tempat rapat yang paling ramai", "simpan pinjam,komunikasi"),
    ("Pergantian ketua tidak menghentikan kegiatan", "kepemimpinan"),
    ("Laporan anggaran dibacakan di pertemuan warga", "transparansi,pendanaan"),
    ("Grup WhatsApp menggantikan undangan kertas", "komunikasi,inovasi"),
    ("Pemuda mengajari orang tua memakai aplikasi", "literasi digital,inovasi"),
    ("Dampak: 40 rumah kini punya sambungan air", "air bersih,dampak"),
]  # fmt: skip
FIRST_NAMES = [
    "Siti", "Sri", "Budi", "Agus", "Dewi", "Wahyu", "Rina", "Yohanes", "Maria", "Made", "Nyoman", "Fatimah",
    "Ahmad", "Nur", "Eko", "Lestari", "Yusuf", "Ani", "Teguh", "Rahmat",
]  # fmt: skip
LAST_NAMES = [
    "Rahayu", "Wibowo", "Santoso", "Lestari", "Hidayat", "Nainggolan", "Manurung", "Wulandari", "Saputra",
    "Kurniawan", "Pratama", "Mahendra", "Tanjung", "Sitompul", "Baso", "Daeng", "Kogoya", "Wenda",
]  # fmt: skip


@dataclass
class Plan:
    """How many rows of each kind a scale asks for (``counts`` of the portfolio written must match)."""

    scale: float
    organizations: int
    partnerships: int
    interactions: int
    focal_extra_check_ins: int
    focal_extra_commitments: int
    focal_extra_lessons: int

    @property
    def busy_interactions(self) -> int:
        return max(20, round(self.interactions * BUSY_SHARE))

    def check_ins_of(self, n: int) -> int:
        return CHECK_INS + (self.focal_extra_check_ins if n == 0 else 0)

    def commitments_of(self, n: int) -> int:
        return COMMITMENTS + (self.focal_extra_commitments if n == 0 else 0)

    def lessons_of(self, n: int) -> int:
        return LESSONS + (self.focal_extra_lessons if n == 0 else 0)

    def counts(self) -> dict[str, int]:
        """The rows of each table the seeder writes (the smoke test compares them with the database)."""
        p = self.partnerships
        check_ins = p * CHECK_INS + self.focal_extra_check_ins
        commitments = p * COMMITMENTS + self.focal_extra_commitments
        members = p * MEMBERS + BUSY_EXTRA_PARTNERSHIPS
        activities = p * GOALS * ACTIVITIES_PER_GOAL
        return {
            "organizations": self.organizations,
            "contacts": self.organizations * CONTACTS_PER_ORGANIZATION,
            "partnerships": p,
            "members": members,
            "goals": p * GOALS,
            "progress_updates": p * GOALS * PROGRESS_UPDATES_PER_GOAL,
            "activities": activities,
            "activity_roles": activities * 2,
            "schedules": p,
            "check_ins": check_ins,
            "interactions": self.interactions,
            "commitments": commitments,
            # One per member joining, one per commitment made, one more per commitment closed, one per
            # check-in of the focal partnership and the last 5 of the others, one budget shared; and the
            # plan revision the focal partnership agrees through the service.
            "trust_entries": members
            + commitments
            + sum(_closed_commitments(self.commitments_of(n)) for n in range(p))
            + self.check_ins_of(0)
            + (p - 1) * min(5, CHECK_INS)
            + p
            + 1,
            "risks": p * RISKS,
            "lessons": p * LESSONS + self.focal_extra_lessons,
            "health_snapshots": p * HEALTH_DAYS,
            "reminders": p * REMINDERS,
            "leadership_terms": self.organizations + (self.organizations + 19) // 20,
            "share_links": 1,
            "plan_revisions": 1,
        }


def plan_for(scale: float) -> Plan:
    if scale <= 0:
        raise ValueError("the scale must be positive")
    partnerships = max(2 + BUSY_EXTRA_PARTNERSHIPS, round(PARTNERSHIPS * scale))
    return Plan(
        scale=scale,
        organizations=max(partnerships * MEMBERS, round(ORGANIZATIONS * scale)),
        partnerships=partnerships,
        interactions=max(partnerships, round(INTERACTIONS * scale)),
        focal_extra_check_ins=round(FOCAL_EXTRA_CHECK_INS * scale),
        focal_extra_commitments=round(FOCAL_EXTRA_COMMITMENTS * scale),
        focal_extra_lessons=round(FOCAL_EXTRA_LESSONS * scale),
    )


# Commitment states in turn: 4 open, 3 kept, 1 kept late, 1 broken, 1 withdrawn in every 10.
COMMITMENT_STATES = ["open", "kept", "open", "kept", "broken", "open", "kept_late", "kept", "withdrawn", "open"]


def _closed_commitments(count: int) -> int:
    return sum(1 for k in range(count) if COMMITMENT_STATES[k % len(COMMITMENT_STATES)] != "open")


@dataclass
class Portfolio:
    """What was written, and the records the bench's pages are about."""

    scale: float
    counts: dict[str, int]
    seconds: float
    facilitator_id: int
    partner_id: int
    focal_id: int
    busy_organization_id: int
    goal_id: int
    share_token: str
    directory_query: str = DIRECTORY_QUERY
    learning_query: str = LEARNING_QUERY
    timings: dict[str, float] = field(default_factory=dict)


def seed_portfolio(*, scale: float, progress: Callable[[str], None] | None = None) -> Portfolio:
    """Write the portfolio of ``scale`` into the (empty) default database."""
    return _Seeder(plan_for(scale), progress or (lambda _message: None)).run()


def _insert(model: type[Model], objects: Sequence[Any], *, user: User | None = None) -> list[Any]:
    """``bulk_create``; the history rows of the models that keep one are written at the end (``_write_history``)."""
    if not objects:
        return []
    return model._default_manager.bulk_create(objects, batch_size=BATCH)


def _write_history(user: User, now: datetime.datetime) -> None:
    """One "created" history row per row of every model that keeps a history, as saving each would have written.

    One ``INSERT ... SELECT`` per table, in the database: simple-history's
    ``bulk_create_with_history`` would build every history row in Python and
    take longer than the rows themselves. The history row is dated when its
    record was created, where the record says so.
    """
    from django.apps import apps
    from django.db import connection
    from simple_history.exceptions import NotHistoricalModelError
    from simple_history.utils import get_history_manager_for_model

    quote = connection.ops.quote_name
    for model in apps.get_models():
        try:
            history = get_history_manager_for_model(model).model
        except NotHistoricalModelError:
            continue
        columns = [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]
        base = {f.column for f in model._meta.concrete_fields}
        date = "COALESCE(created_at, %s)" if "created_at" in base else "%s"
        listed = ", ".join(quote(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608 (names from the models)
                f"({listed}, history_date, history_type, history_user_id, history_change_reason) "
                f"SELECT {listed}, {date}, '+', %s, NULL FROM {quote(model._meta.db_table)}",
                [now, user.pk],
            )


def _through(relation: Any, rows: Iterable[tuple[int, int]], first: str, second: str) -> None:
    through = relation.through
    through.objects.bulk_create(
        [through(**{f"{first}_id": a, f"{second}_id": b}) for a, b in rows], batch_size=BATCH * 5
    )


class _Seeder:
    def __init__(self, plan: Plan, progress: Callable[[str], None]) -> None:
        from django.utils import timezone

        self.plan = plan
        self.progress = progress
        # Made-up data, the same for a scale on every run; nothing secret.
        self.random = random.Random(f"rekan-bench-{plan.scale}")  # noqa: S311
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        self.timings: dict[str, float] = {}

    def _timed(self, label: str, step: Callable[[], None]) -> None:
        started = time.perf_counter()
        step()
        self.timings[label] = time.perf_counter() - started
        self.progress(f"  {label}: {self.timings[label]:.1f} s")

    def run(self) -> Portfolio:
        started = time.perf_counter()
        self._timed("users", self._users)
        self._timed("organizations", self._organizations)
        self._timed("contacts and leaders", self._contacts)
        self._timed("partnerships", self._partnerships)
        self._timed("interactions", self._interactions)
        self._timed("history", lambda: _write_history(self.facilitator, self.now))
        self._timed("plan revision, share link", self._through_services)
        return Portfolio(
            scale=self.plan.scale,
            counts=self.counts(),
            seconds=time.perf_counter() - started,
            facilitator_id=self.facilitator.pk,
            partner_id=self.partner.pk,
            focal_id=self.focal_id,
            busy_organization_id=self.organization_ids[0],
            goal_id=self.focal_goal_id,
            share_token=self.share_token,
            timings=self.timings,
        )

    @staticmethod
    def counts() -> dict[str, int]:
        from engagements import models as e
        from partners import models as p

        tables = {
            "organizations": p.Organization, "contacts": p.Contact, "partnerships": e.Partnership,
            "members": e.PartnershipMember, "goals": e.SharedGoal, "progress_updates": e.ProgressUpdate,
            "activities": e.Activity, "activity_roles": e.ActivityRole, "schedules": e.CheckInSchedule,
            "check_ins": e.CheckIn, "interactions": p.Interaction, "commitments": e.Commitment,
            "trust_entries": e.TrustEntry, "risks": e.Risk, "lessons": e.Lesson,
            "health_snapshots": e.HealthSnapshot, "reminders": e.Reminder, "leadership_terms": p.LeadershipTerm,
            "share_links": e.ShareLink, "plan_revisions": e.PlanRevision,
        }  # fmt: skip
        return {name: model._default_manager.count() for name, model in tables.items()}

    # --- people ------------------------------------------------------------

    def _users(self) -> None:
        from django.contrib.auth.models import Group

        from accounts.models import User
        from accounts.roles import FACILITATOR, PARTNER_MEMBER

        self.facilitator = User(
            username=FACILITATOR_USERNAME, email="fasilitator@example.org", first_name="Rina", last_name="Wulandari",
            language="id",
        )  # fmt: skip
        self.facilitator.set_unusable_password()
        self.facilitator.save()
        self.facilitator.groups.add(Group.objects.get_or_create(name=FACILITATOR)[0])
        self.partner = User(
            username=PARTNER_USERNAME, email="mitra@example.org", first_name="Siti", last_name="Rahayu", language="id"
        )
        self.partner.set_unusable_password()
        self.partner.save()
        self.partner.groups.add(Group.objects.get_or_create(name=PARTNER_MEMBER)[0])

    def _person(self) -> str:
        return f"{self.random.choice(FIRST_NAMES)} {self.random.choice(LAST_NAMES)}"

    # --- organizations -------------------------------------------------------

    def _organizations(self) -> None:
        from partners.models import FocusArea, FundingStability, Kind, Organization, OrganizationMember, Stage
        from partners.services import focus_area_key, search_document

        areas = FocusArea.objects.bulk_create([FocusArea(name=name, key=focus_area_key(name)) for name in FOCUS_AREAS])
        kinds = [kind for kind, _label in Kind.choices]
        stages = [Stage.PARTNERING, Stage.BUILDING_TRUST, Stage.FIRST_CONTACT, Stage.IDENTIFIED, Stage.DORMANT]
        fundings = [
            FundingStability.STABLE,
            FundingStability.IRREGULAR,
            FundingStability.NONE,
            FundingStability.UNKNOWN,
        ]
        self.organization_ids: list[int] = []
        in_partnerships = self.plan.partnerships * MEMBERS
        for start in range(0, self.plan.organizations, BATCH):
            organizations, area_rows = [], []
            for n in range(start, min(self.plan.organizations, start + BATCH)):
                kind = kinds[n % len(kinds)]
                province, regency = REGIONS[(n * 7) % len(REGIONS)]
                topic = FOCUS_AREAS[n % len(FOCUS_AREAS)]
                chosen = [areas[n % len(areas)], areas[(n * 3 + 1) % len(areas)]]
                organization = Organization(
                    name=f"{self.random.choice(NAME_PREFIXES[kind])} {self.random.choice(NAME_WORDS)} {regency}",
                    kind=kind,
                    mission=self.random.choice(MISSIONS).format(topic=topic, region=regency),
                    values="Gotong royong, keterbukaan, saling percaya.",
                    own_goals=f"Anggota bertambah dan kegiatan {topic} berjalan setiap bulan.",
                    province=province,
                    regency=regency,
                    founded_year=1990 + n % 34,
                    approx_members=10 + n % 90,
                    approx_reach=50 + (n * 13) % 900,
                    funding_sources="Iuran anggota, dana desa",
                    funding_stability=fundings[n % len(fundings)],
                    stage=Stage.PARTNERING if n < in_partnerships else stages[n % len(stages)],
                    internal_notes="Ketua mudah dihubungi lewat WhatsApp sore hari.",
                    created_at=self.now - datetime.timedelta(days=n % 700),
                    created_by=self.facilitator,
                )
                organization.search_document = search_document(organization, [a.name for a in chosen])
                organizations.append(organization)
                area_rows.append(chosen)
            organizations = _insert(Organization, organizations, user=self.facilitator)
            self.organization_ids += [o.pk for o in organizations]
            _through(
                Organization.focus_areas,
                [(o.pk, a.pk) for o, chosen in zip(organizations, area_rows, strict=True) for a in chosen],
                "organization",
                "focusarea",
            )
        OrganizationMember.objects.create(organization_id=self.organization_ids[0], user=self.partner)

    def _contacts(self) -> None:
        from partners.models import Contact, LeadershipTerm, PreferredChannel

        channels = [
            PreferredChannel.WHATSAPP,
            PreferredChannel.WHATSAPP,
            PreferredChannel.PHONE,
            PreferredChannel.EMAIL,
        ]
        self.contact_ids: list[list[int]] = []
        for start in range(0, len(self.organization_ids), BATCH):
            contacts = []
            for n, organization_id in enumerate(self.organization_ids[start : start + BATCH], start):
                for k in range(CONTACTS_PER_ORGANIZATION):
                    number = n * CONTACTS_PER_ORGANIZATION + k
                    contacts.append(
                        Contact(
                            organization_id=organization_id,
                            name=self._person(),
                            role_in_group=["Ketua", "Sekretaris", "Bendahara"][k % 3],
                            phone=f"+62812{number:08d}",
                            email=f"kontak{number}@example.org",
                            preferred_channel=channels[number % len(channels)],
                            consent_to_contact=k < 2,
                            consent_recorded_on=self.today - datetime.timedelta(days=200) if k < 2 else None,
                        )
                    )
            contacts = _insert(Contact, contacts, user=self.facilitator)
            self.contact_ids += [
                [c.pk for c in contacts[i : i + CONTACTS_PER_ORGANIZATION]]
                for i in range(0, len(contacts), CONTACTS_PER_ORGANIZATION)
            ]
        # Every group has a current leader; one in 20 changed leader ten days ago (a flag, and a line on Today).
        terms = []
        for n, (organization_id, people) in enumerate(zip(self.organization_ids, self.contact_ids, strict=True)):
            changed = n % 20 == 0
            if changed:
                terms.append(
                    LeadershipTerm(
                        organization_id=organization_id, leader_id=people[1], title="Ketua",
                        started_on=self.today - datetime.timedelta(days=900),
                        ended_on=self.today - datetime.timedelta(days=10), recorded_by=self.facilitator,
                    )
                )  # fmt: skip
            terms.append(
                LeadershipTerm(
                    organization_id=organization_id, leader_id=people[0], title="Ketua",
                    started_on=self.today - datetime.timedelta(days=10 if changed else 400 + n % 300),
                    recorded_by=self.facilitator,
                )
            )  # fmt: skip
        for start in range(0, len(terms), BATCH):
            _insert(LeadershipTerm, terms[start : start + BATCH], user=self.facilitator)

    # --- partnerships ------------------------------------------------------------

    def _members_of(self, n: int) -> list[int]:
        """Indexes (into organization_ids) of partnership n's groups, the lead first."""
        groups = [n * MEMBERS + k for k in range(MEMBERS)]
        if 1 <= n <= BUSY_EXTRA_PARTNERSHIPS:
            groups.append(0)  # the busy organization also supports the next partnerships
        return groups

    def _partnerships(self) -> None:
        from engagements.models import Partnership, PartnershipStatus

        statuses = [PartnershipStatus.ACTIVE] * 14 + [
            PartnershipStatus.EXPLORING, PartnershipStatus.AGREED, PartnershipStatus.PAUSED,
            PartnershipStatus.TRANSITIONING, PartnershipStatus.CLOSED, PartnershipStatus.EXPLORING,
        ]  # fmt: skip
        self.focal_id = 0
        for start in range(0, self.plan.partnerships, CHUNK):
            numbers = range(start, min(self.plan.partnerships, start + CHUNK))
            partnerships = []
            for n in numbers:
                _province, regency = REGIONS[(n * MEMBERS * 7) % len(REGIONS)]
                theme = THEMES[n % len(THEMES)]
                partnerships.append(
                    Partnership(
                        title=f"Kemitraan {theme} {regency} {n + 1}",
                        purpose=f"Bersama kelompok di {regency} memperbaiki {theme.lower()} dalam dua tahun.",
                        status=PartnershipStatus.ACTIVE if n == 0 else statuses[n % len(statuses)],
                        start_date=self.today - datetime.timedelta(days=300 + n % 200),
                        shared_notes="Pertemuan rutin di balai desa; notulen dibagikan di grup WhatsApp.",
                        internal_notes="Perlu memastikan bendahara hadir di setiap pertemuan.",
                        created_at=self.now - datetime.timedelta(days=300 + n % 200),
                        created_by=self.facilitator,
                    )
                )
            partnerships = _insert(Partnership, partnerships, user=self.facilitator)
            if start == 0:
                self.focal_id = partnerships[0].pk
            self._chunk(list(numbers), partnerships)
            self.progress(f"    partnerships {numbers.stop:,} / {self.plan.partnerships:,}")

    def _chunk(self, numbers: list[int], partnerships: list[Any]) -> None:
        from engagements.models import MemberRole, Partnership, PartnershipMember

        user = self.facilitator
        _through(Partnership.facilitators, [(p.pk, user.pk) for p in partnerships], "partnership", "user")
        members = []
        for n, partnership in zip(numbers, partnerships, strict=True):
            for k, index in enumerate(self._members_of(n)):
                role = MemberRole.LEAD if k == 0 else MemberRole.SUPPORTER if k >= MEMBERS else MemberRole.MEMBER
                members.append(
                    PartnershipMember(
                        partnership=partnership, organization_id=self.organization_ids[index], role=role,
                        joined_on=partnership.start_date,
                    )
                )  # fmt: skip
        members = _insert(PartnershipMember, members, user=user)
        members_of: dict[int, list[Any]] = {}
        for member in members:
            members_of.setdefault(member.partnership_id, []).append(member)
        self.trust: dict[int, list[dict[str, Any]]] = {p.pk: [] for p in partnerships}
        for partnership in partnerships:
            for member in members_of[partnership.pk]:
                self._log(partnership, "member_joined", self._at(member.joined_on), "member", member.pk)
        goals = self._goals(partnerships, members_of)
        self._activities(partnerships, members_of, goals)
        check_ins = self._check_ins(numbers, partnerships, members_of)
        self._commitments(numbers, partnerships, members_of, check_ins)
        self._risks_lessons_health(numbers, partnerships)
        self._reminders(partnerships)
        self._trust_entries(partnerships)

    def _at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=JAKARTA)

    def _log(
        self,
        partnership: Any,
        kind: str,
        happened_at: datetime.datetime,
        subject_type: str = "",
        subject_id: int | None = None,
        shared_text: str = "",
    ) -> None:
        self.trust[partnership.pk].append(
            {"kind": kind, "happened_at": happened_at, "subject_type": subject_type, "subject_id": subject_id,
             "shared_text": shared_text}
        )  # fmt: skip

    def _goals(self, partnerships: list[Any], members_of: dict[int, list[Any]]) -> dict[int, list[Any]]:
        from engagements.models import GoalBenefit, ProgressUpdate, SharedGoal

        goals = []
        for partnership in partnerships:
            for g in range(GOALS):
                goals.append(
                    SharedGoal(
                        partnership=partnership,
                        statement=[
                            "Rumah tangga dengan sambungan air bersih", "Anggota yang menabung setiap bulan",
                            "Kilogram sampah plastik yang dipilah",
                        ][g],
                        success_indicator="Dicatat oleh sekretaris kelompok setiap bulan",
                        baseline=Decimal(10 * g),
                        target=Decimal(100 + 50 * g),
                        unit=["rumah tangga", "orang", "kg"][g],
                        start_date=partnership.start_date,
                        target_date=self.today + datetime.timedelta(days=60 + 120 * g),
                        shared_notes="Target disepakati di pertemuan pertama.",
                        position=g,
                    )
                )  # fmt: skip
        goals = _insert(SharedGoal, goals, user=self.facilitator)
        if partnerships[0].pk == self.focal_id:
            self.focal_goal_id = goals[0].pk
        by_partnership: dict[int, list[Any]] = {}
        updates, benefits = [], []
        for goal in goals:
            by_partnership.setdefault(goal.partnership_id, []).append(goal)
            benefits.append(
                GoalBenefit(
                    goal=goal, member=members_of[goal.partnership_id][0], benefit="Anggota hemat waktu dan biaya."
                )
            )
            for u in range(PROGRESS_UPDATES_PER_GOAL):
                updates.append(
                    ProgressUpdate(
                        goal=goal, value=goal.baseline + Decimal(15 * (u + 1)),
                        measured_on=self.today - datetime.timedelta(days=30 * (PROGRESS_UPDATES_PER_GOAL - u)),
                        note="Dari catatan pertemuan.", recorded_by=self.facilitator,
                    )
                )  # fmt: skip
        _insert(GoalBenefit, benefits, user=self.facilitator)
        _insert(ProgressUpdate, updates, user=self.facilitator)
        return by_partnership

    def _activities(
        self, partnerships: list[Any], members_of: dict[int, list[Any]], goals: dict[int, list[Any]]
    ) -> None:
        from engagements.models import Activity, ActivityRole, ActivityStatus, Raci

        statuses = [ActivityStatus.DONE] * 8 + [ActivityStatus.IN_PROGRESS] * 4 + [ActivityStatus.PLANNED] * 7
        statuses.append(ActivityStatus.CANCELLED)
        activities = []
        for partnership in partnerships:
            for g, goal in enumerate(goals[partnership.pk]):
                for a in range(ACTIVITIES_PER_GOAL):
                    number = g * ACTIVITIES_PER_GOAL + a
                    activities.append(
                        Activity(
                            partnership=partnership, goal=goal,
                            title=["Survei rumah tangga", "Pelatihan pengurus", "Pertemuan warga",
                                   "Pembelian bahan", "Laporan ke desa"][a] + f" tahap {g + 1}",
                            description="Dipimpin kelompok utama, dibantu pendamping.",
                            due_date=self.today + datetime.timedelta(days=-60 + number * 10),
                            status=statuses[(partnership.pk + number) % len(statuses)],
                            shared_notes="Bahan disiapkan bersama.",
                            position=number,
                        )
                    )  # fmt: skip
        activities = _insert(Activity, activities, user=self.facilitator)
        self.activity_ids: dict[int, list[int]] = {}
        roles = []
        for activity in activities:
            self.activity_ids.setdefault(activity.partnership_id, []).append(activity.pk)
            members = members_of[activity.partnership_id]
            roles.append(ActivityRole(activity=activity, member=members[0], role=Raci.ACCOUNTABLE))
            roles.append(ActivityRole(activity=activity, member=members[1], role=Raci.RESPONSIBLE))
        _insert(ActivityRole, roles, user=self.facilitator)

    def _check_ins(
        self, numbers: list[int], partnerships: list[Any], members_of: dict[int, list[Any]]
    ) -> dict[int, list[Any]]:
        from engagements.domain import schedules
        from engagements.models import PARTNERSHIP_TIME_ZONES, CheckIn, CheckInChannel, CheckInSchedule

        zones = [zone for zone, _label in PARTNERSHIP_TIME_ZONES]
        channels = [c for c, _label in CheckInChannel.choices]
        check_ins, schedule_rows, last_held = [], [], {}
        for n, partnership in zip(numbers, partnerships, strict=True):
            # Days since the last check-in, 0 to 59: on schedule, due soon, late and dormant ones.
            last = self.today - datetime.timedelta(days=(n * 11) % 60)
            last_held[partnership.pk] = last
            for c in range(self.plan.check_ins_of(n)):
                check_ins.append(
                    CheckIn(
                        partnership=partnership,
                        held_at=self._at(last - datetime.timedelta(days=14 * c), 9 + c % 8),
                        channel=channels[(n + c) % len(channels)],
                        summary=(
                            "Kelompok melaporkan kemajuan survei dan kendala dana. Anggota sepakat menambah "
                            "jadwal kerja bakti, bendahara membacakan laporan kas, dan pendamping mencatat "
                            "pertanyaan untuk dinas."
                        ),
                        decisions="Kerja bakti setiap Sabtu.\nLaporan kas dibacakan setiap bulan.",
                        next_steps="Undang kepala desa\nSiapkan daftar hadir\nKirim foto kegiatan ke grup",
                        shared_notes="Notulen sudah dibagikan.",
                        internal_notes="Ketua tampak lelah; perlu dukungan.",
                        recorded_by=self.facilitator,
                    )
                )
            schedule = CheckInSchedule(
                partnership=partnership,
                time_zone=zones[n % len(zones)],
                paused=partnership.status == "paused",
                starts_on=partnership.start_date,
                last_held_on=last,
            )
            for name, value in vars(schedules.derive(schedule, last)).items():
                setattr(schedule, name, value)
            schedule.next_reminder_on = schedule.remind_from
            schedule_rows.append(schedule)
        check_ins = _insert(CheckIn, check_ins, user=self.facilitator)
        _insert(CheckInSchedule, schedule_rows, user=self.facilitator)
        contact_rows, participant_rows = [], []
        by_partnership: dict[int, list[Any]] = {}
        for check_in in check_ins:
            by_partnership.setdefault(check_in.partnership_id, []).append(check_in)
            lead = members_of[check_in.partnership_id][0]
            contact_rows.append((check_in.pk, self._contacts_of(lead.organization_id)[0]))
            participant_rows.append((check_in.pk, self.facilitator.pk))
        _through(CheckIn.contacts, contact_rows, "checkin", "contact")
        _through(CheckIn.participants, participant_rows, "checkin", "user")
        for n, partnership in zip(numbers, partnerships, strict=True):
            held = by_partnership[partnership.pk]  # newest first
            logged = held if n == 0 else held[: min(5, CHECK_INS)]
            for check_in in logged:
                self._log(partnership, "check_in_held", check_in.held_at, "check_in", check_in.pk)
        return by_partnership

    def _contacts_of(self, organization_id: int) -> list[int]:
        if not hasattr(self, "_index_of"):
            self._index_of = {pk: i for i, pk in enumerate(self.organization_ids)}
        return self.contact_ids[self._index_of[organization_id]]

    def _commitments(
        self,
        numbers: list[int],
        partnerships: list[Any],
        members_of: dict[int, list[Any]],
        check_ins: dict[int, list[Any]],
    ) -> None:
        from engagements.models import Commitment, CommitmentAudience, CommitmentOrigin, CommitmentSide

        commitments = []
        for n, partnership in zip(numbers, partnerships, strict=True):
            members = members_of[partnership.pk]
            for k in range(self.plan.commitments_of(n)):
                state = COMMITMENT_STATES[k % len(COMMITMENT_STATES)]
                by_member = k % 3 != 2
                due_on = self.today + datetime.timedelta(days=-120 + (k * 9) % 160)
                made = self.now - datetime.timedelta(days=130 - (k * 9) % 160 + 10)
                kept = state in ("kept", "kept_late")
                held = check_ins[partnership.pk]
                commitments.append(
                    Commitment(
                        partnership=partnership,
                        promised_by_side=CommitmentSide.MEMBER if by_member else CommitmentSide.FACILITATORS,
                        promised_by_id=members[k % MEMBERS].organization_id if by_member else None,
                        promised_by_contact_id=(
                            self._contacts_of(members[k % MEMBERS].organization_id)[0] if by_member else None
                        ),
                        text=[
                            "Menyerahkan daftar rumah tangga penerima",
                            "Mengirim laporan kas triwulan",
                            "Mengundang dinas ke pertemuan warga",
                            "Menyiapkan tempat pelatihan",
                        ][k % 4],
                        promised_to_side=CommitmentAudience.ALL_MEMBERS,
                        due_on=due_on,
                        origin=CommitmentOrigin.CHECK_IN if held else CommitmentOrigin.MEETING,
                        check_in=held[k % len(held)] if held else None,
                        state=state,
                        reason="Dana desa belum cair." if state in ("broken", "withdrawn") else "",
                        marked_kept_by=self.facilitator if kept else None,
                        marked_kept_at=self._at(due_on) + datetime.timedelta(days=3 if state == "kept_late" else -1)
                        if kept
                        else None,
                        confirmation="confirmed" if kept and k % 2 else "",
                        created_by=self.facilitator,
                        created_at=made,
                    )
                )
        commitments = _insert(Commitment, commitments, user=self.facilitator)
        closed_kinds = {
            "kept": "commitment_kept", "kept_late": "commitment_kept_late", "broken": "commitment_broken",
            "withdrawn": "commitment_withdrawn",
        }  # fmt: skip
        partnership_of = {p.pk: p for p in partnerships}
        for commitment in commitments:
            partnership = partnership_of[commitment.partnership_id]
            self._log(partnership, "commitment_made", commitment.created_at, "commitment", commitment.pk)
            if commitment.state in closed_kinds:
                closed_at = commitment.marked_kept_at or self._at(commitment.due_on) + datetime.timedelta(days=1)
                self._log(partnership, closed_kinds[commitment.state], closed_at, "commitment", commitment.pk)

    def _risks_lessons_health(self, numbers: list[int], partnerships: list[Any]) -> None:
        from engagements.models import HealthSnapshot, Lesson, LessonKind, Risk, RiskCategory, RiskStatus

        risks, lessons, lesson_organizations, snapshots = [], [], [], []
        kinds = [k for k, _label in LessonKind.choices]
        for n, partnership in zip(numbers, partnerships, strict=True):
            risks.append(
                Risk(
                    partnership=partnership, category=RiskCategory.FUNDING, title="Dana desa terlambat cair",
                    description="Kegiatan bergantung pada dana desa.", likelihood=3 + n % 3, impact=4,
                    mitigation="Cari iuran anggota sebagai cadangan.", status=RiskStatus.OPEN,
                    review_on=self.today + datetime.timedelta(days=30), created_by=self.facilitator,
                )
            )  # fmt: skip
            risks.append(
                Risk(
                    partnership=partnership, category=RiskCategory.COORDINATION, title="Pengurus jarang hadir",
                    likelihood=2, impact=3, status=RiskStatus.MITIGATING if n % 2 else RiskStatus.CLOSED,
                    mitigation="Jadwal pertemuan disepakati di awal bulan.", created_by=self.facilitator,
                )
            )  # fmt: skip
            for k in range(self.plan.lessons_of(n)):
                title, tags = LESSON_TOPICS[(n + k) % len(LESSON_TOPICS)]
                lessons.append(
                    Lesson(
                        partnership=partnership, kind=kinds[k % len(kinds)], title=title,
                        body=(
                            f"{title}. Kelompok mencoba cara baru dan mencatat apa yang berhasil. Warga yang "
                            "awalnya ragu ikut datang setelah melihat hasilnya di desa tetangga; pengurus "
                            "menulis langkah-langkahnya supaya kelompok lain bisa meniru."
                        ),
                        tags=tags, shared_with_partners=k % 2 == 0,
                        happened_on=self.today - datetime.timedelta(days=7 * k + n % 30),
                        created_by=self.facilitator,
                    )
                )  # fmt: skip
            score = 50 + n % 40
            for d in range(HEALTH_DAYS):
                # A drop of 15 points a week ago in one partnership of 10: "biggest drops" on Today.
                dropped = n % 10 == 0 and d < 7
                snapshots.append(
                    HealthSnapshot(
                        partnership=partnership,
                        day=self.today - datetime.timedelta(days=d),
                        score=max(0, score - (15 if dropped else 0) + (d * 7 + n) % 5),
                    )
                )
        _insert(Risk, risks, user=self.facilitator)
        lessons = _insert(Lesson, lessons, user=self.facilitator)
        lead_of = {p.pk: self.organization_ids[n * MEMBERS] for n, p in zip(numbers, partnerships, strict=True)}
        lesson_organizations = [(lesson.pk, lead_of[lesson.partnership_id]) for lesson in lessons]
        _through(Lesson.organizations, lesson_organizations, "lesson", "organization")
        HealthSnapshot.objects.bulk_create(snapshots, batch_size=BATCH)

    def _reminders(self, partnerships: list[Any]) -> None:
        from engagements.models import Reminder, ReminderKind, ReminderStatus

        statuses = [ReminderStatus.SENT] * 14 + [
            ReminderStatus.PENDING, ReminderStatus.PENDING, ReminderStatus.FAILED, ReminderStatus.CANCELLED,
            ReminderStatus.CANCELLED, ReminderStatus.UNCERTAIN,
        ]  # fmt: skip
        reminders = []
        for partnership in partnerships:
            for r, activity_id in enumerate(self.activity_ids[partnership.pk][:REMINDERS]):
                due_on = self.today + datetime.timedelta(days=-60 + r * 10)
                status = statuses[(partnership.pk * REMINDERS + r) % len(statuses)]
                reminders.append(
                    Reminder(
                        partnership=partnership, kind=ReminderKind.ACTIVITY_OVERDUE, subject_type="activity",
                        subject_id=activity_id, occurrence=f"{due_on.isoformat()}#overdue",
                        recipient_key=f"user:{self.facilitator.pk}", user=self.facilitator,
                        email=self.facilitator.email, language="id", due_on=due_on, status=status,
                        cancel_reason="closed" if status == ReminderStatus.CANCELLED else "",
                        attempts=1 if status != ReminderStatus.PENDING else 0,
                        sent_at=self.now - datetime.timedelta(days=60 - r * 10) if status == "sent" else None,
                        last_error="451 4.7.1 Try again later" if status == ReminderStatus.FAILED else "",
                        created_at=self.now - datetime.timedelta(days=61 - r * 10),
                    )
                )  # fmt: skip
        Reminder.objects.bulk_create(reminders, batch_size=BATCH)

    def _trust_entries(self, partnerships: list[Any]) -> None:
        """Each partnership's log in the order things happened, chained as services.trust chains one entry."""
        from engagements.domain.trust import GENESIS, entry_hash
        from engagements.models import TrustEntry

        entries = []
        for partnership in partnerships:
            self._log(
                partnership, "budget_shared", self._at(self.today - datetime.timedelta(days=45)),
                shared_text="Rincian anggaran kegiatan dibacakan dan dibagikan di grup.",
            )  # fmt: skip
            previous = GENESIS
            for sequence, fact in enumerate(sorted(self.trust[partnership.pk], key=lambda f: f["happened_at"]), 1):
                entry = TrustEntry(
                    partnership=partnership,
                    sequence=sequence,
                    kind=fact["kind"],
                    happened_at=fact["happened_at"],
                    recorded_at=self.now,
                    recorded_by=self.facilitator,
                    subject_type=fact["subject_type"],
                    subject_id=fact["subject_id"],
                    shared_text=fact["shared_text"],
                    previous_hash=previous,
                )
                entry.hash = previous = entry_hash(entry.chained_content(), previous)
                entries.append(entry)
        TrustEntry.objects.bulk_create(entries, batch_size=BATCH)

    # --- interactions -------------------------------------------------------------

    def _interactions(self) -> None:
        from partners.models import Interaction, InteractionKind

        kinds = [k for k, _label in InteractionKind.choices]
        busy = self.plan.busy_interactions
        others = len(self.organization_ids) - 1
        for start in range(0, self.plan.interactions, BATCH):
            interactions = []
            for i in range(start, min(self.plan.interactions, start + BATCH)):
                # The busy organization first, then the others in a scattered order.
                index = 0 if i < busy else 1 + ((i - busy) * 7919) % others
                interactions.append(
                    Interaction(
                        organization_id=self.organization_ids[index], kind=kinds[i % len(kinds)],
                        occurred_on=self.today - datetime.timedelta(days=(i * 3) % 720),
                        summary="Membahas jadwal pertemuan berikutnya dan kebutuhan pelatihan pengurus.",
                        follow_up="Kirim undangan lewat WhatsApp." if i % 3 == 0 else "",
                        recorded_by=self.facilitator,
                    )
                )  # fmt: skip
            interactions = _insert(Interaction, interactions, user=self.facilitator)
            _through(
                Interaction.contacts,
                [(x.pk, self._contacts_of(x.organization_id)[x.pk % CONTACTS_PER_ORGANIZATION]) for x in interactions],
                "interaction",
                "contact",
            )

    # --- through the services -----------------------------------------------------

    def _through_services(self) -> None:
        from engagements.models import Partnership
        from engagements.services.plans import plan_agree
        from engagements.services.sharing import share_link_create

        focal = Partnership.objects.get(pk=self.focal_id)
        plan_agree(user=self.facilitator, partnership=focal, summary="Rencana tahun pertama disepakati bersama.")
        link = share_link_create(
            user=self.facilitator,
            partnership=focal,
            expires_on=self.today + datetime.timedelta(days=30),
            label="Grup WhatsApp kemitraan",
            include_commitments=True,
        )
        self.share_token = link.token
