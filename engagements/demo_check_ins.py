"""Demo check-in rhythms: most partnerships on schedule, one due soon, one late.

The late one makes `make run` show a reminder email within a minute of start.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from engagements import services
from engagements.models import CheckIn, CheckInSchedule, Partnership

# title -> (cadence, interval, days since the last check-in, channel, summary)
# fmt: off
RHYTHMS: dict[str, tuple[str, int, int, str, str]] = {
    "Jaringan Bank Sampah Desa": (
        "weeks",
        2,
        18,
        "whatsapp_call",
        "Rekap setoran bulan ini dan jadwal pelatihan teller.",
    ),
    "Sekolah Lapang Mangrove Pesisir": ("weeks", 2, 5, "in_person", "Cek persemaian dan pembagian tugas patroli."),
    "Lumbung Benih dan Pasar Bersama Petani": ("days", 10, 9, "video", "Daftar benih lokal dan rencana kirim via pos."),
    "Literasi Digital untuk Pemuda Desa": ("monthly", 1, 40, "message", "Program dijeda menunggu pengurus baru."),
    "Siaga Tsunami untuk Anak dan Ibu Hamil di Pesisir": (
        "weeks",
        1,
        3,
        "phone",
        "Persiapan simulasi dan data ibu hamil.",
    ),
}
# fmt: on


@transaction.atomic
def demo_check_ins_load(*, user: User) -> int:
    """Idempotent: a partnership that already has a schedule is left alone."""
    loaded = 0
    partnerships = Partnership.objects.filter(title__in=RHYTHMS, schedule__isnull=True)
    for partnership in partnerships:
        cadence, interval, days_ago, channel, summary = RHYTHMS[partnership.title]
        held_at = timezone.now() - datetime.timedelta(days=days_ago, hours=2)
        schedule = CheckInSchedule(
            partnership=partnership,
            cadence=cadence,
            interval=interval,
            channel=channel,
            starts_on=timezone.localdate() - datetime.timedelta(days=days_ago + 30),
            paused=partnership.status == "paused",
        )
        services.schedule_save(user=user, schedule=schedule)
        check_in = CheckIn(partnership=partnership, held_at=held_at, channel=channel, summary=summary)
        check_in.next_steps = "Kirim notulen ke grup WhatsApp\nKonfirmasi tanggal pertemuan berikutnya"
        services.check_in_record(user=user, check_in=check_in)
        loaded += 1
    return loaded
