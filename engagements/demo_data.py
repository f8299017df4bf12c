"""Demo partnerships for `make run`: fictional work between the demo organizations.

Everything here is made up. Dates are offsets in days from today (negative is
in the past), so the demo always looks current: some activities are overdue,
some are due within two weeks, some are done. Loading is idempotent: a
partnership whose title is already there is skipped.

Every write goes through ``engagements.services``; only the timestamps those
services stamp as "now" (status changes, agreed revisions, progress
recorded-at, member joined-on) are moved back afterwards, as
``partners.demo_data`` does for stage changes.

Shapes of the nested data:

- ``members``: ``{alias: (organization name, MemberRole, joined offset)}``;
  the aliases name the members in goals and activities
- ``statuses``: ``(offset, PartnershipStatus, reason)``, oldest first, from
  "exploring"
- ``goals``: dicts; ``benefits`` is ``{alias: what they gain}``, ``progress``
  is ``[(offset, value, shared note)]``
- ``activities``: dicts; ``goal`` is an index into ``goals``; ``roles`` is
  ``{alias: "R" | "A" | "C" | "I" | (role, contact name)}`` with exactly one
  "A"; ``status`` is the status when the last revision was agreed; ``phase``
  is the revision the activity first appears in (default 0, the first)
- ``revisions``: ``(offset, summary)``, oldest first; each freezes the plan
  as it stood then
- ``changes``: made after the last revision, so the plan page shows them:
  ``{"activity": title, "due": offset}``, ``{"activity": title, "status":
  ActivityStatus}``, ``{"activity": title, "roles": {...}}`` or ``{"add":
  activity dict}``
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from engagements.models import (
    Activity,
    ActivityStatus,
    MemberRole,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    PlanRevision,
    ProgressUpdate,
    SharedGoal,
    StatusChange,
)
from engagements.services import (
    activity_save,
    activity_set_status,
    goal_save,
    member_add,
    partnership_save,
    partnership_set_status,
    plan_agree,
    progress_record,
)
from partners.demo import demo_users_create
from partners.demo_data import DEMO_FACILITATOR, demo_data_load
from partners.models import Contact, Organization

S = PartnershipStatus
R = MemberRole
DONE, IN_PROGRESS, PLANNED, CANCELLED = (
    ActivityStatus.DONE,
    ActivityStatus.IN_PROGRESS,
    ActivityStatus.PLANNED,
    ActivityStatus.CANCELLED,
)

PARTNERSHIPS: list[dict[str, Any]] = [
    {
        "title": "Jaringan Bank Sampah Desa",
        "purpose": (
            "Bank Sampah Berseri mendampingi bank sampah yang dikelola pemuda di tiga desa: pelatihan teller, "
            "pencatatan tabungan, akses ke pengepul dan laporan keuangan yang terbuka untuk nasabah. Tujuannya "
            "sampah tidak lagi dibakar atau dibuang ke sungai, dan tabungan sampah menjadi penghasilan warga."
        ),
        "shared_notes": (
            "Mentoring jarak jauh lewat video call setiap Selasa malam; kunjungan langsung bergiliran sebulan "
            "sekali. Rekap timbangan dikirim ke grup WhatsApp jaringan paling lambat tanggal 5."
        ),
        "internal_notes": (
            "Internal: ketua Karang Taruna baru (Dimas) masih konsolidasi, pembukuan lama belum diserahkan "
            "Yusuf. Jaga agar Bu Siti tidak terlalu mendominasi rapat; beri ruang pemuda bicara. Timbangan "
            "dibeli dari hibah kecil kantor kita, jangan dibahas di grup sebelum laporan hibah selesai."
        ),
        "created": -230,
        "start": -185,
        "end": 180,
        "members": {
            "berseri": ("Bank Sampah Berseri", R.LEAD, -200),
            "kt": ("Karang Taruna Tunas Harapan", R.CO_LEAD, -200),
            "stt": ("Sekaa Teruna Teruni Banjar Kaja", R.MEMBER, -200),
            "irma": ("Ikatan Remaja Masjid Al-Ikhlas", R.SUPPORTER, -150),
        },
        "statuses": [
            (-200, S.AGREED, "Rencana kolaboratif disepakati di balai desa Sidomulyo bersama tiga kelompok pemuda."),
            (-185, S.ACTIVE, "Penimbangan perdana di Sidomulyo: 86 kg sampah terpilah, 19 nasabah pertama."),
        ],
        "goals": [
            {
                "statement": "Sampah terpilah yang ditabung di bank sampah desa dampingan",
                "indicator": "Total timbangan bulanan dari semua bank sampah desa, menurut nota pengepul",
                "baseline": 0,
                "target": 1200,
                "unit": "kg per bulan",
                "start": -185,
                "target_date": 120,
                "benefits": {
                    "berseri": "Jaringan pemasok tetap sehingga harga jual ke pengepul besar lebih baik.",
                    "kt": "Kas Karang Taruna bertambah dari bagi hasil penjualan sampah; pemuda punya kegiatan rutin.",
                    "stt": "Sampah upacara di banjar terkelola, tidak lagi dibakar di belakang pura.",
                    "irma": "Jumat Bersih Sungai punya tempat menyetor sampah plastik yang terkumpul.",
                },
                "progress": [
                    (-150, 150, "Dua bank sampah sudah menimbang rutin; Banjar Kaja mulai bulan depan."),
                    (-120, 310, "Ketiga bank sampah menimbang rutin."),
                    (-90, 420, "Naik karena sampah odalan di Banjar Kaja ikut dipilah."),
                    (-45, 380, "Turun: harga plastik di pengepul anjlok dan pengurus Karang Taruna berganti."),
                    (-6, 690, "Sidomulyo 312 kg, Banjar Kaja 260 kg, Al-Ikhlas 118 kg. Nota pengepul ada di grup."),
                ],
            },
            {
                "statement": "Nasabah aktif yang menabung paling sedikit sebulan sekali",
                "indicator": "Nasabah dengan setoran dalam 30 hari terakhir di buku tabungan",
                "baseline": 0,
                "target": 150,
                "unit": "nasabah",
                "start": -185,
                "target_date": 120,
                "benefits": {
                    "berseri": "Model pendampingan yang bisa ditiru desa lain.",
                    "kt": "Warga mengenal Karang Taruna lewat layanan yang nyata.",
                    "stt": "Krama banjar punya tabungan kecil untuk keperluan upacara.",
                },
                "progress": [
                    (-140, 25, "Sebagian besar nasabah pertama adalah ibu-ibu PKK."),
                    (-90, 58, "Setoran bisa lewat pos ronda pada Minggu pagi."),
                    (-30, 81, "Sebagian nasabah berhenti saat harga turun; yang lain tetap menabung."),
                    (-5, 96, "Naik setelah sosialisasi di pengajian dan posyandu."),
                ],
            },
        ],
        "activities": [
            {
                "title": "Pelatihan teller dan pencatatan buku tabungan sampah",
                "goal": 1,
                "due": -170,
                "status": DONE,
                "roles": {"berseri": ("A", "Rudi Hartono"), "kt": "R", "stt": "R", "irma": "I"},
                "shared_notes": "Dua hari di Malang; 9 peserta dari tiga desa.",
            },
            {
                "title": "Timbangan gantung dan karung terpilah untuk tiga pos",
                "goal": 0,
                "due": -120,
                "status": DONE,
                "roles": {"berseri": "A", "kt": "R", "stt": "R"},
            },
            {
                "title": "Kunjungan mentoring bulanan ke setiap bank sampah desa",
                "goal": 0,
                "due": 9,
                "status": IN_PROGRESS,
                "roles": {"berseri": ("A", "Siti Mutmainah"), "kt": "C", "stt": "C", "irma": "I"},
                "description": "Satu kunjungan per bulan per desa; desa yang jauh lewat video call.",
            },
            {
                "title": "Laporan keuangan terbuka per semester di grup WhatsApp nasabah",
                "goal": 0,
                "due": 5,
                "status": PLANNED,
                "roles": {"berseri": "A", "kt": "R", "stt": "R", "irma": "I"},
                "internal_notes": (
                    "Periksa dulu angka bagi hasil Sidomulyo; ada selisih Rp85.000 dari masa pengurus lama."
                ),
            },
            {
                "title": "Pameran produk daur ulang di car free day Malang",
                "goal": 0,
                "due": 40,
                "status": PLANNED,
                "roles": {"berseri": ("A", "Wulan Sari"), "stt": "R", "kt": "C", "irma": "I"},
            },
            {
                "title": "Sosialisasi memilah sampah dari rumah di pengajian, posyandu dan banjar",
                "goal": 1,
                "due": -20,
                "status": PLANNED,
                "phase": 1,
                "roles": {"kt": ("A", "Nur Aisyah"), "stt": "R", "irma": "R", "berseri": "C"},
            },
            {
                "title": "Serah terima pembukuan bank sampah ke pengurus Karang Taruna yang baru",
                "goal": 1,
                "due": -10,
                "status": PLANNED,
                "phase": 1,
                "roles": {"kt": ("A", "Dimas Prasetyo"), "berseri": "C", "stt": "I"},
                "internal_notes": (
                    "Yusuf di Batam; minta Bayu (penasihat) menjembatani. Jangan sampai jadi soal tuduh-menuduh."
                ),
            },
        ],
        "revisions": [
            (-198, "Rencana awal: pelatihan teller, timbangan untuk tiga pos, mentoring bulanan, laporan terbuka."),
            (
                -35,
                "Revisi setelah pergantian ketua Karang Taruna: tambah serah terima pembukuan dan sosialisasi "
                "memilah sampah agar nasabah yang berhenti kembali menabung.",
            ),
        ],
        "changes": [
            {
                "activity": "Sosialisasi memilah sampah dari rumah di pengajian, posyandu dan banjar",
                "status": IN_PROGRESS,
            },
            {"activity": "Laporan keuangan terbuka per semester di grup WhatsApp nasabah", "due": 12},
        ],
    },
    {
        "title": "Sekolah Lapang Mangrove Pesisir",
        "purpose": (
            "Kelompok pesisir di tiga pulau belajar bersama memulihkan mangrove: persemaian, penanaman, "
            "penyulaman dan patroli. Mangrove yang sehat melindungi kampung dari abrasi dan menjadi tempat "
            "ikan dan kepiting berkembang biak, sehingga hasil tangkapan nelayan ikut pulih."
        ),
        "shared_notes": (
            "Setiap kelompok menanam di pantainya sendiri dan berbagi foto serta data tingkat hidup bibit di "
            "grup WhatsApp. Pertemuan rutin daring setiap Kamis kedua, pukul 16.00 WITA."
        ),
        "internal_notes": (
            "Internal: Maria (Pantai Lestari) melaporkan penebangan di blok utara tapi kelompok takut melapor; "
            "jangan sebut nama pelapor di grup. Daeng Rahman lebih tertarik cold box daripada mangrove; "
            "kaitkan manfaat mangrove dengan hasil tangkapan supaya Bina Samudra tetap terlibat."
        ),
        "created": -160,
        "start": -100,
        "end": 265,
        "members": {
            "lestari": ("Kelompok Pelestari Mangrove Pantai Lestari", R.LEAD, -120),
            "nelayan": ("Kelompok Nelayan Bina Samudra", R.CO_LEAD, -120),
            "perempuan": ("Kelompok Perempuan Pesisir Sinar Laut", R.MEMBER, -120),
            "pokdarwis": ("Pokdarwis Bukit Biru", R.SUPPORTER, -105),
        },
        "statuses": [
            (-120, S.AGREED, "Ketiga kelompok pesisir sepakat pada tujuan bersama dan pembagian peran."),
            (-100, S.ACTIVE, "Persemaian bersama dimulai; bibit pertama dari Pantai Lestari."),
        ],
        "goals": [
            {
                "statement": "Bibit mangrove yang ditanam dan masih hidup setelah enam bulan",
                "indicator": "Hitungan bibit hidup per blok saat monitoring",
                "baseline": 0,
                "target": 6000,
                "unit": "bibit hidup",
                "start": -100,
                "target_date": 265,
                "benefits": {
                    "lestari": "Target tanam tahunan kelompok tercapai dengan tenaga tambahan.",
                    "nelayan": "Tempat pemijahan ikan dan kepiting di dekat kampung pulih.",
                    "perempuan": "Bahan kayu bakar pengasapan tidak lagi diambil dari mangrove yang tersisa.",
                    "pokdarwis": "Belajar mengelola ekowisata mangrove untuk paket wisata di Berau.",
                },
                "progress": [
                    (-80, 900, "Penanaman pertama di blok selatan Tarakan."),
                    (-50, 1900, "Galesong mulai menanam di muara."),
                    (-20, 2300, "Sebagian bibit di blok utara hilang; penyulaman dijadwalkan."),
                    (-4, 2650, "Hitungan terbaru dari tiga lokasi."),
                ],
            },
            {
                "statement": "Tingkat hidup bibit enam bulan setelah tanam",
                "indicator": "Persen bibit hidup di petak contoh per blok",
                "baseline": 64,
                "target": 75,
                "unit": "%",
                "start": -100,
                "target_date": 80,
                "benefits": {
                    "lestari": "Data tingkat hidup untuk meyakinkan donatur bibit.",
                    "nelayan": "Belajar teknik tanam yang cocok untuk pantai berlumpur di Galesong.",
                    "perempuan": "Ikut memantau dan mendapat upah harian dari monitoring.",
                },
                "progress": [
                    (-70, 66, "Teknik guludan mulai dipakai."),
                    (-35, 68, "Teritip menempel di bibit muda; dibersihkan saat surut."),
                    (-7, 70, "Petak contoh di tiga lokasi."),
                ],
            },
        ],
        "activities": [
            {
                "title": "Persemaian bersama 3.000 bibit Rhizophora",
                "goal": 0,
                "due": -75,
                "status": DONE,
                "roles": {"lestari": ("A", "Hendra Gunawan"), "perempuan": "R", "nelayan": "C", "pokdarwis": "I"},
            },
            {
                "title": "Tukar belajar ke Tarakan: teknik tanam dan penyulaman",
                "goal": 1,
                "due": -45,
                "status": DONE,
                "roles": {"lestari": "A", "nelayan": ("R", "Andi Baso"), "perempuan": "R", "pokdarwis": "I"},
                "shared_notes": "Lima orang dari Galesong dan dua dari Maluku Tengah ikut.",
            },
            {
                "title": "Penanaman serentak di blok selatan dan muara Galesong",
                "goal": 0,
                "due": -15,
                "status": IN_PROGRESS,
                "roles": {"nelayan": ("A", "Daeng Rahman"), "lestari": "R", "pokdarwis": "R", "perempuan": "I"},
                "internal_notes": "Tertunda karena musim angin barat; perlu bibit tambahan 500 dari Pantai Lestari.",
            },
            {
                "title": "Monitoring tingkat hidup bibit per blok (foto dan titik GPS)",
                "goal": 1,
                "due": 13,
                "status": PLANNED,
                "roles": {"pokdarwis": ("A", "Febriyanti"), "lestari": "R", "perempuan": "R", "nelayan": "I"},
            },
            {
                "title": "Uji coba olahan buah mangrove: sirup dan dodol",
                "goal": 0,
                "due": 30,
                "status": PLANNED,
                "roles": {"perempuan": ("A", "Salma Tuasikal"), "lestari": "C", "nelayan": "I"},
            },
            {
                "title": "Paket wisata susur mangrove: rute dan harga bersama",
                "goal": 0,
                "due": 60,
                "status": PLANNED,
                "roles": {"pokdarwis": "A", "lestari": "C", "nelayan": "I", "perempuan": "I"},
            },
            {
                "title": "Patroli bulanan dan pencatatan penebangan liar",
                "goal": 1,
                "due": 6,
                "status": PLANNED,
                "phase": 1,
                "roles": {"lestari": ("A", "Maria Yohana"), "nelayan": "R", "pokdarwis": "C"},
                "internal_notes": "Catatan patroli tidak memuat nama warga; foto dikirim langsung ke fasilitator.",
            },
        ],
        "revisions": [
            (-118, "Rencana awal: persemaian, tukar belajar, penanaman serentak, monitoring, olahan dan wisata."),
            (-12, "Evaluasi triwulan: tambah patroli bulanan setelah ada penebangan di blok utara."),
        ],
        "changes": [
            {
                "activity": "Monitoring tingkat hidup bibit per blok (foto dan titik GPS)",
                "roles": {"lestari": ("A", "Hendra Gunawan"), "pokdarwis": "R", "perempuan": "R", "nelayan": "I"},
            },
            {"activity": "Uji coba olahan buah mangrove: sirup dan dodol", "due": 45},
        ],
    },
    {
        "title": "Lumbung Benih dan Pasar Bersama Petani",
        "purpose": (
            "Kelompok tani dan kelompok wanita tani saling berbagi benih lokal yang tahan hama dan kekeringan, "
            "dan menjual beras organik serta olahan langsung ke konsumen, supaya tidak bergantung pada benih "
            "bantuan dan harga tengkulak."
        ),
        "shared_notes": (
            "Benih dikirim dengan label nama varietas, asal dan umur panen. Harga jual bersama dibahas di "
            "pertemuan rutin daring setiap awal bulan; semua catatan penjualan dibuka di grup."
        ),
        "internal_notes": (
            "Internal: target penjualan terlalu optimistis; musim tanam di Bantul mundur dua minggu karena air "
            "irigasi terlambat. Bu Sri Wahyuni sangat teliti soal uang: libatkan beliau sejak awal dalam "
            "keputusan harga. Kampung Sejahtera masih menunggu listrik PLN untuk penggilingan."
        ),
        "created": -260,
        "start": -215,
        "end": 150,
        "members": {
            "srirejeki": ("Kelompok Tani Sri Rejeki", R.LEAD, -230),
            "melati": ("Kelompok Wanita Tani Melati Harum", R.CO_LEAD, -230),
            "merauke": ("Kelompok Tani Kampung Sejahtera", R.MEMBER, -230),
            "ibupintar": ("Komunitas Ibu Pintar Digital", R.SUPPORTER, -160),
        },
        "statuses": [
            (-230, S.AGREED, "Disepakati di pertemuan daring: lumbung benih bersama dan penjualan langsung."),
            (-215, S.ACTIVE, "Inventarisasi benih dimulai di ketiga kelompok."),
        ],
        "goals": [
            {
                "statement": "Varietas benih lokal yang tersimpan dan dibagikan di lumbung benih bersama",
                "indicator": "Varietas dengan label lengkap dan stok cukup untuk satu musim tanam",
                "baseline": 4,
                "target": 20,
                "unit": "varietas",
                "start": -215,
                "target_date": 150,
                "benefits": {
                    "srirejeki": "Benih padi lokal yang tahan wereng tanpa membeli setiap musim.",
                    "melati": "Rumah bibit nagari mendapat varietas cabai dan sayur baru.",
                    "merauke": "Benih yang cocok dengan lahan rawa, tidak hanya benih bantuan.",
                },
                "progress": [
                    (-180, 6, "Dua varietas padi lokal dari Bantul masuk lumbung."),
                    (-120, 10, "Cabai lokal dan kunyit dari Agam."),
                    (-60, 13, "Padi lokal dari Merauke tiba lewat kapal perintis."),
                    (-14, 15, "Dua varietas sayur daun ditambahkan."),
                ],
            },
            {
                "statement": "Beras organik dan olahan yang terjual langsung ke konsumen",
                "indicator": "Penjualan per bulan di luar tengkulak, menurut catatan penjualan bersama",
                "baseline": 0,
                "target": 1000,
                "unit": "kg per bulan",
                "start": -150,
                "target_date": 60,
                "benefits": {
                    "srirejeki": "Harga beras organik sekitar 30% di atas harga tengkulak.",
                    "melati": "Pasar untuk olahan kunyit dan cabai.",
                    "merauke": "Belajar cara menjual langsung sebelum penggilingan sendiri berjalan.",
                    "ibupintar": "Cerita sukses nyata untuk kelas jualan online komunitas.",
                },
                "progress": [
                    (-120, 80, "Pre-order pertama dari kenalan di Kota Yogyakarta."),
                    (-90, 150, "Olahan kunyit mulai dijual."),
                    (-45, 260, "Pesanan naik setelah kelas foto produk."),
                    (-10, 290, "Stok beras menipis: panen mundur karena air irigasi terlambat."),
                ],
            },
        ],
        "activities": [
            {
                "title": "Inventarisasi benih lokal tiap kelompok (nama, asal, umur panen)",
                "goal": 0,
                "due": -190,
                "status": DONE,
                "roles": {"srirejeki": ("A", "Andi Kurniawan"), "melati": "R", "merauke": "R"},
            },
            {
                "title": "Kirim-kiriman benih antarkelompok lewat pos dan kapal perintis",
                "goal": 0,
                "due": -100,
                "status": DONE,
                "roles": {"melati": ("A", "Yusnimar"), "srirejeki": "R", "merauke": "R", "ibupintar": "I"},
            },
            {
                "title": "Kelas foto produk dan jualan online untuk pengurus",
                "goal": 1,
                "due": -60,
                "status": DONE,
                "roles": {"ibupintar": ("A", "Anindya Putri"), "srirejeki": "R", "melati": "R", "merauke": "I"},
            },
            {
                "title": "Pre-order beras organik ke konsumen di Kota Yogyakarta",
                "goal": 1,
                "due": -8,
                "status": PLANNED,
                "roles": {"srirejeki": ("A", "Sri Wahyuni"), "ibupintar": "C", "melati": "I", "merauke": "I"},
                "internal_notes": "Risiko: stok belum pasti sampai panen; jangan janjikan tanggal kirim dulu.",
            },
            {
                "title": "Izin PIRT untuk olahan kunyit dan cabai",
                "goal": 1,
                "due": 10,
                "status": IN_PROGRESS,
                "roles": {"melati": ("A", "Efi Rahmawati"), "srirejeki": "C", "ibupintar": "I"},
            },
            {
                "title": "Pertemuan rutin daring: harga, stok dan kualitas",
                "goal": 1,
                "due": 4,
                "status": PLANNED,
                "roles": {"srirejeki": "A", "melati": "R", "merauke": "R", "ibupintar": "C"},
            },
            {
                "title": "Uji tanam benih padi lokal Bantul di Merauke",
                "goal": 0,
                "due": 45,
                "status": PLANNED,
                "roles": {"merauke": ("A", "Paulus Gebze"), "srirejeki": "C", "melati": "I"},
            },
        ],
        "revisions": [
            (-40, "Rencana disepakati ulang setelah kelas foto produk: fokus ke pre-order dan izin PIRT."),
        ],
        "changes": [
            {"activity": "Pre-order beras organik ke konsumen di Kota Yogyakarta", "status": IN_PROGRESS},
            {
                "add": {
                    "title": "Cari dua toko organik di Yogyakarta sebagai pembeli tetap",
                    "goal": 1,
                    "due": 14,
                    "status": PLANNED,
                    "roles": {"srirejeki": ("A", "Sukardi"), "ibupintar": "R", "melati": "I"},
                }
            },
        ],
    },
    {
        "title": "Literasi Digital untuk Pemuda Desa",
        "purpose": (
            "Pemuda desa belajar desain grafis, jualan online dan keamanan digital dari komunitas daring, "
            "dengan materi yang juga bisa dipakai teman-teman tunanetra lewat pembaca layar."
        ),
        "shared_notes": (
            "Kelas daring setiap Sabtu pukul 19.00 WIB. Rekaman dan modul dibagikan di Google Drive "
            "bersama. Kegiatan dijeda sampai pengurus Karang Taruna yang baru siap."
        ),
        "internal_notes": (
            "Internal: jeda karena pergantian ketua Karang Taruna (Yusuf merantau ke Batam, Dimas terpilih). "
            "Risiko peserta hilang kalau jeda lebih dari dua bulan. Ngoding Bareng butuh dana kuota internet; "
            "jangan janjikan apa pun sebelum ada kepastian pendanaan."
        ),
        "created": -170,
        "start": -125,
        "end": 120,
        "members": {
            "ibupintar": ("Komunitas Ibu Pintar Digital", R.LEAD, -140),
            "kt": ("Karang Taruna Tunas Harapan", R.CO_LEAD, -140),
            "ngoding": ("Komunitas Ngoding Bareng Medan", R.MEMBER, -140),
            "netra": ("Komunitas Sahabat Netra Bangka", R.SUPPORTER, -130),
        },
        "statuses": [
            (-140, S.AGREED, "Kurikulum enam minggu disepakati; Karang Taruna mengumpulkan peserta."),
            (-125, S.ACTIVE, "Kelas pertama: 22 pemuda ikut."),
            (
                -40,
                S.PAUSED,
                "Pergantian ketua Karang Taruna; pengurus baru minta waktu konsolidasi. Disepakati jeda dua bulan.",
            ),
        ],
        "goals": [
            {
                "statement": "Pemuda yang lulus kelas desain grafis dan jualan online",
                "indicator": "Peserta yang menyelesaikan tugas akhir: desain produk dan satu toko online aktif",
                "baseline": 0,
                "target": 20,
                "unit": "orang",
                "start": -125,
                "target_date": 120,
                "benefits": {
                    "ibupintar": "Modul kelas teruji pada peserta di luar komunitas ibu-ibu.",
                    "kt": "Pemuda punya keterampilan untuk usaha tanpa harus merantau.",
                    "ngoding": "Relawan mentor mendapat pengalaman mengajar.",
                    "netra": "Anggota tunanetra ikut kelas yang sama.",
                },
                "progress": [
                    (-90, 6, "Angkatan pertama selesai kelas desain."),
                    (-60, 11, "Lima peserta membuka toko online pertama."),
                    (-42, 12, "Angka terakhir sebelum jeda."),
                ],
            },
            {
                "statement": "Modul belajar yang ramah pembaca layar dan bisa dipakai ulang",
                "indicator": "Modul yang lolos uji baca dengan pembaca layar oleh anggota tunanetra",
                "baseline": 0,
                "target": 8,
                "unit": "modul",
                "start": -125,
                "target_date": 60,
                "benefits": {
                    "ibupintar": "Materi bisa dipakai ulang di kelas live komunitas.",
                    "netra": "Materi literasi digital yang benar-benar bisa diakses.",
                    "ngoding": "Praktik membuat materi aksesibel.",
                },
                "progress": [
                    (-95, 1, "Modul keamanan akun WhatsApp."),
                    (-70, 3, "Modul Canva dasar dan foto produk."),
                    (-45, 5, "Dua modul jualan online lolos uji baca."),
                ],
            },
        ],
        "activities": [
            {
                "title": "Survei minat dan jenis HP peserta",
                "goal": 0,
                "due": -115,
                "status": DONE,
                "roles": {"kt": ("A", "Nur Aisyah"), "ibupintar": "C", "ngoding": "I", "netra": "I"},
            },
            {
                "title": "Kelas daring desain grafis dengan Canva (enam pertemuan)",
                "goal": 0,
                "due": -70,
                "status": DONE,
                "roles": {"ngoding": ("A", "Putri Handayani Nasution"), "ibupintar": "R", "kt": "R", "netra": "I"},
            },
            {
                "title": "Uji baca modul dengan pembaca layar",
                "goal": 1,
                "due": -50,
                "status": DONE,
                "roles": {"netra": ("A", "Hendrik Wijaya"), "ngoding": "R", "ibupintar": "I"},
            },
            {
                "title": "Kelas jualan online dan keamanan transaksi",
                "goal": 0,
                "due": -25,
                "status": PLANNED,
                "roles": {"ibupintar": ("A", "Anindya Putri"), "kt": "R", "netra": "C"},
            },
            {
                "title": "Kuota internet untuk peserta di luar kota",
                "goal": 0,
                "due": -30,
                "status": CANCELLED,
                "roles": {"ngoding": ("A", "Kevin Sitompul"), "ibupintar": "C", "kt": "I"},
                "shared_notes": "Dibatalkan: belum ada dana; peserta belajar dari rekaman.",
            },
            {
                "title": "Pendampingan toko online pemuda, satu mentor untuk dua peserta",
                "goal": 0,
                "due": 20,
                "status": PLANNED,
                "roles": {"ngoding": "A", "kt": "R", "ibupintar": "I"},
            },
        ],
        "revisions": [
            (-138, "Kurikulum enam minggu: survei, desain grafis, uji baca modul, jualan online, pendampingan."),
            (-38, "Disesuaikan saat jeda: kuota internet dibatalkan, kelas jualan online ditunda."),
        ],
        "changes": [
            {
                "add": {
                    "title": "Rapat konsolidasi dengan pengurus baru Karang Taruna",
                    "goal": 0,
                    "due": 7,
                    "status": PLANNED,
                    "roles": {"kt": ("A", "Dimas Prasetyo"), "ibupintar": "R", "ngoding": "C", "netra": "I"},
                    "internal_notes": "Tujuan: memastikan Dimas ingin melanjutkan sebelum kemitraan diaktifkan lagi.",
                }
            },
        ],
    },
    {
        "title": "Siaga Tsunami untuk Anak dan Ibu Hamil di Pesisir",
        "purpose": (
            "Relawan siaga bencana, taman baca dan bidan desa menyusun dan menguji modul siaga tsunami yang "
            "mudah dipahami anak-anak, dan jalur evakuasi yang memperhatikan ibu hamil."
        ),
        "shared_notes": (
            "Rencana disepakati dan mulai setelah libur sekolah. Draf modul ada di folder bersama; masukan "
            "ditulis sebagai komentar, bukan diedit langsung."
        ),
        "internal_notes": (
            "Internal: Relawan Siaga Pantai masih tahap membangun kepercayaan; jaga janji kecil dulu (buku saku "
            "tepat waktu). Bidan Mamuju sangat sibuk: pertemuan maksimal satu jam, di luar jam posyandu."
        ),
        "created": -75,
        "start": 12,
        "end": 300,
        "members": {
            "relawan": ("Relawan Siaga Pantai Bengkulu", R.LEAD, -20),
            "tamanbaca": ("Taman Baca Pelita Pesisir", R.MEMBER, -20),
            "bidan": ("Jaringan Bidan Desa Mamuju", R.SUPPORTER, -20),
        },
        "statuses": [
            (-20, S.AGREED, "Rencana disepakati di pertemuan daring; mulai setelah libur sekolah."),
        ],
        "goals": [
            {
                "statement": "Sekolah pesisir yang melakukan simulasi evakuasi dengan modul bersama",
                "indicator": "Simulasi dengan modul bersama, dicatat waktu evakuasinya",
                "baseline": 0,
                "target": 12,
                "unit": "sekolah",
                "start": -20,
                "target_date": 240,
                "benefits": {
                    "relawan": "Modul yang teruji untuk target 20 sekolah per tahun.",
                    "tamanbaca": "Materi baca tentang laut dan keselamatan untuk anak nelayan.",
                    "bidan": "Sekolah mengenal bidan desa sebagai bagian dari tim siaga.",
                },
                "progress": [
                    (-15, 1, "SD pesisir di Bengkulu memakai draf modul pada simulasi rutin."),
                    (-3, 2, "Simulasi kedua; 300 siswa keluar dalam 8 menit."),
                ],
            },
            {
                "statement": "Bidan dan kader yang terlatih mendampingi ibu hamil saat evakuasi",
                "indicator": "Peserta yang lulus pelatihan dan ikut satu simulasi",
                "baseline": 0,
                "target": 40,
                "unit": "orang",
                "start": -20,
                "target_date": 240,
                "benefits": {
                    "bidan": "Ibu hamil risiko tinggi tercatat di rencana evakuasi desa.",
                    "relawan": "Tim relawan tahu cara mendampingi ibu hamil.",
                },
                "progress": [
                    (-14, 0, "Pendataan awal: belum ada bidan yang pernah ikut simulasi evakuasi."),
                    (-2, 3, "Tiga bidan Mamuju ikut simulasi Relawan secara daring sebagai uji coba."),
                ],
            },
        ],
        "activities": [
            {
                "title": "Menyusun draf modul siaga tsunami untuk anak SD",
                "goal": 0,
                "due": -25,
                "status": DONE,
                "roles": {"relawan": ("A", "Desi Purnamasari"), "tamanbaca": ("R", "Rina Marlina"), "bidan": "C"},
            },
            {
                "title": "Uji baca modul bersama anak-anak taman baca",
                "goal": 0,
                "due": 5,
                "status": PLANNED,
                "roles": {"tamanbaca": ("A", "Rina Marlina"), "relawan": "C"},
            },
            {
                "title": "Daftar ibu hamil risiko tinggi per desa untuk jalur evakuasi",
                "goal": 1,
                "due": 10,
                "status": PLANNED,
                "roles": {"bidan": ("A", "Nurhaedah"), "relawan": "C"},
                "internal_notes": "Data ibu hamil tidak pernah dibagikan di grup; hanya jumlah per desa.",
            },
            {
                "title": "Simulasi evakuasi pertama dengan modul bersama di SD pesisir Bengkulu",
                "goal": 0,
                "due": 21,
                "status": PLANNED,
                "roles": {"relawan": ("A", "Rahmat Hidayat"), "bidan": "C", "tamanbaca": "I"},
            },
            {
                "title": "Pelatihan daring pendampingan ibu hamil saat evakuasi",
                "goal": 1,
                "due": 35,
                "status": PLANNED,
                "roles": {"bidan": ("A", "Asriani"), "relawan": "R", "tamanbaca": "I"},
            },
            {
                "title": "Cetak dan kirim 300 buku saku siaga bencana",
                "goal": 0,
                "due": 50,
                "status": PLANNED,
                "roles": {"relawan": "A", "tamanbaca": "R", "bidan": "I"},
            },
        ],
        "revisions": [
            (-20, "Rencana pertama: modul anak, data ibu hamil, simulasi, pelatihan bidan, buku saku."),
        ],
        "changes": [
            {"activity": "Uji baca modul bersama anak-anak taman baca", "due": 8},
        ],
    },
]


def demo_partnerships_load(*, user: User | None = None) -> int:
    """Load the demo partnerships that are not there yet; return how many were loaded.

    Recorded as the demo facilitator unless another user is given. Loads the
    demo users and organizations first if they are missing.
    """
    if user is None:
        user = User.objects.filter(username=DEMO_FACILITATOR).first()
    if user is None:
        demo_users_create()
        user = User.objects.get(username=DEMO_FACILITATOR)
    needed = {name for data in PARTNERSHIPS for name, _role, _joined in data["members"].values()}
    if Organization.objects.filter(name__in=needed).exclude(mission="").count() < len(needed):
        demo_data_load(user=user)
    today = timezone.localdate()
    loaded = 0
    for data in PARTNERSHIPS:
        with transaction.atomic():
            if Partnership.objects.filter(title=data["title"]).exists():
                continue
            _partnership_load(data, user=user, today=today)
            loaded += 1
    return loaded


def _partnership_load(data: dict[str, Any], *, user: User, today: datetime.date) -> None:
    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    partnership = partnership_save(
        user=user,
        partnership=Partnership(
            title=data["title"],
            purpose=data["purpose"],
            shared_notes=data["shared_notes"],
            internal_notes=data["internal_notes"],
            start_date=day(data["start"]),
            end_date=day(data["end"]),
            created_at=_moment(day(data["created"])),
        ),
    )

    members: dict[str, PartnershipMember] = {}
    for alias, (name, role, joined) in data["members"].items():
        member = member_add(partnership=partnership, organization=Organization.objects.get(name=name), role=role)
        PartnershipMember.objects.filter(pk=member.pk).update(joined_on=day(joined))
        members[alias] = member

    for offset, status, reason in data["statuses"]:
        change = partnership_set_status(user=user, partnership=partnership, status=status, reason=reason)
        StatusChange.objects.filter(pk=change.pk).update(changed_at=_moment(day(offset)))

    goals = []
    for spec in data["goals"]:
        goal = goal_save(
            user=user,
            goal=SharedGoal(
                partnership=partnership,
                statement=spec["statement"],
                success_indicator=spec["indicator"],
                baseline=Decimal(spec["baseline"]),
                target=Decimal(spec["target"]),
                unit=spec["unit"],
                start_date=day(spec["start"]),
                target_date=day(spec["target_date"]),
                created_at=_moment(day(spec["start"])),
            ),
            benefits={members[alias]: text for alias, text in spec["benefits"].items()},
        )
        for offset, value, note in spec["progress"]:
            update = progress_record(user=user, goal=goal, value=Decimal(value), measured_on=day(offset), note=note)
            ProgressUpdate.objects.filter(pk=update.pk).update(recorded_at=_moment(day(offset)))
        goals.append(goal)

    def activity_add(spec: dict[str, Any], status: str) -> Activity:
        roles, contacts = _roles(spec["roles"], members)
        return activity_save(
            user=user,
            activity=Activity(
                partnership=partnership,
                goal=goals[spec["goal"]] if spec.get("goal") is not None else None,
                title=spec["title"],
                description=spec.get("description", ""),
                due_date=day(spec["due"]),
                status=status,
                shared_notes=spec.get("shared_notes", ""),
                internal_notes=spec.get("internal_notes", ""),
            ),
            roles=roles,
            contacts=contacts,
        )

    # The plan grows revision by revision: activities start out planned, and
    # reach the status they have in the data by the last agreed revision.
    revisions = data["revisions"]
    last_phase = max(0, len(revisions) - 1)
    activities: dict[str, Activity] = {}
    for phase in range(last_phase + 1):
        if phase == last_phase:
            for spec in data["activities"]:
                activity = activities.get(spec["title"])
                if activity is not None and activity.status != spec["status"]:
                    activity_set_status(user=user, activity=activity, status=spec["status"])
        for spec in data["activities"]:
            if spec.get("phase", 0) == phase:
                activities[spec["title"]] = activity_add(spec, spec["status"] if phase == last_phase else PLANNED)
        if revisions:
            offset, summary = revisions[phase]
            revision = plan_agree(user=user, partnership=partnership, summary=summary)
            PlanRevision.objects.filter(pk=revision.pk).update(agreed_at=_moment(day(offset)))

    for change in data["changes"]:
        if "add" in change:
            activities[change["add"]["title"]] = activity_add(change["add"], change["add"]["status"])
            continue
        activity = activities[change["activity"]]
        if "status" in change:
            activity_set_status(user=user, activity=activity, status=change["status"])
        if "due" in change:
            activity.due_date = day(change["due"])
            activity_save(user=user, activity=activity, changed_fields=["due_date"])
        if "roles" in change:
            roles, contacts = _roles(change["roles"], members)
            activity_save(user=user, activity=activity, roles=roles, contacts=contacts, changed_fields=["roles"])


def _roles(
    spec: dict[str, str | tuple[str, str]], members: dict[str, PartnershipMember]
) -> tuple[dict[PartnershipMember, str], dict[PartnershipMember, Contact]]:
    """RACI letters by member, and the named person where the data gives one."""
    roles, contacts = {}, {}
    for alias, value in spec.items():
        member = members[alias]
        role, person = (value, None) if isinstance(value, str) else value
        roles[member] = role
        if person:
            contact = Contact.objects.filter(organization_id=member.organization_id, name=person).first()
            if contact is not None:
                contacts[member] = contact
    return roles, contacts


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=timezone.get_current_timezone())
