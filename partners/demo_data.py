"""Demo organizations for `make run`: fictional groups across Indonesia.

Every person, phone number (08xx-0000-....), email (example.org) and social
media handle here is made up. Dates are days before today, so the demo always
looks current. Loading is idempotent: a group whose name is already there is
skipped, unless it is the bare placeholder that ``demo_users_create()`` makes
for a demo partner member, which gets filled in.

Shapes of the nested data:

- ``channels``: ``(ChannelKind, address)``
- ``stages``: ``(days_ago, Stage, reason)``, oldest first, from "identified"
- ``contacts``: dicts; ``channel``, ``language`` and ``consent`` are optional
  (consent defaults to "yes, since first contact" once we have met the group)
- ``leaders``: ``(name, title, started_days_ago)``, oldest first; a name that
  is not among the contacts is recorded as a new contact
- ``interactions``: ``(days_ago, InteractionKind, summary, follow_up, contact names)``
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from partners.demo import demo_users_create
from partners.models import (
    Channel,
    ChannelKind,
    Contact,
    ContactLanguage,
    FundingStability,
    InteractionKind,
    Kind,
    LegalStatus,
    Organization,
    PreferredChannel,
    Stage,
    StageChange,
)
from partners.phones import normalise_phone
from partners.services import (
    contact_save,
    interaction_record,
    leadership_change,
    leadership_record,
    organization_save,
    organization_set_stage,
)

DEMO_FACILITATOR = "fasilitator"

ORGANIZATIONS: list[dict[str, Any]] = [
    {
        "name": "Karang Taruna Tunas Harapan",
        "kind": Kind.YOUTH,
        "province": "33",
        "regency": "Kabupaten Klaten",
        "founded_year": 2008,
        "approx_members": 45,
        "approx_reach": 1500,
        "mission": (
            "Menggerakkan pemuda Desa Sidomulyo untuk kegiatan sosial, olahraga dan usaha bersama, "
            "supaya anak muda tidak harus merantau untuk bisa berkarya."
        ),
        "values": "Gotong royong, kekeluargaan, terbuka untuk semua pemuda desa tanpa memandang latar belakang.",
        "own_goals": (
            "Menghidupkan kembali bank sampah desa; pelatihan desain grafis dan jualan online untuk 20 pemuda; "
            "turnamen voli antar-RT setiap Agustus."
        ),
        "focus_areas": ["pemuda", "pengelolaan sampah", "literasi digital", "UMKM"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "KT Tunas Harapan Sidomulyo (±80 anggota)"),
            (ChannelKind.INSTAGRAM, "@kt_tunasharapan_sdm"),
        ],
        "funding_sources": (
            "Iuran anggota Rp5.000/bulan, dana desa untuk kegiatan Agustusan, jualan kopi di acara desa."
        ),
        "funding_stability": FundingStability.IRREGULAR,
        "internal_notes": (
            "Setelah pergantian ketua, cek lagi apakah jadwal pertemuan rutin Sabtu pertama masih disepakati. "
            "Dimas lebih nyaman lewat WA daripada telepon."
        ),
        "since": 420,
        "stages": [
            (400, Stage.FIRST_CONTACT, "Dikenalkan oleh perangkat desa saat musrenbang; ketua bersedia bertemu."),
            (330, Stage.BUILDING_TRUST, "Dua kali pertemuan; mereka menunjukkan buku kas secara terbuka."),
            (200, Stage.PARTNERING, "Sepakat bersama menghidupkan bank sampah desa; rencana kolaboratif disusun."),
        ],
        "contacts": [
            {"name": "Dimas Prasetyo", "role": "Ketua", "phone": "0812-0000-0101"},
            {"name": "Nur Aisyah", "role": "Sekretaris", "phone": "0813-0000-0102", "email": "nur.aisyah@example.org"},
            {"name": "Bayu Nugroho", "role": "Penasihat (mantan ketua)", "phone": "0857-0000-0103"},
            {"name": "Yusuf Hidayat", "role": "Mantan ketua (merantau ke Batam)", "phone": "0821-0000-0104"},
        ],
        "leaders": [
            ("Bayu Nugroho", "Ketua", 2100),
            ("Yusuf Hidayat", "Ketua", 900),
            ("Dimas Prasetyo", "Ketua", 45),
        ],
        "interactions": [
            (
                400,
                InteractionKind.MEETING,
                "Bertemu ketua (saat itu Yusuf) dan sekretaris di balai desa. Bank sampah desa berhenti sejak "
                "pengurus lamanya pindah; mereka ingin menghidupkannya lagi.",
                "Kirim contoh buku tabungan sampah.",
                ["Yusuf Hidayat", "Nur Aisyah"],
            ),
            (
                200,
                InteractionKind.MEETING,
                "Menyusun rencana kolaboratif bank sampah: siapa menimbang, siapa mencatat, pertemuan rutin "
                "setiap Sabtu pertama.",
                "",
                ["Yusuf Hidayat", "Nur Aisyah", "Bayu Nugroho"],
            ),
            (
                45,
                InteractionKind.VISIT,
                "Musyawarah pemilihan ketua: Dimas Prasetyo terpilih menggantikan Yusuf yang merantau ke Batam. "
                "Dimas ingin melanjutkan bank sampah tapi minta waktu konsolidasi pengurus.",
                "Perkenalkan ulang kemitraan dan tujuan bersama ke pengurus baru.",
                ["Dimas Prasetyo", "Nur Aisyah"],
            ),
            (
                6,
                InteractionKind.MESSAGE,
                "WA dari Nur: penimbangan bulan ini 312 kg, foto nota pengepul terlampir.",
                "Bagikan di grup kemitraan.",
                ["Nur Aisyah"],
            ),
        ],
    },
    {
        "name": "Kelompok Tani Sri Rejeki",
        "kind": Kind.FARMER_FISHER,
        "province": "34",
        "regency": "Kabupaten Bantul",
        "founded_year": 1998,
        "approx_members": 62,
        "approx_reach": 400,
        "mission": (
            "Meningkatkan hasil panen padi dan sayuran anggota dengan pertanian ramah lingkungan, dan menjual "
            "bersama supaya harga tidak dipermainkan tengkulak."
        ),
        "values": "Jujur dalam timbangan, musyawarah, saling bantu saat gagal panen.",
        "own_goals": (
            "Separuh lahan anggota beralih ke pupuk organik dalam tiga musim tanam; lumbung pangan kelompok; "
            "menjual beras organik langsung ke konsumen di Kota Yogyakarta."
        ),
        "focus_areas": ["pertanian organik", "ketahanan pangan", "pemasaran bersama"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "Poktan Sri Rejeki"),
            (ChannelKind.FACEBOOK, "Kelompok Tani Sri Rejeki Bantul"),
        ],
        "funding_sources": (
            "Iuran musim panen, bantuan benih dari dinas pertanian (tidak tiap tahun), simpanan lumbung."
        ),
        "funding_stability": FundingStability.IRREGULAR,
        "since": 700,
        "stages": [
            (680, Stage.FIRST_CONTACT, "Penyuluh pertanian mengenalkan kami ke ketua kelompok."),
            (
                600,
                Stage.BUILDING_TRUST,
                "Ikut dua kali rembug tani; anggota ingin tahu dulu apa untungnya bagi mereka.",
            ),
            (420, Stage.PARTNERING, "Kesepakatan uji coba pupuk organik di 5 ha; peran dan tanggung jawab dicatat."),
        ],
        "contacts": [
            {
                "name": "Sukardi",
                "role": "Ketua",
                "phone": "0852-0000-0201",
                "channel": PreferredChannel.PHONE,
                "language": ContactLanguage.LOCAL,
            },
            {"name": "Sri Wahyuni", "role": "Bendahara", "phone": "0812-0000-0202"},
            {"name": "Harjono", "role": "Penasihat (mantan ketua)", "channel": PreferredChannel.IN_PERSON},
            {
                "name": "Andi Kurniawan",
                "role": "Sekretaris",
                "phone": "+62 878-0000-0204",
                "email": "andi.kurniawan@example.org",
            },
        ],
        "leaders": [("Harjono", "Ketua", 3000), ("Sukardi", "Ketua", 1100)],
        "interactions": [
            (
                680,
                InteractionKind.VISIT,
                "Kunjungan pertama ke rembug tani di rumah Pak Sukardi; kenalan dengan pengurus.",
                "",
                ["Sukardi", "Harjono"],
            ),
            (
                420,
                InteractionKind.MEETING,
                "Menyepakati uji coba pupuk organik; Andi mencatat peran setiap anggota dan jadwal pengamatan.",
                "Bagikan catatan kesepakatan di grup WA.",
                ["Sukardi", "Andi Kurniawan", "Sri Wahyuni"],
            ),
            (
                75,
                InteractionKind.EVENT,
                "Panen raya demplot organik: 6,1 ton/ha, sedikit di bawah lahan konvensional, tapi biaya pupuk "
                "turun sekitar 40%.",
                "Tulis cerita dampak bersama Andi.",
                ["Sukardi", "Andi Kurniawan"],
            ),
            (
                12,
                InteractionKind.CALL,
                "Telepon Pak Sukardi: air irigasi terlambat, musim tanam mundur dua minggu.",
                "Geser jadwal pertemuan rutin.",
                ["Sukardi"],
            ),
        ],
    },
    {
        "name": "Kelompok Nelayan Bina Samudra",
        "kind": Kind.FARMER_FISHER,
        "province": "73",
        "regency": "Kabupaten Takalar",
        "founded_year": 2012,
        "approx_members": 38,
        "approx_reach": 600,
        "mission": (
            "Melindungi wilayah tangkap tradisional dan memperbaiki harga ikan bagi nelayan kecil di pesisir Galesong."
        ),
        "values": "Siri' na pacce (harga diri dan solidaritas), kejujuran, menjaga laut untuk anak cucu.",
        "own_goals": (
            "Cold box bersama supaya ikan tidak dijual murah; pendataan kapal anggota; ikut menyuarakan "
            "penolakan tambang pasir laut."
        ),
        "focus_areas": ["perikanan", "advokasi wilayah pesisir", "ekonomi pesisir"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Nelayan Bina Samudra Galesong")],
        "funding_sources": "Sisihan hasil lelang ikan (2%), kadang bantuan alat tangkap dari dinas kelautan.",
        "funding_stability": FundingStability.IRREGULAR,
        "internal_notes": "Ketua baru lebih hati-hati soal advokasi; jangan dorong isu tambang pasir sebelum ia siap.",
        "since": 300,
        "stages": [
            (280, Stage.FIRST_CONTACT, "Bertemu sekretaris di diskusi nelayan di Makassar."),
            (150, Stage.BUILDING_TRUST, "Tiga kali kunjungan; mereka mulai mengajak kami ke pertemuan kelompok."),
        ],
        "contacts": [
            {
                "name": "Daeng Rahman",
                "role": "Ketua",
                "phone": "0853-0000-0301",
                "language": ContactLanguage.LOCAL,
                "channel": PreferredChannel.IN_PERSON,
            },
            {"name": "Andi Baso", "role": "Sekretaris", "phone": "0812-0000-0302"},
            {"name": "Haslinda", "role": "Bendahara", "phone": "0821-0000-0303"},
            {"name": "Muh. Syarif", "role": "Mantan ketua", "channel": PreferredChannel.IN_PERSON},
        ],
        "leaders": [("Muh. Syarif", "Ketua", 1500), ("Daeng Rahman", "Ketua", 90)],
        "interactions": [
            (
                280,
                InteractionKind.EVENT,
                "Diskusi nelayan kecil di Makassar; Andi Baso bercerita soal harga ikan yang jatuh saat musim tangkap.",
                "Minta izin berkunjung ke Galesong.",
                ["Andi Baso"],
            ),
            (
                200,
                InteractionKind.VISIT,
                "Ke tempat pelelangan ikan bersama Andi Baso; melihat langsung proses lelang dan bertemu Pak Syarif.",
                "",
                ["Andi Baso", "Muh. Syarif"],
            ),
            (
                90,
                InteractionKind.MESSAGE,
                "Kabar dari Andi: Pak Syarif mundur karena sakit, Daeng Rahman dipilih sebagai ketua.",
                "Jadwalkan silaturahmi dengan ketua baru.",
                ["Andi Baso"],
            ),
            (
                60,
                InteractionKind.VISIT,
                "Silaturahmi dengan Daeng Rahman; ia ingin fokus ke cold box dulu sebelum advokasi.",
                "Cari info harga cold box dan pilihan pendanaan.",
                ["Daeng Rahman", "Haslinda"],
            ),
            (
                9,
                InteractionKind.CALL,
                "Telepon Andi: pengurus setuju patungan 30% harga cold box kalau ada mitra untuk sisanya.",
                "",
                ["Andi Baso"],
            ),
        ],
    },
    {
        "name": "PKK RW 07 Kelurahan Sukamaju",
        "kind": Kind.WOMEN,
        "province": "32",
        "regency": "Kota Depok",
        "founded_year": 1990,
        "approx_members": 35,
        "approx_reach": 900,
        "mission": "Mendukung kesejahteraan keluarga di RW 07 lewat posyandu, kebun gizi dan pelatihan usaha rumahan.",
        "values": "Kebersamaan, peduli tetangga, tertib administrasi.",
        "own_goals": (
            "Tidak ada lagi balita stunting di RW 07 dalam dua tahun; kebun gizi di setiap RT; "
            "10 ibu punya usaha katering rumahan dengan izin PIRT."
        ),
        "focus_areas": ["kesehatan ibu dan anak", "ekonomi perempuan", "ketahanan pangan"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "PKK RW 07 Sukamaju"),
            (ChannelKind.INSTAGRAM, "@pkk_rw07_sukamaju"),
        ],
        "funding_sources": "Dana operasional PKK kelurahan setiap triwulan, iuran arisan, donasi warga.",
        "funding_stability": FundingStability.STABLE,
        "since": 520,
        "stages": [
            (500, Stage.FIRST_CONTACT, "Bertemu ketua di posyandu saat penimbangan balita."),
            (430, Stage.BUILDING_TRUST, "Ikut rapat bulanan; kader posyandu berbagi data balita (tanpa nama)."),
            (300, Stage.PARTNERING, "Sepakat bersama membuat kebun gizi di tiga RT sebagai percontohan."),
        ],
        "contacts": [
            {"name": "Endang Susilowati", "role": "Ketua", "phone": "0812-0000-0401"},
            {
                "name": "Ratna Dewi",
                "role": "Sekretaris",
                "phone": "0813-0000-0402",
                "email": "ratna.dewi@example.org",
                "channel": PreferredChannel.EMAIL,
            },
            {"name": "Lilis Suryani", "role": "Bendahara (mantan ketua)", "phone": "0896-0000-0403"},
            {"name": "Yanti Mulyani", "role": "Kader posyandu", "phone": "0857-0000-0404"},
        ],
        "leaders": [("Lilis Suryani", "Ketua", 2400), ("Endang Susilowati", "Ketua", 700)],
        "interactions": [
            (
                500,
                InteractionKind.VISIT,
                "Hadir di posyandu; Ibu Endang dan Ibu Yanti menjelaskan data balita kurang gizi di RW.",
                "",
                ["Endang Susilowati", "Yanti Mulyani"],
            ),
            (
                300,
                InteractionKind.MEETING,
                "Rapat rencana kebun gizi: lahan dari warga, bibit dari kelurahan, kami menyediakan pelatihan.",
                "Ibu Ratna mengirim notulen lewat email.",
                ["Endang Susilowati", "Ratna Dewi", "Lilis Suryani"],
            ),
            (
                120,
                InteractionKind.EVENT,
                "Panen pertama kebun gizi RT 03; sayur dibagikan ke keluarga dengan balita.",
                "",
                ["Endang Susilowati", "Yanti Mulyani"],
            ),
            (
                21,
                InteractionKind.MEETING,
                "Pertemuan rutin bulanan: Ibu Lilis menunjukkan laporan keuangan kebun gizi, dibacakan di depan "
                "anggota.",
                "Minta izin memakai laporan itu sebagai contoh transparansi untuk kelompok lain.",
                ["Lilis Suryani", "Ratna Dewi"],
            ),
        ],
    },
    {
        "name": "Arisan Ibu-Ibu Mawar Melati",
        "kind": Kind.SAVINGS,
        "province": "31",
        "regency": "Kota Administrasi Jakarta Timur",
        "founded_year": 2015,
        "approx_members": 24,
        "approx_reach": 60,
        "mission": (
            "Arisan bulanan yang juga menjadi tempat belajar mengelola keuangan keluarga dan saling menolong saat "
            "ada anggota yang kesusahan."
        ),
        "values": "Amanah, tepat waktu setor, saling percaya.",
        "own_goals": (
            "Menambah kas sosial untuk anggota yang sakit; belajar mencatat keuangan di HP; "
            "usaha kue kering bersama menjelang Lebaran."
        ),
        "focus_areas": ["simpan pinjam", "literasi keuangan", "ekonomi perempuan"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Arisan Mawar Melati")],
        "funding_sources": "Setoran arisan Rp200.000/bulan per anggota; kas sosial Rp10.000/bulan.",
        "funding_stability": FundingStability.STABLE,
        "since": 60,
        "stages": [(40, Stage.FIRST_CONTACT, "Diundang ikut arisan oleh Ibu Hartati, tetangga rekan kerja kami.")],
        "contacts": [
            {"name": "Hartati", "role": "Ketua dan pemegang buku", "phone": "0812-0000-0501"},
            {"name": "Maria Ulfa", "role": "Bendahara", "phone": "0813-0000-0502"},
        ],
        "leaders": [("Hartati", "Ketua", 3900)],
        "interactions": [
            (
                40,
                InteractionKind.VISIT,
                "Ikut arisan di rumah Ibu Hartati; memperkenalkan diri dan mendengar cerita anggota soal utang pinjol.",
                "Tawarkan sesi pencatatan keuangan kalau mereka mau.",
                ["Hartati", "Maria Ulfa"],
            ),
            (
                18,
                InteractionKind.MESSAGE,
                "Ibu Maria bertanya apakah sesi pencatatan keuangan bisa Minggu sore.",
                "Konfirmasi jadwal.",
                ["Maria Ulfa"],
            ),
        ],
    },
    {
        "name": "Komunitas Difabel Berdaya Lombok Timur",
        "kind": Kind.ADVOCACY,
        "province": "52",
        "regency": "Kabupaten Lombok Timur",
        "founded_year": 2017,
        "approx_members": 120,
        "approx_reach": 2500,
        "mission": (
            "Memperjuangkan hak penyandang disabilitas atas pendidikan, pekerjaan dan fasilitas umum yang "
            "aksesibel di Lombok Timur."
        ),
        "values": "Nothing about us without us; kesetaraan; kemandirian.",
        "own_goals": (
            "Perda disabilitas kabupaten dijalankan dengan anggaran; 5 sekolah inklusif percontohan; "
            "data penyandang disabilitas per desa yang akurat."
        ),
        "focus_areas": ["hak disabilitas", "advokasi kebijakan", "pendidikan inklusif"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "Difabel Berdaya Lotim"),
            (ChannelKind.FACEBOOK, "Komunitas Difabel Berdaya Lombok Timur"),
            (ChannelKind.INSTAGRAM, "@difabelberdaya_lotim"),
        ],
        "legal_status": LegalStatus.ASSOCIATION,
        "funding_sources": "Iuran sukarela, hibah kecil dari lembaga donor (per proyek), penjualan kerajinan anggota.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 800,
        "stages": [
            (780, Stage.FIRST_CONTACT, "Bertemu di peringatan Hari Disabilitas Internasional di Selong."),
            (
                700,
                Stage.BUILDING_TRUST,
                "Mereka minta kami ikut dulu dalam kegiatan, bukan langsung menawarkan program.",
            ),
            (540, Stage.PARTNERING, "Rencana kolaboratif audit aksesibilitas layanan publik disepakati."),
        ],
        "contacts": [
            {
                "name": "Baiq Nurul Hidayati",
                "role": "Koordinator",
                "phone": "0819-0000-0601",
                "email": "baiq.nurul@example.org",
            },
            {"name": "Lalu Ahmad Zaini", "role": "Penasihat (mantan koordinator)", "phone": "0817-0000-0602"},
            {
                "name": "Muhammad Ridwan",
                "role": "Bendahara",
                "phone": "0818-0000-0603",
                "channel": PreferredChannel.PHONE,
            },
        ],
        "leaders": [("Lalu Ahmad Zaini", "Koordinator", 2800), ("Baiq Nurul Hidayati", "Koordinator", 170)],
        "interactions": [
            (
                780,
                InteractionKind.EVENT,
                "Peringatan Hari Disabilitas Internasional; berkenalan dengan Pak Zaini.",
                "",
                ["Lalu Ahmad Zaini"],
            ),
            (
                540,
                InteractionKind.MEETING,
                "Menyusun rencana audit aksesibilitas: anggota menjadi auditor, kami membantu format laporan.",
                "",
                ["Lalu Ahmad Zaini", "Baiq Nurul Hidayati", "Muhammad Ridwan"],
            ),
            (
                170,
                InteractionKind.MEETING,
                "Musyawarah anggota: Baiq Nurul menjadi koordinator, Pak Zaini tetap sebagai penasihat.",
                "Pastikan koordinator baru tahu komitmen yang sudah berjalan.",
                ["Baiq Nurul Hidayati", "Lalu Ahmad Zaini"],
            ),
            (
                30,
                InteractionKind.VISIT,
                "Audit aksesibilitas di dua puskesmas bersama tim anggota; ramp ada, toilet belum aksesibel.",
                "",
                ["Baiq Nurul Hidayati", "Muhammad Ridwan"],
            ),
            (
                3,
                InteractionKind.MESSAGE,
                "Baiq mengirim draf laporan audit untuk dikomentari sebelum diserahkan ke dinas kesehatan.",
                "Beri komentar paling lambat Jumat.",
                ["Baiq Nurul Hidayati"],
            ),
        ],
    },
    {
        "name": "Bank Sampah Berseri",
        "kind": Kind.OTHER,
        "province": "35",
        "regency": "Kota Malang",
        "founded_year": 2014,
        "approx_members": 150,
        "approx_reach": 3000,
        "mission": (
            "Mengurangi sampah yang dibuang ke TPA dengan menabung sampah terpilah dan mengubahnya menjadi "
            "tabungan warga."
        ),
        "values": "Bersih, jujur dalam timbangan, edukasi tanpa menghakimi.",
        "own_goals": ("5 ton sampah terpilah per bulan; 200 nasabah aktif; produk daur ulang dijual di car free day."),
        "focus_areas": ["pengelolaan sampah", "ekonomi sirkular", "lingkungan"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "Nasabah Bank Sampah Berseri"),
            (ChannelKind.INSTAGRAM, "@banksampahberseri_mlg"),
        ],
        "funding_sources": (
            "Selisih harga jual ke pengepul, CSR toko swalayan (sekali), penjualan kerajinan daur ulang."
        ),
        "funding_stability": FundingStability.STABLE,
        "since": 900,
        "stages": [
            (880, Stage.FIRST_CONTACT, "Kunjungan belajar bersama karang taruna dampingan kami."),
            (820, Stage.BUILDING_TRUST, "Mereka bersedia menjadi tempat belajar kelompok lain."),
            (700, Stage.PARTNERING, "Sepakat menjadi mentor bank sampah untuk tiga desa."),
        ],
        "contacts": [
            {"name": "Siti Mutmainah", "role": "Direktur bank sampah", "phone": "0812-0000-0701"},
            {"name": "Rudi Hartono", "role": "Teller dan pencatat", "phone": "0856-0000-0702"},
            {
                "name": "Wulan Sari",
                "role": "Humas",
                "phone": "0813-0000-0703",
                "email": "wulan.berseri@example.org",
                "channel": PreferredChannel.EMAIL,
            },
            {"name": "Bambang Sutejo", "role": "Pendiri (mantan ketua)", "phone": "0812-0000-0704"},
        ],
        "leaders": [("Bambang Sutejo", "Ketua", 3800), ("Siti Mutmainah", "Direktur", 1500)],
        "interactions": [
            (
                880,
                InteractionKind.VISIT,
                "Kunjungan belajar: Ibu Siti menjelaskan alur timbang, catat, jual.",
                "",
                ["Siti Mutmainah", "Rudi Hartono"],
            ),
            (
                700,
                InteractionKind.MEETING,
                "Kesepakatan mentoring: satu kunjungan per bulan ke setiap desa dampingan selama setahun.",
                "",
                ["Siti Mutmainah", "Wulan Sari"],
            ),
            (
                27,
                InteractionKind.CALL,
                "Wulan mengabarkan harga plastik di pengepul turun; mereka khawatir nasabah berhenti menabung.",
                "Diskusikan di pertemuan rutin berikutnya.",
                ["Wulan Sari"],
            ),
        ],
    },
    {
        "name": "Kelompok Pelestari Mangrove Pantai Lestari",
        "kind": Kind.ADVOCACY,
        "province": "65",
        "regency": "Kota Tarakan",
        "founded_year": 2016,
        "approx_members": 25,
        "approx_reach": 800,
        "mission": (
            "Menanam dan menjaga hutan mangrove di pesisir Tarakan sebagai pelindung abrasi dan tempat pemijahan ikan."
        ),
        "values": "Cinta lingkungan, sukarela, belajar dari nelayan tua.",
        "own_goals": (
            "Menanam 10.000 bibit per tahun dengan tingkat hidup di atas 70%; ekowisata mangrove kecil yang "
            "dikelola warga; patroli bulanan melawan penebangan liar."
        ),
        "focus_areas": ["mangrove", "lingkungan", "pariwisata", "perikanan"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "Mangrove Pantai Lestari"),
            (ChannelKind.INSTAGRAM, "@mangrove_pantailestari"),
        ],
        "funding_sources": "Swadaya anggota, donasi bibit dari perusahaan (tidak pasti), tiket kunjungan sekolah.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 250,
        "stages": [
            (230, Stage.FIRST_CONTACT, "Ditemukan lewat Instagram; ketua membalas DM dan mengundang ikut menanam."),
            (
                120,
                Stage.BUILDING_TRUST,
                "Ikut dua kali penanaman dan satu patroli; data tingkat hidup bibit dibagikan.",
            ),
        ],
        "contacts": [
            {"name": "Hendra Gunawan", "role": "Ketua", "phone": "0811-0000-0801"},
            {
                "name": "Maria Yohana",
                "role": "Sekretaris",
                "phone": "0822-0000-0802",
                "email": "maria.yohana@example.org",
            },
        ],
        "leaders": [("Hendra Gunawan", "Ketua", 3300)],
        "interactions": [
            (
                230,
                InteractionKind.MESSAGE,
                "DM Instagram dengan Pak Hendra; diundang ikut penanaman hari Minggu.",
                "",
                ["Hendra Gunawan"],
            ),
            (
                120,
                InteractionKind.EVENT,
                "Penanaman 1.500 bibit bersama siswa SMP; tingkat hidup tanaman tahun lalu sekitar 64%.",
                "Cari penyebab bibit mati: ombak atau kepiting?",
                ["Hendra Gunawan", "Maria Yohana"],
            ),
            (
                33,
                InteractionKind.CALL,
                "Maria bercerita ada penebangan di blok utara; kelompok ingin lapor tapi takut.",
                "Cari jalur pelaporan yang aman bersama mereka.",
                ["Maria Yohana"],
            ),
        ],
    },
    {
        "name": "Majelis Taklim Nurul Hikmah",
        "kind": Kind.FAITH,
        "province": "11",
        "regency": "Kota Banda Aceh",
        "founded_year": 2005,
        "approx_members": 80,
        "approx_reach": 400,
        "mission": (
            "Pengajian rutin ibu-ibu gampong yang juga menggerakkan santunan anak yatim dan kesiapsiagaan bencana."
        ),
        "values": "Ukhuwah, ikhlas, amanah.",
        "own_goals": (
            "Santunan rutin untuk 30 anak yatim; pelatihan siaga tsunami untuk jamaah; menghidupkan kembali "
            "koperasi syariah kecil."
        ),
        "focus_areas": ["keagamaan", "kebencanaan", "kesejahteraan anak"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "MT Nurul Hikmah")],
        "funding_sources": "Infak jamaah setiap pengajian, zakat dan sedekah saat Ramadan.",
        "funding_stability": FundingStability.STABLE,
        "since": 90,
        "stages": [(70, Stage.FIRST_CONTACT, "Dikenalkan oleh keuchik gampong; ketua mengizinkan kami hadir.")],
        "contacts": [
            {"name": "Cut Nurhayati", "role": "Ketua", "phone": "0852-0000-0901"},
            {"name": "Rosmawati", "role": "Bendahara", "phone": "0823-0000-0902"},
        ],
        "leaders": [("Cut Nurhayati", "Ketua", 2000)],
        "interactions": [
            (
                70,
                InteractionKind.VISIT,
                "Hadir di pengajian Kamis sore; Ummi Cut bercerita tentang simulasi tsunami yang terakhir "
                "dilakukan bertahun-tahun lalu.",
                "",
                ["Cut Nurhayati"],
            ),
            (
                26,
                InteractionKind.MESSAGE,
                "Ibu Rosmawati mengirim daftar anak yatim penerima santunan (tanpa nama) dan jadwal pengajian.",
                "Usulkan sesi siaga bencana setelah Ramadan.",
                ["Rosmawati"],
            ),
        ],
    },
    {
        "name": "Jaringan Bidan Desa Mamuju",
        "kind": Kind.PROFESSIONAL,
        "province": "76",
        "regency": "Kabupaten Mamuju",
        "founded_year": 2019,
        "approx_members": 45,
        "approx_reach": 5000,
        "mission": (
            "Jaringan sesama bidan desa untuk berbagi rujukan, diskusi kasus dan pelatihan, agar tidak ada ibu "
            "hamil di desa terpencil yang terlambat ditolong."
        ),
        "values": "Profesional, saling dukung, respons cepat.",
        "own_goals": (
            "Grup rujukan darurat aktif 24 jam; pelatihan kegawatdaruratan obstetri setiap semester; "
            "data kehamilan risiko tinggi per desa."
        ),
        "focus_areas": ["kesehatan ibu dan anak", "jaringan profesional"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "Bidan Desa Mamuju (rujukan)"),
            (ChannelKind.FACEBOOK, "Jaringan Bidan Desa Mamuju"),
        ],
        "funding_sources": "Iuran anggota Rp25.000/bulan; pelatihan kadang didanai dinas kesehatan.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 480,
        "stages": [
            (460, Stage.FIRST_CONTACT, "Dihubungkan oleh kepala puskesmas Kalukku."),
            (400, Stage.BUILDING_TRUST, "Bidan Nurhaedah mengajak kami ke pertemuan bulanan jaringan."),
            (260, Stage.PARTNERING, "Sepakat menyusun modul pelatihan rujukan bersama."),
        ],
        "contacts": [
            {"name": "Nurhaedah", "role": "Koordinator", "phone": "0852-0000-1001"},
            {"name": "Asriani", "role": "Sekretaris", "phone": "0853-0000-1002", "email": "asriani.bidan@example.org"},
            {"name": "Hasnah", "role": "Bendahara", "phone": "0812-0000-1003"},
        ],
        "leaders": [("Nurhaedah", "Koordinator", 2000)],
        "interactions": [
            (460, InteractionKind.CALL, "Perkenalan lewat telepon dengan Bidan Nurhaedah.", "", ["Nurhaedah"]),
            (
                260,
                InteractionKind.MEETING,
                "Menyusun rencana modul pelatihan rujukan; Asriani menjadi penanggung jawab materi.",
                "",
                ["Nurhaedah", "Asriani"],
            ),
            (
                95,
                InteractionKind.EVENT,
                "Pelatihan kegawatdaruratan obstetri untuk 32 bidan; evaluasi peserta sangat baik.",
                "Minta data rujukan tiga bulan setelah pelatihan.",
                ["Nurhaedah", "Asriani", "Hasnah"],
            ),
            (
                16,
                InteractionKind.MESSAGE,
                "Asriani mengirim rekap rujukan: waktu rata-rata sampai RS turun dari 5 ke 3,5 jam.",
                "",
                ["Asriani"],
            ),
        ],
    },
    {
        "name": "Komunitas Ngoding Bareng Medan",
        "kind": Kind.ONLINE,
        "province": "12",
        "regency": "Kota Medan",
        "founded_year": 2020,
        "approx_members": 1400,
        "approx_reach": 8000,
        "mission": (
            "A volunteer-run online community where young people in Medan learn programming together, share job "
            "leads and mentor each other. Semua kelas gratis."
        ),
        "values": "Open knowledge, no gatekeeping, belajar bareng bukan bersaing.",
        "own_goals": (
            "Run a free 12-week web bootcamp twice a year; 50 alumni land their first tech job; "
            "menjangkau pelajar di luar Medan (Nias, Samosir)."
        ),
        "focus_areas": ["literasi digital", "pemuda", "lapangan kerja"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "Pengurus Ngoding Bareng"),
            (ChannelKind.INSTAGRAM, "@ngodingbareng_mdn"),
            (ChannelKind.YOUTUBE, "Ngoding Bareng Medan"),
        ],
        "funding_sources": "Belum ada; semua relawan, ruang meetup dipinjamkan kampus.",
        "funding_stability": FundingStability.NONE,
        "since": 200,
        "stages": [
            (180, Stage.FIRST_CONTACT, "Video call perkenalan setelah melihat kelas gratis mereka di YouTube."),
            (100, Stage.BUILDING_TRUST, "Hadir di meetup; pengurus terbuka soal kesulitan mempertahankan mentor."),
        ],
        "contacts": [
            {
                "name": "Kevin Sitompul",
                "role": "Founder, koordinator",
                "phone": "0813-0000-1101",
                "email": "kevin.sitompul@example.org",
            },
            {
                "name": "Putri Handayani Nasution",
                "role": "Community manager",
                "phone": "0822-0000-1102",
                "email": "putri.nasution@example.org",
                "channel": PreferredChannel.EMAIL,
                "language": ContactLanguage.ENGLISH,
            },
        ],
        "leaders": [("Kevin Sitompul", "Koordinator", 2000)],
        "interactions": [
            (
                180,
                InteractionKind.CALL,
                "Video call dengan Kevin dan Putri: 1.400 anggota, tapi hanya 6 mentor aktif.",
                "",
                ["Kevin Sitompul", "Putri Handayani Nasution"],
            ),
            (
                100,
                InteractionKind.EVENT,
                "Meetup bulanan di kampus; sekitar 60 peserta, sebagian besar mahasiswa.",
                "Putri will share their mentor onboarding doc.",
                ["Kevin Sitompul", "Putri Handayani Nasution"],
            ),
            (
                14,
                InteractionKind.MESSAGE,
                "Email from Putri: the doc, plus a question about funding for internet quota for students in Nias.",
                "Reply with options; no promises yet.",
                ["Putri Handayani Nasution"],
            ),
        ],
    },
    {
        "name": "Gerakan Pemuda Peduli Sungai Musi",
        "kind": Kind.ADVOCACY,
        "province": "16",
        "regency": "Kota Palembang",
        "founded_year": 2018,
        "approx_members": 30,
        "approx_reach": 5000,
        "mission": (
            "Membersihkan dan mengkampanyekan Sungai Musi bebas sampah lewat aksi pungut sampah rutin dan "
            "kampanye media sosial."
        ),
        "values": "Aksi nyata, kreatif, tanpa kepentingan politik.",
        "own_goals": (
            "Aksi bersih sungai setiap bulan; peta titik pembuangan sampah liar; mendorong kelurahan "
            "menyediakan TPS di bantaran."
        ),
        "focus_areas": ["pengelolaan sampah", "sungai", "lingkungan", "pemuda"],
        "channels": [
            (ChannelKind.INSTAGRAM, "@pedulimusi_gerakan"),
            (ChannelKind.TIKTOK, "@pedulimusi"),
            (ChannelKind.WHATSAPP_GROUP, "Relawan Peduli Musi"),
        ],
        "funding_sources": "Belum ada; kegiatan dibiayai dari kantong relawan.",
        "funding_stability": FundingStability.NONE,
        "internal_notes": "Belum pernah bertemu koordinator baru. Dewi satu-satunya pengurus yang masih membalas.",
        "since": 600,
        "stages": [
            (580, Stage.FIRST_CONTACT, "Ikut aksi bersih sungai di Benteng Kuto Besak."),
            (500, Stage.BUILDING_TRUST, "Membantu mereka membuat peta titik sampah; data dibagi terbuka."),
            (380, Stage.PARTNERING, "Kemitraan kampanye TPS bantaran dengan dua kelurahan."),
            (
                140,
                Stage.DORMANT,
                "Sejak koordinator lama pindah kerja ke Jakarta, grup sepi dan tidak ada aksi selama tiga bulan; "
                "pertemuan rutin terhenti.",
            ),
        ],
        "contacts": [
            {
                "name": "Ahmad Fauzan",
                "role": "Mantan koordinator (pindah ke Jakarta)",
                "phone": "0812-0000-1201",
                "email": "fauzan.musi@example.org",
            },
            {"name": "Dewi Anggraini", "role": "Humas dan admin media sosial", "phone": "0831-0000-1202"},
        ],
        "leaders": [("Ahmad Fauzan", "Koordinator", 2200), ("Rizky Ananda", "Koordinator", 150)],
        "interactions": [
            (
                580,
                InteractionKind.EVENT,
                "Aksi bersih sungai: 40 relawan, 600 kg sampah, sebagian besar plastik kemasan.",
                "",
                ["Ahmad Fauzan", "Dewi Anggraini"],
            ),
            (
                380,
                InteractionKind.MEETING,
                "Rencana kampanye TPS bantaran bersama dua lurah.",
                "",
                ["Ahmad Fauzan"],
            ),
            (
                150,
                InteractionKind.MESSAGE,
                "Fauzan pamit pindah ke Jakarta; Rizky Ananda ditunjuk menjadi koordinator.",
                "Minta nomor Rizky.",
                ["Ahmad Fauzan"],
            ),
            (
                100,
                InteractionKind.CALL,
                "Telepon Dewi: belum ada aksi lagi, Rizky sibuk kuliah. Dewi masih mengurus Instagram.",
                "Tanya lagi setelah ujian semester.",
                ["Dewi Anggraini"],
            ),
        ],
    },
    {
        "name": "Kelompok Wanita Tani Melati Harum",
        "kind": Kind.WOMEN,
        "province": "13",
        "regency": "Kabupaten Agam",
        "founded_year": 2013,
        "approx_members": 28,
        "approx_reach": 300,
        "mission": (
            "Mengelola pekarangan dan lahan tidur menjadi kebun sayur dan tanaman obat, untuk gizi keluarga dan "
            "tambahan penghasilan ibu-ibu nagari."
        ),
        "values": "Basamo (kebersamaan), rajin, hemat.",
        "own_goals": (
            "Rumah bibit nagari; olahan cabai dan kunyit dengan kemasan dan izin PIRT; kebun sekolah di SD nagari."
        ),
        "focus_areas": ["ketahanan pangan", "ekonomi perempuan", "pertanian organik"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "KWT Melati Harum")],
        "funding_sources": "Iuran anggota, bantuan bibit dari penyuluh, hasil jual sayur di pasar nagari.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 560,
        "stages": [
            (540, Stage.FIRST_CONTACT, "Bertemu di pasar nagari saat mereka berjualan sayur."),
            (470, Stage.BUILDING_TRUST, "Belajar membuat pupuk kompos bersama; mereka mulai mengundang kami."),
            (330, Stage.PARTNERING, "Sepakat membangun rumah bibit nagari bersama wali nagari."),
        ],
        "contacts": [
            {
                "name": "Yusnimar",
                "role": "Ketua",
                "phone": "0852-0000-1301",
                "language": ContactLanguage.LOCAL,
            },
            {"name": "Efi Rahmawati", "role": "Sekretaris", "phone": "0813-0000-1302"},
            {"name": "Desmawati", "role": "Bendahara (mantan ketua)", "phone": "0812-0000-1303"},
        ],
        "leaders": [("Desmawati", "Ketua", 3000), ("Yusnimar", "Ketua", 1200)],
        "interactions": [
            (540, InteractionKind.VISIT, "Ngobrol di lapak sayur KWT di pasar nagari.", "", ["Yusnimar"]),
            (
                330,
                InteractionKind.MEETING,
                "Musyawarah di kantor wali nagari: lahan rumah bibit dipinjamkan nagari lima tahun.",
                "",
                ["Yusnimar", "Efi Rahmawati", "Desmawati"],
            ),
            (
                110,
                InteractionKind.VISIT,
                "Rumah bibit sudah berisi 4.000 bibit cabai dan sayur; sebagian dijual ke kelompok tani lain.",
                "",
                ["Yusnimar", "Desmawati"],
            ),
            (
                19,
                InteractionKind.CALL,
                "Ibu Efi minta bantuan mengurus izin PIRT untuk olahan kunyit.",
                "Kirim daftar syarat PIRT dan kontak dinas kesehatan.",
                ["Efi Rahmawati"],
            ),
        ],
    },
    {
        "name": "Kelompok Simpan Pinjam Tunas Mandiri",
        "kind": Kind.SAVINGS,
        "province": "61",
        "regency": "Kabupaten Sanggau",
        "founded_year": 2010,
        "approx_members": 90,
        "approx_reach": 350,
        "mission": "Simpan pinjam antarwarga kampung supaya tidak terjerat rentenir, terutama saat harga karet turun.",
        "values": "Kepercayaan, disiplin mengangsur, musyawarah mufakat.",
        "own_goals": (
            "Modal bergulir Rp150 juta; pinjaman usaha untuk anggota perempuan; mungkin menjadi koperasi resmi "
            "suatu hari (belum diputuskan)."
        ),
        "focus_areas": ["simpan pinjam", "literasi keuangan", "ekonomi petani karet"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Tunas Mandiri Simpan Pinjam")],
        "funding_sources": "Simpanan pokok dan wajib anggota, jasa pinjaman 1% per bulan.",
        "funding_stability": FundingStability.STABLE,
        "since": 330,
        "stages": [
            (310, Stage.FIRST_CONTACT, "Diperkenalkan oleh pastor paroki setempat."),
            (210, Stage.BUILDING_TRUST, "Bendahara membuka buku kas untuk kami pelajari bersama."),
        ],
        "contacts": [
            {"name": "Yohanes Apui", "role": "Ketua", "phone": "0852-0000-1401", "channel": PreferredChannel.PHONE},
            {"name": "Agustina Lenda", "role": "Bendahara", "phone": "0813-0000-1402"},
            {"name": "Markus Ading", "role": "Sekretaris", "phone": "0812-0000-1403"},
        ],
        "leaders": [("Yohanes Apui", "Ketua", 1800)],
        "interactions": [
            (
                310,
                InteractionKind.VISIT,
                "Rapat anggota tahunan di balai kampung; 70 anggota hadir, laporan dibacakan.",
                "",
                ["Yohanes Apui", "Agustina Lenda"],
            ),
            (
                210,
                InteractionKind.MEETING,
                "Belajar buku kas bersama Ibu Agustina; tunggakan rendah, tapi pencatatan masih manual.",
                "Tawarkan pelatihan pencatatan sederhana.",
                ["Agustina Lenda", "Markus Ading"],
            ),
            (
                40,
                InteractionKind.CALL,
                "Pak Yohanes: harga karet turun lagi, permintaan pinjaman naik; mereka ragu menambah plafon.",
                "",
                ["Yohanes Apui"],
            ),
        ],
    },
    {
        "name": "Persekutuan Doa Kaum Muda Imanuel",
        "kind": Kind.FAITH,
        "province": "71",
        "regency": "Kabupaten Minahasa",
        "founded_year": 2011,
        "approx_members": 60,
        "approx_reach": 500,
        "mission": (
            "Persekutuan doa pemuda jemaat yang juga aktif dalam aksi sosial: kerja bakti, donor darah, dan "
            "tanggap bencana di Minahasa."
        ),
        "values": "Kasih, pelayanan, mapalus (gotong royong).",
        "own_goals": (
            "Donor darah setiap tiga bulan; tim relawan tanggap banjir; kelas bahasa Inggris gratis untuk SMP."
        ),
        "focus_areas": ["keagamaan", "pemuda", "kebencanaan"],
        "channels": [(ChannelKind.INSTAGRAM, "@pdkm_imanuel")],
        "funding_sources": "Persembahan, dukungan majelis jemaat, jualan kue saat bazar.",
        "funding_stability": FundingStability.UNKNOWN,
        "since": 20,
        "stages": [],
        "contacts": [{"name": "Jeremy Lumowa", "role": "Ketua", "phone": "0823-0000-1501"}],
        "leaders": [("Jeremy Lumowa", "Ketua", 400)],
        "interactions": [
            (
                20,
                InteractionKind.EVENT,
                "Melihat aksi donor darah mereka di Tondano; nomor ketua didapat dari pendeta jemaat, belum "
                "berbicara langsung.",
                "Kirim pesan perkenalan.",
                [],
            ),
        ],
    },
    {
        "name": "Sekaa Teruna Teruni Banjar Kaja",
        "kind": Kind.YOUTH,
        "province": "51",
        "regency": "Kabupaten Gianyar",
        "founded_year": 1980,
        "approx_members": 70,
        "approx_reach": 1200,
        "mission": (
            "Organisasi pemuda banjar yang menjaga adat, seni tabuh dan tari, serta kebersihan lingkungan banjar."
        ),
        "values": "Tri Hita Karana, ngayah (kerja sukarela), kebersamaan.",
        "own_goals": (
            "Ogoh-ogoh dari bahan daur ulang; banjar bebas plastik sekali pakai; kelas tari untuk anak-anak; "
            "English lessons so members can guide visitors."
        ),
        "focus_areas": ["pemuda", "pengelolaan sampah", "budaya", "pariwisata"],
        "channels": [
            (ChannelKind.INSTAGRAM, "@stt_banjarkaja"),
            (ChannelKind.WHATSAPP_GROUP, "STT Banjar Kaja"),
        ],
        "funding_sources": "Iuran anggota, dana banjar, punia dari warga dan wisatawan saat pentas.",
        "funding_stability": FundingStability.IRREGULAR,
        "internal_notes": (
            "Ketua berganti dua kali sejak kami masuk. Selalu minta izin kelian banjar sebelum kegiatan besar."
        ),
        "since": 650,
        "stages": [
            (630, Stage.FIRST_CONTACT, "Dikenalkan oleh kelian banjar setelah rapat desa adat."),
            (560, Stage.BUILDING_TRUST, "Membantu pemilahan sampah saat odalan; hasilnya dilaporkan ke banjar."),
            (400, Stage.PARTNERING, "Kesepakatan program banjar bebas plastik sekali pakai."),
        ],
        "contacts": [
            {"name": "I Made Arya Wiguna", "role": "Ketua", "phone": "0819-0000-1601"},
            {
                "name": "Ni Luh Putu Sri Ayu",
                "role": "Sekretaris",
                "phone": "0821-0000-1602",
                "email": "niluh.sriayu@example.org",
            },
            {
                "name": "I Ketut Suardana",
                "role": "Pembina (mantan ketua)",
                "phone": "0812-0000-1603",
                "language": ContactLanguage.LOCAL,
            },
            {"name": "I Wayan Darmawan", "role": "Mantan ketua (kuliah di Denpasar)", "phone": "0878-0000-1604"},
        ],
        "leaders": [
            ("I Ketut Suardana", "Ketua", 2200),
            ("I Wayan Darmawan", "Ketua", 900),
            ("I Made Arya Wiguna", "Ketua", 120),
        ],
        "interactions": [
            (
                630,
                InteractionKind.MEETING,
                "Rapat dengan Pak Ketut dan pengurus STT tentang sampah upacara.",
                "",
                ["I Ketut Suardana", "Ni Luh Putu Sri Ayu"],
            ),
            (
                400,
                InteractionKind.MEETING,
                "Menyepakati rencana banjar bebas plastik: STT mengurus edukasi, kami mendampingi pencatatan.",
                "",
                ["I Wayan Darmawan", "Ni Luh Putu Sri Ayu"],
            ),
            (
                160,
                InteractionKind.EVENT,
                "Pawai ogoh-ogoh dari bahan daur ulang; jadi bahan berita lokal.",
                "",
                ["I Wayan Darmawan", "Ni Luh Putu Sri Ayu"],
            ),
            (
                120,
                InteractionKind.MEETING,
                "Paruman STT memilih Made Arya sebagai ketua; Wayan melanjutkan kuliah di Denpasar.",
                "Perkenalan kemitraan untuk ketua baru; cek apakah target bebas plastik masih disepakati.",
                ["I Made Arya Wiguna", "Ni Luh Putu Sri Ayu"],
            ),
            (
                11,
                InteractionKind.MESSAGE,
                "Ni Luh mengirim foto pemilahan sampah di pura saat odalan; sampah plastik berkurang banyak.",
                "",
                ["Ni Luh Putu Sri Ayu"],
            ),
        ],
    },
    {
        "name": "Komunitas Ojol Peduli Tangerang",
        "kind": Kind.PROFESSIONAL,
        "province": "36",
        "regency": "Kota Tangerang",
        "founded_year": 2019,
        "approx_members": 300,
        "approx_reach": 3000,
        "mission": (
            "Paguyuban pengemudi ojek online yang saling bantu saat kecelakaan, sakit atau akun dibekukan, dan "
            "menyuarakan tarif yang adil."
        ),
        "values": "Solidaritas, saling jaga di jalan, tanpa pungutan liar.",
        "own_goals": (
            "Dana santunan kecelakaan; posko istirahat dengan toilet dan colokan; pelatihan keselamatan berkendara."
        ),
        "focus_areas": ["pekerja informal", "keselamatan kerja", "advokasi kebijakan"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "Ojol Peduli Tangerang"),
            (ChannelKind.FACEBOOK, "Komunitas Ojol Peduli Tangerang"),
            (ChannelKind.TIKTOK, "@ojolpeduli_tng"),
        ],
        "funding_sources": "Iuran sukarela Rp2.000/hari lewat bendahara posko (tidak semua membayar).",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 110,
        "stages": [(95, Stage.FIRST_CONTACT, "Mampir ke posko mereka setelah melihat video santunan di TikTok.")],
        "contacts": [
            {"name": "Jaka Permana", "role": "Ketua", "phone": "0857-0000-1701"},
            {"name": "Herman Saputra", "role": "Bendahara posko", "phone": "0896-0000-1702"},
        ],
        "leaders": [("Jaka Permana", "Ketua", 1500)],
        "interactions": [
            (
                95,
                InteractionKind.VISIT,
                "Ngobrol di posko; santunan kecelakaan sudah dibayar 4 kali tahun ini dari kas iuran.",
                "",
                ["Jaka Permana", "Herman Saputra"],
            ),
            (
                30,
                InteractionKind.CALL,
                "Bang Jaka bertanya apakah ada pelatihan keselamatan berkendara yang gratis.",
                "Cari mitra pelatihan.",
                ["Jaka Permana"],
            ),
        ],
    },
    {
        "name": "Kelompok Perempuan Pesisir Sinar Laut",
        "kind": Kind.FARMER_FISHER,
        "province": "81",
        "regency": "Kabupaten Maluku Tengah",
        "founded_year": 2017,
        "approx_members": 22,
        "approx_reach": 200,
        "mission": (
            "Ibu-ibu nelayan yang mengolah ikan asap dan abon, supaya hasil tangkapan tidak terbuang saat harga jatuh."
        ),
        "values": "Masohi (gotong royong), kejujuran, kerja keras.",
        "own_goals": (
            "Rumah produksi ikan asap yang higienis; label dan izin PIRT; menjual ke Ambon lewat kapal rutin."
        ),
        "focus_areas": ["perikanan", "ekonomi perempuan", "pengolahan pangan"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Mama-Mama Sinar Laut")],
        "funding_sources": "Belum ada dana kelompok; modal dari masing-masing anggota.",
        "funding_stability": FundingStability.NONE,
        "since": 380,
        "stages": [
            (360, Stage.FIRST_CONTACT, "Bertemu di pelabuhan saat mereka menjual ikan asap ke penumpang kapal."),
            (240, Stage.BUILDING_TRUST, "Dua kunjungan ke rumah produksi; mereka berbagi hitungan modal dan untung."),
        ],
        "contacts": [
            {"name": "Salma Tuasikal", "role": "Ketua", "phone": "0813-0000-1801"},
            {"name": "Wa Ode Hasna", "role": "Sekretaris", "phone": "0852-0000-1802"},
        ],
        "leaders": [("Salma Tuasikal", "Ketua", 2000)],
        "interactions": [
            (360, InteractionKind.VISIT, "Membeli ikan asap dan berkenalan dengan Mama Salma.", "", ["Salma Tuasikal"]),
            (
                240,
                InteractionKind.VISIT,
                "Rumah produksi: asap masuk ke dapur rumah, anak-anak sering batuk.",
                "Cari desain tungku asap yang lebih aman.",
                ["Salma Tuasikal", "Wa Ode Hasna"],
            ),
            (
                52,
                InteractionKind.MESSAGE,
                "Wa Ode mengirim foto label baru buatan anaknya.",
                "",
                ["Wa Ode Hasna"],
            ),
        ],
    },
    {
        "name": "Paguyuban Pedagang Pasar Tua Palu",
        "kind": Kind.OTHER,
        "province": "72",
        "regency": "Kota Palu",
        "founded_year": 2019,
        "approx_members": 140,
        "approx_reach": 2000,
        "mission": (
            "Mewadahi pedagang kecil yang kehilangan lapak sejak gempa 2018 agar mendapat tempat berjualan yang "
            "layak dan aman."
        ),
        "values": "Kebersamaan, tidak ada pungli, tertib.",
        "own_goals": (
            "Relokasi lapak yang disepakati bersama pemerintah kota; jalur evakuasi di pasar; arisan modal dagang."
        ),
        "focus_areas": ["pekerja informal", "kebencanaan", "UMKM"],
        "channels": [],
        "funding_sources": "Belum diketahui; mungkin iuran lapak.",
        "funding_stability": FundingStability.UNKNOWN,
        "since": 35,
        "stages": [],
        "contacts": [{"name": "Rahmat Lamasitudju", "role": "Ketua"}],
        "leaders": [("Rahmat Lamasitudju", "Ketua", 900)],
        "interactions": [
            (
                35,
                InteractionKind.EVENT,
                "Ketua paguyuban berbicara di forum kebencanaan kota; ia terbuka untuk dihubungi lewat kelurahan.",
                "Minta nomor lewat staf kelurahan.",
                ["Rahmat Lamasitudju"],
            ),
        ],
    },
    {
        "name": "Taman Baca Pelita Pesisir",
        "kind": Kind.YOUTH,
        "province": "21",
        "regency": "Kabupaten Bintan",
        "founded_year": 2016,
        "approx_members": 15,
        "approx_reach": 150,
        "mission": (
            "Taman baca di kampung nelayan yang mengajak anak-anak membaca, belajar bahasa Inggris dan mengenal laut."
        ),
        "values": "Belajar itu menyenangkan; semua anak berhak atas buku; relawan setara.",
        "own_goals": "1.000 judul buku; kelas baca setiap sore; beasiswa SMP untuk 5 anak nelayan.",
        "focus_areas": ["pendidikan anak", "literasi", "pemuda"],
        "channels": [
            (ChannelKind.INSTAGRAM, "@pelitapesisir_bintan"),
            (ChannelKind.WHATSAPP_GROUP, "Relawan Pelita Pesisir"),
        ],
        "funding_sources": "Donasi buku dan uang lewat Instagram; pernah sekali mendapat hibah kecil program literasi.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 540,
        "stages": [
            (520, Stage.FIRST_CONTACT, "Rina membalas email kami tentang program literasi pesisir."),
            (450, Stage.BUILDING_TRUST, "Kunjungan ke taman baca; relawan terbuka soal kesulitan dana."),
            (280, Stage.PARTNERING, "Rencana kolaboratif kelas baca sore dan pelatihan relawan disepakati."),
        ],
        "contacts": [
            {
                "name": "Rina Marlina",
                "role": "Pendiri dan koordinator",
                "phone": "0812-0000-2001",
                "email": "rina.pelita@example.org",
                "channel": PreferredChannel.EMAIL,
            },
            {"name": "Zulkifli", "role": "Relawan (guru honorer)", "phone": "0821-0000-2002"},
        ],
        "leaders": [("Rina Marlina", "Koordinator", 3200)],
        "interactions": [
            (
                450,
                InteractionKind.VISIT,
                "Ke taman baca: 40 anak datang sore itu, buku banyak yang rusak kena air.",
                "",
                ["Rina Marlina", "Zulkifli"],
            ),
            (
                280,
                InteractionKind.MEETING,
                "Menyepakati jadwal kelas baca dan pelatihan relawan; Zulkifli mengurus absensi anak.",
                "",
                ["Rina Marlina", "Zulkifli"],
            ),
            (
                85,
                InteractionKind.EVENT,
                "Festival baca pesisir: lomba mendongeng, 120 anak dan orang tua hadir.",
                "",
                ["Rina Marlina"],
            ),
            (
                8,
                InteractionKind.MESSAGE,
                "Email dari Rina: rekap absensi triwulan; rata-rata 32 anak per sore.",
                "Masukkan ke progres tujuan bersama.",
                ["Rina Marlina"],
            ),
        ],
    },
    {
        "name": "Kelompok Peternak Sapi Maju Bersama",
        "kind": Kind.FARMER_FISHER,
        "province": "18",
        "regency": "Kabupaten Lampung Tengah",
        "founded_year": 2012,
        "approx_members": 40,
        "approx_reach": 200,
        "mission": (
            "Beternak sapi secara berkelompok dengan kandang bersama, pakan fermentasi, dan pengolahan kotoran "
            "menjadi pupuk dan biogas."
        ),
        "values": "Gotong royong, tanggung renteng, jujur.",
        "own_goals": "Biogas untuk 20 rumah; cadangan pakan fermentasi saat kemarau; penjualan sapi kurban bersama.",
        "focus_areas": ["peternakan", "energi terbarukan", "ketahanan pangan"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Peternak Maju Bersama")],
        "funding_sources": "Bagi hasil penjualan sapi; dulu ada bantuan bibit ternak dari dinas.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 760,
        "stages": [
            (740, Stage.FIRST_CONTACT, "Dikenalkan oleh penyuluh peternakan kecamatan."),
            (650, Stage.BUILDING_TRUST, "Uji coba pakan fermentasi di kandang bersama."),
            (500, Stage.PARTNERING, "Kemitraan biogas: kelompok membangun, kami mendampingi perawatan."),
            (160, Stage.DORMANT, "Banyak ternak sakit dan dijual murah; kelompok minta jeda kegiatan dulu."),
        ],
        "contacts": [
            {
                "name": "Suparman",
                "role": "Ketua",
                "phone": "0812-0000-2101",
                "language": ContactLanguage.LOCAL,
                "channel": PreferredChannel.PHONE,
            },
            {"name": "Wayan Sudarsa", "role": "Sekretaris", "phone": "0813-0000-2102"},
        ],
        "leaders": [("Suparman", "Ketua", 2500)],
        "interactions": [
            (740, InteractionKind.VISIT, "Ke kandang bersama; 28 ekor sapi, kotoran belum diolah.", "", ["Suparman"]),
            (
                500,
                InteractionKind.MEETING,
                "Kesepakatan biogas: 8 rumah pertama, kelompok menyediakan tenaga dan bahan lokal.",
                "",
                ["Suparman", "Wayan Sudarsa"],
            ),
            (
                160,
                InteractionKind.CALL,
                "Pak Suparman: banyak ternak sakit, anggota menjual sapi murah; minta jeda kegiatan.",
                "Tanya kabar lagi dalam dua bulan.",
                ["Suparman"],
            ),
            (
                75,
                InteractionKind.MESSAGE,
                "Kabar dari Wayan: ternak mulai pulih; kegiatan mungkin bisa dilanjutkan setelah Iduladha.",
                "",
                ["Wayan Sudarsa"],
            ),
        ],
    },
    {
        "name": "Aliansi Warga Kendari Kurangi Plastik",
        "kind": Kind.ADVOCACY,
        "province": "74",
        "regency": "Kota Kendari",
        "founded_year": 2021,
        "approx_members": 40,
        "approx_reach": 6000,
        "mission": (
            "Mengajak warga, pedagang dan sekolah di Kendari mengurangi plastik sekali pakai, dan mendorong "
            "pemerintah kota membuat aturan pembatasan kantong plastik."
        ),
        "values": "Berbasis data, inklusif, tidak menyalahkan pedagang kecil.",
        "own_goals": (
            "Audit merek sampah plastik di teluk setiap tahun; 50 warung ikut gerakan bawa wadah sendiri; "
            "draf peraturan wali kota tentang kantong plastik."
        ),
        "focus_areas": ["pengelolaan sampah", "advokasi kebijakan", "lingkungan"],
        "channels": [
            (ChannelKind.INSTAGRAM, "@kendari_kurangiplastik"),
            (ChannelKind.WHATSAPP_GROUP, "Aliansi Kurangi Plastik"),
            (ChannelKind.WEBSITE, "https://kurangiplastik-kendari.example.org"),
        ],
        "funding_sources": "Belum ada; kegiatan dibiayai patungan relawan.",
        "funding_stability": FundingStability.NONE,
        "since": 260,
        "stages": [
            (240, Stage.FIRST_CONTACT, "Bertemu di audit merek sampah plastik di pantai."),
            (130, Stage.BUILDING_TRUST, "Membantu analisis data audit; hasilnya dipublikasikan atas nama mereka."),
        ],
        "contacts": [
            {"name": "Andi Muh. Ilham", "role": "Koordinator", "phone": "0852-0000-2201"},
            {
                "name": "Sitti Rahmawati",
                "role": "Sekretaris",
                "phone": "0813-0000-2202",
                "email": "sitti.rahma@example.org",
            },
            {"name": "La Ode Baharuddin", "role": "Humas", "phone": "0822-0000-2203"},
        ],
        "leaders": [("Andi Muh. Ilham", "Koordinator", 1500)],
        "interactions": [
            (
                240,
                InteractionKind.EVENT,
                "Audit merek sampah plastik: 3.200 sampah dicatat, tiga merek terbesar dari produk sachet.",
                "",
                ["Andi Muh. Ilham", "Sitti Rahmawati"],
            ),
            (
                130,
                InteractionKind.MEETING,
                "Diskusi hasil analisis; mereka ingin membawa data ke DPRD kota.",
                "Siapkan ringkasan satu halaman.",
                ["Andi Muh. Ilham", "La Ode Baharuddin"],
            ),
            (
                24,
                InteractionKind.CALL,
                "Sitti: audiensi dengan DPRD dijadwalkan bulan depan.",
                "",
                ["Sitti Rahmawati"],
            ),
        ],
    },
    {
        "name": "Komunitas Isyarat Bersama Gorontalo",
        "kind": Kind.ADVOCACY,
        "province": "75",
        "regency": "Kota Gorontalo",
        "founded_year": 2019,
        "approx_members": 35,
        "approx_reach": 400,
        "mission": (
            "Komunitas Tuli dan dengar yang mengajarkan bahasa isyarat dan memperjuangkan juru bahasa isyarat di "
            "layanan publik."
        ),
        "values": "Bahasa isyarat adalah hak; Tuli memimpin; belajar bersama.",
        "own_goals": (
            "Kelas bahasa isyarat gratis untuk petugas puskesmas; juru bahasa isyarat di siaran berita lokal; "
            "video edukasi."
        ),
        "focus_areas": ["hak disabilitas", "pendidikan inklusif", "advokasi kebijakan"],
        "channels": [
            (ChannelKind.INSTAGRAM, "@isyaratbersama_gtlo"),
            (ChannelKind.YOUTUBE, "Isyarat Bersama Gorontalo"),
            (ChannelKind.WHATSAPP_GROUP, "Isyarat Bersama"),
        ],
        "funding_sources": "Belum ada pendanaan; kelas diadakan sukarela.",
        "funding_stability": FundingStability.NONE,
        "internal_notes": (
            "Fadli adalah Tuli: hubungi lewat pesan teks WA, bukan telepon; untuk rapat minta JBI (Nurain)."
        ),
        "since": 100,
        "stages": [(80, Stage.FIRST_CONTACT, "Video call dengan ketua, diterjemahkan oleh juru bahasa isyarat.")],
        "contacts": [
            {"name": "Fadli Mohamad", "role": "Ketua", "phone": "0823-0000-2301"},
            {
                "name": "Nurain Lihawa",
                "role": "Juru bahasa isyarat",
                "phone": "0852-0000-2302",
                "email": "nurain.lihawa@example.org",
            },
        ],
        "leaders": [("Fadli Mohamad", "Ketua", 1800)],
        "interactions": [
            (
                80,
                InteractionKind.MEETING,
                "Video call dengan Fadli dan Nurain: puskesmas belum bisa melayani pasien Tuli tanpa pendamping.",
                "",
                ["Fadli Mohamad", "Nurain Lihawa"],
            ),
            (
                25,
                InteractionKind.MESSAGE,
                "Fadli mengirim video perkenalan komunitas (dengan teks) untuk dibagikan ke dinas kesehatan.",
                "Minta izin sebelum membagikan.",
                ["Fadli Mohamad"],
            ),
        ],
    },
    {
        "name": "Kelompok Mama Noken Sentani",
        "kind": Kind.WOMEN,
        "province": "91",
        "regency": "Kabupaten Jayapura",
        "founded_year": 2018,
        "approx_members": 30,
        "approx_reach": 200,
        "mission": (
            "Mama-mama perajin noken dan penjual pinang di Sentani yang ingin tempat berjualan yang layak dan "
            "harga noken yang adil."
        ),
        "values": "Menghargai budaya, kebersamaan mama-mama, jujur.",
        "own_goals": (
            "Lapak beratap di dekat pasar; noken dijual online dengan bantuan anak muda; mewariskan cara merajut "
            "noken ke anak perempuan."
        ),
        "focus_areas": ["kerajinan", "ekonomi perempuan", "budaya"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Mama Noken Sentani")],
        "funding_sources": "Hasil penjualan noken; kadang pesanan besar untuk acara pemerintah.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 420,
        "stages": [
            (400, Stage.FIRST_CONTACT, "Berkenalan di lapak noken pinggir jalan dekat bandara."),
            (
                300,
                Stage.BUILDING_TRUST,
                "Beberapa kali duduk bersama; mama-mama mau bercerita soal harga dan tengkulak.",
            ),
        ],
        "contacts": [
            {
                "name": "Yosina Ohee",
                "role": "Ketua",
                "channel": PreferredChannel.IN_PERSON,
                "language": ContactLanguage.LOCAL,
            },
            {"name": "Agustina Wally", "role": "Sekretaris (anak muda)", "phone": "0821-0000-2402"},
        ],
        "leaders": [("Yosina Ohee", "Ketua", 2200)],
        "interactions": [
            (
                400,
                InteractionKind.VISIT,
                "Duduk di lapak Mama Yosina; noken dijual jauh di bawah harga kota.",
                "",
                ["Yosina Ohee"],
            ),
            (
                300,
                InteractionKind.MEETING,
                "Pertemuan mama-mama di rumah Mama Yosina; Agustina menawarkan memotret noken untuk dijual online.",
                "",
                ["Yosina Ohee", "Agustina Wally"],
            ),
            (
                37,
                InteractionKind.CALL,
                "Agustina: 12 noken terjual online bulan ini, harga dua kali lipat dari lapak.",
                "Bicarakan pembagian hasil yang adil di pertemuan berikut.",
                ["Agustina Wally"],
            ),
        ],
    },
    {
        "name": "Kelompok Tani Hutan Wana Lestari",
        "kind": Kind.FARMER_FISHER,
        "province": "62",
        "regency": "Kabupaten Pulang Pisau",
        "founded_year": 2016,
        "approx_members": 55,
        "approx_reach": 600,
        "mission": (
            "Mengelola hutan desa dan lahan gambut tanpa bakar: agroforestri, sekat kanal, dan patroli api saat "
            "kemarau."
        ),
        "values": "Hutan adalah kehidupan; handep (gotong royong); menghormati adat Dayak.",
        "own_goals": (
            "Nol titik api di wilayah desa; 30 ha agroforestri jelutung dan karet; madu kelulut sebagai usaha bersama."
        ),
        "focus_areas": ["hutan dan gambut", "kebakaran hutan", "agroforestri"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "KTH Wana Lestari")],
        "funding_sources": "Insentif program restorasi gambut (sudah berakhir), penjualan madu kelulut.",
        "funding_stability": FundingStability.IRREGULAR,
        "internal_notes": "Program restorasi berakhir; risiko pendanaan tinggi menjelang kemarau.",
        "since": 820,
        "stages": [
            (800, Stage.FIRST_CONTACT, "Dikenalkan oleh kepala desa setelah kebakaran lahan."),
            (720, Stage.BUILDING_TRUST, "Ikut membangun sekat kanal bersama anggota."),
            (560, Stage.PARTNERING, "Kemitraan patroli api dan usaha madu kelulut."),
        ],
        "contacts": [
            {"name": "Darius Ahat", "role": "Ketua", "phone": "0852-0000-2501"},
            {"name": "Resti Anggreni", "role": "Bendahara", "phone": "0813-0000-2502"},
            {"name": "Yulius Tingang", "role": "Koordinator patroli (mantan ketua)", "phone": "0812-0000-2503"},
        ],
        "leaders": [("Yulius Tingang", "Ketua", 2400), ("Darius Ahat", "Ketua", 700)],
        "interactions": [
            (800, InteractionKind.VISIT, "Melihat bekas lahan terbakar bersama Pak Yulius.", "", ["Yulius Tingang"]),
            (
                560,
                InteractionKind.MEETING,
                "Kesepakatan patroli api: jadwal patroli, alat pemadam, laporan titik api lewat WA.",
                "",
                ["Yulius Tingang", "Darius Ahat"],
            ),
            (
                200,
                InteractionKind.EVENT,
                "Panen madu kelulut pertama: 40 botol terjual di pasar kecamatan.",
                "",
                ["Darius Ahat", "Resti Anggreni"],
            ),
            (
                50,
                InteractionKind.CALL,
                "Pak Darius: insentif program sudah berhenti; mereka khawatir tidak ada biaya bensin pompa patroli.",
                "Bahas rencana pendanaan patroli di pertemuan rutin.",
                ["Darius Ahat"],
            ),
            (
                4,
                InteractionKind.MESSAGE,
                "Laporan patroli dari Yulius: tidak ada titik api minggu ini, air kanal masih tinggi.",
                "",
                ["Yulius Tingang"],
            ),
        ],
    },
    {
        "name": "Forum Guru Honorer Peduli Jambi",
        "kind": Kind.PROFESSIONAL,
        "province": "15",
        "regency": "Kota Jambi",
        "founded_year": 2016,
        "approx_members": 500,
        "approx_reach": 2000,
        "mission": (
            "Wadah guru honorer untuk berbagi informasi seleksi PPPK, pelatihan mengajar, dan menyuarakan upah "
            "yang layak."
        ),
        "values": "Solidaritas, profesionalisme, tidak partisan.",
        "own_goals": "Pendampingan seleksi PPPK; pelatihan kurikulum; data guru honorer per sekolah.",
        "focus_areas": ["pendidikan", "pekerja informal", "advokasi kebijakan"],
        "channels": [
            (ChannelKind.FACEBOOK, "Forum Guru Honorer Peduli Jambi"),
            (ChannelKind.WHATSAPP_GROUP, "FGHP Jambi (pengurus)"),
        ],
        "funding_sources": "Iuran sukarela saat ada kegiatan.",
        "funding_stability": FundingStability.NONE,
        "since": 1000,
        "stages": [
            (980, Stage.FIRST_CONTACT, "Bertemu di seminar pendidikan di Kota Jambi."),
            (900, Stage.BUILDING_TRUST, "Membantu survei guru honorer; hasil dibagi ke semua anggota."),
            (760, Stage.PARTNERING, "Kemitraan pelatihan kurikulum untuk guru honorer."),
            (
                220,
                Stage.EXITED,
                "Sebagian besar pengurus sudah diangkat PPPK dan forum melebur ke organisasi profesi guru; "
                "kemitraan ditutup dengan baik, pelajaran dicatat.",
            ),
        ],
        "contacts": [
            {"name": "Meliana Sari", "role": "Ketua", "phone": "0812-0000-2601", "email": "meliana.sari@example.org"},
            {"name": "Hendri Saputra", "role": "Sekretaris", "phone": "0853-0000-2602"},
        ],
        "leaders": [("Meliana Sari", "Ketua", 2800)],
        "interactions": [
            (980, InteractionKind.EVENT, "Seminar pendidikan; berkenalan dengan Ibu Meliana.", "", ["Meliana Sari"]),
            (
                760,
                InteractionKind.EVENT,
                "Pelatihan kurikulum untuk 80 guru honorer di aula sekolah.",
                "",
                ["Meliana Sari", "Hendri Saputra"],
            ),
            (
                220,
                InteractionKind.MEETING,
                "Pertemuan penutupan: refleksi bersama apa yang berhasil dan tidak; forum melebur ke organisasi "
                "profesi.",
                "Tulis pelajaran untuk kelompok profesional lain.",
                ["Meliana Sari", "Hendri Saputra"],
            ),
        ],
    },
    {
        "name": "Kelompok Penenun Ikat Bunga Lontar",
        "kind": Kind.WOMEN,
        "province": "53",
        "regency": "Kabupaten Sikka",
        "founded_year": 2009,
        "approx_members": 32,
        "approx_reach": 250,
        "mission": (
            "Melestarikan tenun ikat motif Sikka dengan pewarna alam, dan memastikan penenun mendapat harga yang adil."
        ),
        "values": "Warisan leluhur, kualitas, keadilan harga.",
        "own_goals": (
            "Kebun pewarna alam (mengkudu, tarum) sendiri; katalog online dengan harga yang transparan; "
            "kelas tenun untuk remaja putri."
        ),
        "focus_areas": ["kerajinan", "budaya", "ekonomi perempuan"],
        "channels": [
            (ChannelKind.INSTAGRAM, "@tenun_bungalontar"),
            (ChannelKind.WHATSAPP_GROUP, "Penenun Bunga Lontar"),
            (ChannelKind.FACEBOOK, "Tenun Ikat Bunga Lontar"),
        ],
        "funding_sources": "Penjualan kain; pesanan musiman dari galeri di Bali dan Jakarta.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 680,
        "stages": [
            (660, Stage.FIRST_CONTACT, "Bertemu di pameran tenun kabupaten."),
            (600, Stage.BUILDING_TRUST, "Belajar proses pewarnaan alam di sanggar mereka."),
            (450, Stage.PARTNERING, "Kemitraan katalog online dan kebun pewarna alam."),
        ],
        "contacts": [
            {
                "name": "Maria Goreti Bura",
                "role": "Ketua",
                "phone": "0813-0000-2701",
                "language": ContactLanguage.LOCAL,
            },
            {
                "name": "Yuliana Wisang",
                "role": "Sekretaris",
                "phone": "0822-0000-2702",
                "email": "yuliana.wisang@example.org",
            },
            {"name": "Emilia Nona", "role": "Bendahara", "phone": "0812-0000-2703"},
            {
                "name": "Theresia Lawe",
                "role": "Penenun senior (mantan ketua)",
                "channel": PreferredChannel.IN_PERSON,
                "language": ContactLanguage.LOCAL,
            },
        ],
        "leaders": [("Theresia Lawe", "Ketua", 3500), ("Maria Goreti Bura", "Ketua", 1300)],
        "interactions": [
            (
                660,
                InteractionKind.EVENT,
                "Pameran tenun; Mama Maria menjelaskan motif dan pewarna.",
                "",
                ["Maria Goreti Bura"],
            ),
            (
                450,
                InteractionKind.MEETING,
                "Menyepakati katalog online: Yuliana memotret, harga ditulis terbuka beserta upah penenun.",
                "",
                ["Maria Goreti Bura", "Yuliana Wisang", "Emilia Nona"],
            ),
            (
                130,
                InteractionKind.VISIT,
                "Kebun pewarna alam mulai panen daun tarum; Mama Theresia mengajari remaja membuat pewarna.",
                "",
                ["Maria Goreti Bura", "Theresia Lawe"],
            ),
            (
                15,
                InteractionKind.MESSAGE,
                "Yuliana: pesanan 20 kain dari galeri di Bali, tenggat dua bulan.",
                "Cek apakah tenggatnya realistis bagi penenun.",
                ["Yuliana Wisang"],
            ),
        ],
    },
    {
        "name": "Relawan Siaga Pantai Bengkulu",
        "kind": Kind.OTHER,
        "province": "17",
        "regency": "Kota Bengkulu",
        "founded_year": 2015,
        "approx_members": 60,
        "approx_reach": 10000,
        "mission": (
            "Relawan siaga bencana pesisir: edukasi tsunami di sekolah, jalur evakuasi, dan respons cepat saat "
            "banjir rob atau gempa."
        ),
        "values": "Siaga, sukarela, cepat tanggap, bekerja sama dengan BPBD.",
        "own_goals": (
            "Simulasi evakuasi tsunami di 20 sekolah per tahun; peta risiko per kelurahan; gudang logistik kecil."
        ),
        "focus_areas": ["kebencanaan", "pendidikan anak", "pemuda"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "Relawan Siaga Pantai"),
            (ChannelKind.INSTAGRAM, "@siagapantai_bkl"),
        ],
        "funding_sources": "Tidak ada pendanaan tetap; relawan menanggung biaya sendiri.",
        "funding_stability": FundingStability.NONE,
        "since": 230,
        "stages": [
            (210, Stage.FIRST_CONTACT, "Diperkenalkan oleh staf BPBD kota."),
            (90, Stage.BUILDING_TRUST, "Ikut simulasi evakuasi di SD; mereka meminta masukan secara terbuka."),
        ],
        "contacts": [
            {"name": "Rahmat Hidayat", "role": "Komandan relawan", "phone": "0812-0000-2801"},
            {"name": "Desi Purnamasari", "role": "Koordinator edukasi", "phone": "0813-0000-2802"},
        ],
        "leaders": [("Rahmat Hidayat", "Komandan", 2500)],
        "interactions": [
            (210, InteractionKind.CALL, "Perkenalan dengan Bang Rahmat lewat telepon.", "", ["Rahmat Hidayat"]),
            (
                90,
                InteractionKind.EVENT,
                "Simulasi evakuasi tsunami di SD pesisir; 300 siswa keluar dalam 9 menit.",
                "Desi ingin materi edukasi untuk PAUD.",
                ["Rahmat Hidayat", "Desi Purnamasari"],
            ),
            (
                10,
                InteractionKind.MESSAGE,
                "Desi mengirim jadwal simulasi di lima sekolah semester ini.",
                "",
                ["Desi Purnamasari"],
            ),
        ],
    },
    {
        "name": "Pokdarwis Bukit Biru",
        "kind": Kind.YOUTH,
        "province": "64",
        "regency": "Kabupaten Berau",
        "founded_year": 2017,
        "approx_members": 25,
        "approx_reach": 3000,
        "mission": (
            "Kelompok sadar wisata kampung yang mengembangkan ekowisata karst dan sungai, dengan keuntungan "
            "kembali ke warga."
        ),
        "values": "Wisata berkelanjutan, kearifan lokal, ramah tamu.",
        "own_goals": (
            "Pemandu lokal bersertifikat; homestay warga dengan standar kebersihan; a zero-waste trekking route; "
            "English for guides."
        ),
        "focus_areas": ["pariwisata", "lingkungan", "pemuda"],
        "channels": [
            (ChannelKind.INSTAGRAM, "@pokdarwis_bukitbiru"),
            (ChannelKind.WHATSAPP_GROUP, "Pokdarwis Bukit Biru"),
        ],
        "legal_status": LegalStatus.OTHER,
        "registration_number": "SK Kepala Kampung No. 12/2018 (fiktif)",
        "funding_sources": "Tiket dan jasa pemandu; sebagian masuk kas kampung.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 460,
        "stages": [
            (440, Stage.FIRST_CONTACT, "Ikut trip wisata mereka sebagai tamu biasa."),
            (380, Stage.BUILDING_TRUST, "Diskusi terbuka soal pembagian hasil dengan kampung."),
            (240, Stage.PARTNERING, "Kemitraan pelatihan pemandu dan jalur trekking bebas sampah."),
        ],
        "contacts": [
            {"name": "Yusran", "role": "Ketua", "phone": "0821-0000-2901"},
            {
                "name": "Febriyanti",
                "role": "Sekretaris dan pemasaran",
                "phone": "0812-0000-2902",
                "email": "febri.bukitbiru@example.org",
            },
        ],
        "leaders": [("Yusran", "Ketua", 1800)],
        "interactions": [
            (
                440,
                InteractionKind.EVENT,
                "Trip susur sungai dan karst; pemandu muda, cerita kampung menarik.",
                "",
                ["Yusran"],
            ),
            (
                240,
                InteractionKind.MEETING,
                "Rencana pelatihan pemandu: 10 pemuda, materi keselamatan dan bahasa Inggris dasar.",
                "",
                ["Yusran", "Febriyanti"],
            ),
            (
                70,
                InteractionKind.EVENT,
                "Uji sertifikasi pemandu: 7 dari 10 lulus.",
                "Cari jadwal ujian ulang untuk yang belum lulus.",
                ["Yusran", "Febriyanti"],
            ),
            (
                13,
                InteractionKind.CALL,
                "Febriyanti: kunjungan turis naik, sampah di jalur trekking juga naik.",
                "",
                ["Febriyanti"],
            ),
        ],
    },
    {
        "name": "Arisan Keluarga Perantau Agam Pekanbaru",
        "kind": Kind.SAVINGS,
        "province": "14",
        "regency": "Kota Pekanbaru",
        "founded_year": 2008,
        "approx_members": 50,
        "approx_reach": 300,
        "mission": (
            "Arisan dan paguyuban keluarga perantau asal Agam di Pekanbaru: silaturahmi, bantuan duka, dan "
            "beasiswa untuk anak kemenakan."
        ),
        "values": "Adat basandi syarak, kekeluargaan, amanah.",
        "own_goals": "Beasiswa untuk 10 anak per tahun; dana duka yang cepat cair; usaha bersama rumah makan.",
        "focus_areas": ["simpan pinjam", "pendidikan anak"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Perantau Agam Pekanbaru")],
        "funding_sources": "Setoran arisan bulanan dan infak pertemuan.",
        "funding_stability": FundingStability.STABLE,
        "since": 15,
        "stages": [],
        "contacts": [{"name": "Zulfikar Dt. Rajo Mangkuto", "role": "Ketua", "phone": "0811-0000-3001"}],
        "leaders": [("Zulfikar Dt. Rajo Mangkuto", "Ketua", 1600)],
        "interactions": [
            (
                15,
                InteractionKind.MESSAGE,
                "Ibu Yusnimar (KWT Melati Harum) meneruskan nomor ketua paguyuban; mereka pernah membantu kebun "
                "sekolah di Agam.",
                "Minta Ibu Yusnimar memperkenalkan kami lebih dulu.",
                [],
            ),
        ],
    },
    {
        "name": "Pemuda Adat Penjaga Hutan Manokwari",
        "kind": Kind.ADVOCACY,
        "province": "92",
        "regency": "Kabupaten Manokwari",
        "founded_year": 2020,
        "approx_members": 40,
        "approx_reach": 1500,
        "mission": (
            "Pemuda adat yang memetakan wilayah adat dan menjaga hutan dari pembukaan lahan tanpa persetujuan "
            "masyarakat."
        ),
        "values": "Tanah adalah mama; musyawarah adat; generasi muda sebagai penjaga.",
        "own_goals": "Peta partisipatif wilayah adat tiga kampung; dokumentasi cerita tetua; pelatihan GPS dan drone.",
        "focus_areas": ["hutan adat", "pemetaan partisipatif", "pemuda"],
        "channels": [
            (ChannelKind.WHATSAPP_GROUP, "Pemuda Adat Penjaga Hutan"),
            (ChannelKind.FACEBOOK, "Pemuda Adat Penjaga Hutan Manokwari"),
        ],
        "funding_sources": "Belum ada; perjalanan ke kampung dibiayai sendiri.",
        "funding_stability": FundingStability.NONE,
        "since": 140,
        "stages": [(120, Stage.FIRST_CONTACT, "Bertemu koordinator di diskusi kampus tentang hutan adat.")],
        "contacts": [
            {"name": "Yohanis Mandacan", "role": "Koordinator", "phone": "0821-0000-3101"},
            {"name": "Selvi Indouw", "role": "Sekretaris", "phone": "0852-0000-3102"},
        ],
        "leaders": [("Yohanis Mandacan", "Koordinator", 1500)],
        "interactions": [
            (
                120,
                InteractionKind.EVENT,
                "Diskusi kampus; Yohanis menunjukkan peta sketsa wilayah adat buatan tangan.",
                "",
                ["Yohanis Mandacan"],
            ),
            (
                45,
                InteractionKind.CALL,
                "Selvi: tetua kampung minta pertemuan adat dulu sebelum ada orang luar ikut memetakan.",
                "Hormati prosesnya; tunggu undangan.",
                ["Selvi Indouw"],
            ),
        ],
    },
    {
        "name": "Ikatan Remaja Masjid Al-Ikhlas",
        "kind": Kind.FAITH,
        "province": "63",
        "regency": "Kota Banjarmasin",
        "founded_year": 2002,
        "approx_members": 50,
        "approx_reach": 800,
        "mission": (
            "Remaja masjid yang memakmurkan masjid dan kampung: TPA, kajian remaja, dan bersih-bersih sungai di "
            "depan masjid."
        ),
        "values": "Akhlak, kebersamaan, peduli lingkungan sebagai ibadah.",
        "own_goals": "TPA gratis untuk 100 santri; program Jumat Bersih Sungai; pelatihan wirausaha remaja.",
        "focus_areas": ["keagamaan", "pemuda", "sungai", "pendidikan anak"],
        "channels": [
            (ChannelKind.INSTAGRAM, "@irmas_alikhlas_bjm"),
            (ChannelKind.WHATSAPP_GROUP, "IRMAS Al-Ikhlas"),
        ],
        "funding_sources": "Kas masjid, infak jamaah, bazar Ramadan.",
        "funding_stability": FundingStability.IRREGULAR,
        "internal_notes": "Ketua baru dilantik baru-baru ini; kenalkan lagi komitmen Jumat Bersih Sungai.",
        "since": 500,
        "stages": [
            (480, Stage.FIRST_CONTACT, "Ikut Jumat Bersih Sungai atas undangan takmir masjid."),
            (400, Stage.BUILDING_TRUST, "Pengurus berbagi laporan kas kegiatan di grup; kami ikut tiga kali aksi."),
            (250, Stage.PARTNERING, "Kemitraan Jumat Bersih Sungai dengan kelurahan."),
        ],
        "contacts": [
            {"name": "Muhammad Rizal", "role": "Ketua", "phone": "0813-0000-3201"},
            {"name": "Ahmad Syauqi", "role": "Pembina (ketua sebelumnya)", "phone": "0852-0000-3202"},
            {"name": "Nadia Rahmah", "role": "Sekretaris", "phone": "0821-0000-3203"},
            {"name": "Hafizh Maulana", "role": "Alumni (mantan ketua)", "phone": "0838-0000-3204"},
        ],
        "leaders": [
            ("Hafizh Maulana", "Ketua", 1500),
            ("Ahmad Syauqi", "Ketua", 700),
            ("Muhammad Rizal", "Ketua", 20),
        ],
        "interactions": [
            (480, InteractionKind.EVENT, "Jumat Bersih Sungai: 25 remaja, dua perahu sampah.", "", ["Ahmad Syauqi"]),
            (
                250,
                InteractionKind.MEETING,
                "Kesepakatan dengan kelurahan: angkutan sampah setiap Jumat, remaja masjid mengumpulkan.",
                "",
                ["Ahmad Syauqi", "Nadia Rahmah"],
            ),
            (
                20,
                InteractionKind.EVENT,
                "Pelantikan pengurus baru; Muhammad Rizal menjadi ketua, Syauqi menjadi pembina.",
                "Jadwalkan pertemuan perkenalan dengan ketua baru.",
                ["Muhammad Rizal", "Ahmad Syauqi", "Nadia Rahmah"],
            ),
            (
                5,
                InteractionKind.MESSAGE,
                "Nadia: Jumat Bersih Sungai tetap jalan minggu ini; Rizal ingin menambah kegiatan daur ulang.",
                "",
                ["Nadia Rahmah"],
            ),
        ],
    },
    {
        "name": "Komunitas Sahabat Netra Bangka",
        "kind": Kind.ADVOCACY,
        "province": "19",
        "regency": "Kota Pangkalpinang",
        "founded_year": 2018,
        "approx_members": 45,
        "approx_reach": 300,
        "mission": (
            "Komunitas tunanetra dan relawan pendamping: pelatihan orientasi mobilitas, pijat profesional, dan "
            "literasi digital dengan pembaca layar."
        ),
        "values": "Mandiri, setara, saling menguatkan.",
        "own_goals": (
            "20 anggota memakai HP dengan pembaca layar; panti pijat bersama; trotoar dengan guiding block di "
            "pusat kota."
        ),
        "focus_areas": ["hak disabilitas", "literasi digital", "UMKM"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Sahabat Netra Bangka (voice note)")],
        "funding_sources": "Hasil jasa pijat anggota, donasi relawan.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 300,
        "stages": [
            (280, Stage.FIRST_CONTACT, "Berkenalan dengan ketua di acara car free day."),
            (180, Stage.BUILDING_TRUST, "Dua sesi belajar pembaca layar bersama relawan mereka."),
        ],
        "contacts": [
            {"name": "Hendrik Wijaya", "role": "Ketua", "phone": "0819-0000-3301", "channel": PreferredChannel.PHONE},
            {"name": "Rosita", "role": "Relawan pendamping", "phone": "0812-0000-3302"},
        ],
        "leaders": [("Hendrik Wijaya", "Ketua", 2000)],
        "interactions": [
            (280, InteractionKind.EVENT, "Car free day: lapak pijat komunitas.", "", ["Hendrik Wijaya"]),
            (
                180,
                InteractionKind.MEETING,
                "Sesi belajar pembaca layar; 8 anggota ikut, 5 sudah bisa mengirim pesan WA sendiri.",
                "",
                ["Hendrik Wijaya", "Rosita"],
            ),
            (
                29,
                InteractionKind.CALL,
                "Pak Hendrik: ingin audiensi ke dinas PUPR soal trotoar, minta ditemani.",
                "",
                ["Hendrik Wijaya"],
            ),
        ],
    },
    {
        "name": "Kelompok Pembudidaya Rumput Laut Teluk Indah",
        "kind": Kind.FARMER_FISHER,
        "province": "82",
        "regency": "Kabupaten Halmahera Selatan",
        "founded_year": 2015,
        "approx_members": 30,
        "approx_reach": 150,
        "mission": "Budidaya rumput laut bersama di teluk kampung dan menjual hasil kering langsung ke pengepul besar.",
        "values": "Kerja keras, jujur, bagi hasil yang adil.",
        "own_goals": "Para-para pengering yang layak; harga jual yang transparan; bibit unggul.",
        "focus_areas": ["perikanan", "budidaya rumput laut", "ekonomi pesisir"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Rumput Laut Teluk Indah (sinyal lemah)")],
        "funding_sources": "Belum diketahui.",
        "funding_stability": FundingStability.UNKNOWN,
        "since": 45,
        "stages": [],
        "contacts": [{"name": "Ismail Hi. Abdullah", "role": "Ketua", "phone": "0823-0000-3401"}],
        "leaders": [("Ismail Hi. Abdullah", "Ketua", 1800)],
        "interactions": [
            (
                45,
                InteractionKind.MESSAGE,
                "Dinas perikanan kabupaten merekomendasikan kelompok ini dan mengirim nomor ketua.",
                "Hubungi saat ada perjalanan ke Halmahera.",
                ["Ismail Hi. Abdullah"],
            ),
        ],
    },
    {
        "name": "Kelompok Tani Kampung Sejahtera",
        "kind": Kind.FARMER_FISHER,
        "province": "93",
        "regency": "Kabupaten Merauke",
        "founded_year": 2010,
        "approx_members": 45,
        "approx_reach": 300,
        "mission": (
            "Petani padi kampung, warga asli dan transmigran, yang ingin mengolah lahan sendiri dan tidak hanya "
            "menyewakannya."
        ),
        "values": "Kerukunan warga asli dan pendatang, musyawarah, mandiri.",
        "own_goals": "Penggilingan padi kecil milik kelompok; jadwal tanam bersama; pelatihan pembukuan.",
        "focus_areas": ["ketahanan pangan", "hak atas tanah", "pemasaran bersama"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Poktan Kampung Sejahtera")],
        "funding_sources": "Iuran setiap panen, bantuan traktor dari dinas pertanian (sekali).",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 360,
        "stages": [
            (340, Stage.FIRST_CONTACT, "Dikenalkan oleh pastor kampung."),
            (220, Stage.BUILDING_TRUST, "Musyawarah kampung menerima kami; tetua adat ikut hadir."),
            (90, Stage.PARTNERING, "Kemitraan penggilingan padi kelompok disepakati di musyawarah kampung."),
        ],
        "contacts": [
            {"name": "Paulus Gebze", "role": "Ketua", "phone": "0821-0000-3501", "channel": PreferredChannel.IN_PERSON},
            {"name": "Sumarni", "role": "Bendahara", "phone": "0852-0000-3502"},
            {"name": "Kornelis Mahuze", "role": "Sekretaris", "phone": "0812-0000-3503"},
        ],
        "leaders": [("Paulus Gebze", "Ketua", 1400)],
        "interactions": [
            (340, InteractionKind.VISIT, "Kunjungan ke sawah kelompok bersama pastor kampung.", "", ["Paulus Gebze"]),
            (
                220,
                InteractionKind.MEETING,
                "Musyawarah kampung: tetua adat menegaskan tanah tidak dijual; kelompok ingin mengolah sendiri.",
                "",
                ["Paulus Gebze", "Kornelis Mahuze"],
            ),
            (
                90,
                InteractionKind.MEETING,
                "Kesepakatan penggilingan padi: kelompok menyiapkan bangunan, Ibu Sumarni mengelola pembukuan.",
                "",
                ["Paulus Gebze", "Sumarni", "Kornelis Mahuze"],
            ),
            (
                17,
                InteractionKind.CALL,
                "Kornelis: bangunan penggilingan sudah beratap; menunggu listrik dari PLN.",
                "",
                ["Kornelis Mahuze"],
            ),
        ],
    },
    {
        "name": "Pemuda Peduli Terumbu Karang Raja Ampat",
        "kind": Kind.ADVOCACY,
        "province": "96",
        "regency": "Kabupaten Raja Ampat",
        "founded_year": 2019,
        "approx_members": 20,
        "approx_reach": 2000,
        "mission": (
            "Pemuda kampung yang memantau terumbu karang, mengedukasi wisatawan, dan mendukung sasi laut adat."
        ),
        "values": "Sasi (aturan adat), belajar dari tetua, laut untuk generasi berikutnya.",
        "own_goals": (
            "Monitoring karang dua kali setahun; papan informasi sasi untuk wisatawan in English and Indonesian; "
            "pelatihan selam untuk 10 pemuda."
        ),
        "focus_areas": ["terumbu karang", "pariwisata", "pemuda", "lingkungan"],
        "channels": [
            (ChannelKind.INSTAGRAM, "@pemudakarang_rajaampat"),
            (ChannelKind.WHATSAPP_GROUP, "Pemuda Karang"),
        ],
        "funding_sources": "Donasi homestay dan operator selam, kadang hibah kecil.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 600,
        "stages": [
            (570, Stage.FIRST_CONTACT, "Bertemu ketua di pelatihan monitoring karang."),
            (480, Stage.BUILDING_TRUST, "Ikut monitoring; data dibagikan ke kampung dalam rapat adat."),
            (330, Stage.PARTNERING, "Kemitraan papan informasi sasi dan pelatihan selam."),
            (
                60,
                Stage.DORMANT,
                "Sinyal putus berbulan-bulan dan pengurus sibuk musim wisata; pertemuan rutin terhenti.",
            ),
        ],
        "contacts": [
            {"name": "Obed Mayor", "role": "Ketua", "phone": "0821-0000-3601"},
            {"name": "Ester Dimara", "role": "Sekretaris", "phone": "0813-0000-3602"},
        ],
        "leaders": [("Obed Mayor", "Ketua", 2000)],
        "interactions": [
            (570, InteractionKind.EVENT, "Pelatihan monitoring karang di Waisai.", "", ["Obed Mayor"]),
            (
                330,
                InteractionKind.MEETING,
                "Rencana papan informasi sasi: teks disetujui tetua, Ester menerjemahkan ke bahasa Inggris.",
                "",
                ["Obed Mayor", "Ester Dimara"],
            ),
            (
                150,
                InteractionKind.EVENT,
                "Pemasangan tiga papan informasi sasi di dermaga kampung.",
                "",
                ["Obed Mayor", "Ester Dimara"],
            ),
            (
                60,
                InteractionKind.MESSAGE,
                "Pesan ke Ester belum terbalas dua minggu; sinyal di kampung putus.",
                "Coba lewat operator homestay di Waisai.",
                ["Ester Dimara"],
            ),
        ],
    },
    {
        "name": "Komunitas Ibu Pintar Digital",
        "kind": Kind.ONLINE,
        "province": "32",
        "regency": "Kabupaten Bogor",
        "founded_year": 2021,
        "approx_members": 12000,
        "approx_reach": 50000,
        "mission": (
            "An online community, mostly on Facebook and WhatsApp, where mothers learn to sell online, spot hoaxes "
            "and protect their children's privacy. Admin dan moderator semuanya relawan."
        ),
        "values": "Supportive, no judging, cek fakta dulu sebelum share.",
        "own_goals": (
            "Kelas live jualan online setiap bulan; panduan anti-hoaks dalam bahasa sederhana; "
            "a moderator team in five provinces."
        ),
        "focus_areas": ["literasi digital", "ekonomi perempuan", "UMKM"],
        "channels": [
            (ChannelKind.FACEBOOK, "Ibu Pintar Digital"),
            (ChannelKind.INSTAGRAM, "@ibupintardigital_id"),
            (ChannelKind.WHATSAPP_GROUP, "Admin Ibu Pintar Digital"),
        ],
        "funding_sources": "Belum ada; pernah ditawari endorse produk tapi ditolak agar tetap netral.",
        "funding_stability": FundingStability.NONE,
        "since": 150,
        "stages": [
            (130, Stage.FIRST_CONTACT, "Email ke admin setelah membaca panduan anti-hoaks mereka."),
            (40, Stage.BUILDING_TRUST, "Menjadi narasumber tamu di kelas live; admin berbagi data peserta anonim."),
        ],
        "contacts": [
            {
                "name": "Anindya Putri",
                "role": "Founder dan admin utama",
                "phone": "0812-0000-3701",
                "email": "anindya.putri@example.org",
                "channel": PreferredChannel.EMAIL,
            },
            {"name": "Ratih Kusumawardani", "role": "Moderator", "phone": "0857-0000-3702"},
        ],
        "leaders": [("Anindya Putri", "Founder", 1600)],
        "interactions": [
            (
                130,
                InteractionKind.CALL,
                "Video call with Anindya: 12k members, 9 volunteer moderators, burnout is a real risk.",
                "",
                ["Anindya Putri"],
            ),
            (
                40,
                InteractionKind.EVENT,
                "Kelas live 'Jualan online tanpa ketipu': 850 penonton, banyak pertanyaan soal penipuan COD.",
                "",
                ["Anindya Putri", "Ratih Kusumawardani"],
            ),
            (
                7,
                InteractionKind.MESSAGE,
                "Ratih shares a draft moderator code of conduct and asks for feedback.",
                "Send comments by next week.",
                ["Ratih Kusumawardani"],
            ),
        ],
    },
    {
        "name": "Kelompok Petani Kopi Lembah Baliem",
        "kind": Kind.FARMER_FISHER,
        "province": "95",
        "regency": "Kabupaten Jayawijaya",
        "founded_year": 2014,
        "approx_members": 70,
        "approx_reach": 400,
        "mission": "Petani kopi arabika di lembah yang ingin mengolah dan menjual kopi sendiri dengan harga yang adil.",
        "values": "Kebersamaan, kerja keras, menjaga tanah.",
        "own_goals": "Mesin pengupas kopi bersama; pelatihan pascapanen; merek kopi kelompok.",
        "focus_areas": ["pertanian kopi", "pemasaran bersama", "ketahanan pangan"],
        "channels": [(ChannelKind.WHATSAPP_GROUP, "Kopi Lembah Baliem")],
        "funding_sources": "Penjualan kopi ke pembeli di Wamena; sekali bantuan mesin dari gereja.",
        "funding_stability": FundingStability.IRREGULAR,
        "since": 280,
        "stages": [
            (260, Stage.FIRST_CONTACT, "Bertemu di pasar Wamena saat mereka menjual kopi gelondong."),
            (170, Stage.BUILDING_TRUST, "Kunjungan ke kebun dan honai ketua; anggota mau membuka catatan harga."),
        ],
        "contacts": [
            {
                "name": "Yulianus Wenda",
                "role": "Ketua",
                "phone": "0821-0000-3801",
                "channel": PreferredChannel.IN_PERSON,
                "language": ContactLanguage.LOCAL,
            },
            {"name": "Meki Kogoya", "role": "Sekretaris", "phone": "0852-0000-3802"},
        ],
        "leaders": [("Yulianus Wenda", "Ketua", 2100)],
        "interactions": [
            (
                260,
                InteractionKind.VISIT,
                "Pasar Wamena: kopi gelondong dijual murah ke pembeli dari luar.",
                "",
                ["Yulianus Wenda"],
            ),
            (
                170,
                InteractionKind.VISIT,
                "Kebun kopi di lereng; pascapanen masih dijemur di tanah.",
                "Cari pelatih pascapanen yang bisa datang ke lembah.",
                ["Yulianus Wenda", "Meki Kogoya"],
            ),
            (
                23,
                InteractionKind.CALL,
                "Meki: panen mulai bulan depan; kelompok ingin mencoba menjemur di para-para.",
                "",
                ["Meki Kogoya"],
            ),
        ],
    },
]

ORGANIZATION_FIELDS = (
    "kind",
    "mission",
    "values",
    "own_goals",
    "province",
    "regency",
    "founded_year",
    "approx_members",
    "approx_reach",
    "legal_status",
    "registration_number",
    "funding_sources",
    "funding_stability",
    "internal_notes",
)


def demo_data_load(*, user: User | None = None) -> int:
    """Load the demo organizations that are not there yet; return how many were loaded.

    Everything is recorded as the demo facilitator unless another user is
    given, so the history reads like a facilitator's own work (and leadership
    terms, which must name who recorded them, have someone to name).
    """
    if user is None:
        user = User.objects.filter(username=DEMO_FACILITATOR).first()
    if user is None:
        demo_users_create()
        user = User.objects.get(username=DEMO_FACILITATOR)
    today = timezone.localdate()
    loaded = 0
    for data in ORGANIZATIONS:
        with transaction.atomic():
            existing = Organization.objects.filter(name=data["name"]).first()
            if existing is not None and not _is_placeholder(existing):
                continue
            _organization_load(data, existing or Organization(name=data["name"]), user=user, today=today)
            loaded += 1
    return loaded


def _is_placeholder(organization: Organization) -> bool:
    """The bare row demo_users_create() makes so a demo partner has a group."""
    return not organization.mission and not organization.contacts.exists() and not organization.stage_changes.exists()


def _organization_load(data: dict[str, Any], organization: Organization, *, user: User, today: datetime.date) -> None:
    def day(days_ago: int) -> datetime.date:
        return today - datetime.timedelta(days=days_ago)

    created = organization.pk is None
    for field in ORGANIZATION_FIELDS:
        if field in data:
            setattr(organization, field, data[field])
    organization.created_at = _moment(day(data["since"]))
    organization_save(
        user=user,
        organization=organization,
        focus_area_names=data["focus_areas"],
        changed_fields=None if created else [field for field in ORGANIZATION_FIELDS if field in data],
    )
    for kind, address in data["channels"]:
        channel = Channel(organization=organization, kind=kind, address=address)
        channel.full_clean()
        channel.save()

    for days_ago, stage, reason in data["stages"]:
        change = organization_set_stage(user=user, organization=organization, stage=stage, reason=reason)
        # The service stamps "now"; the demo history needs its own dates.
        StageChange.objects.filter(pk=change.pk).update(changed_at=_moment(day(days_ago)))

    met_on = day(data["stages"][0][0]) if data["stages"] else None
    contacts: dict[str, Contact] = {}
    for person in data["contacts"]:
        consent = person.get("consent", met_on is not None)
        contact = Contact(
            organization=organization,
            name=person["name"],
            role_in_group=person["role"],
            phone=normalise_phone(person.get("phone", "")),
            email=person.get("email", ""),
            preferred_channel=person.get("channel", PreferredChannel.WHATSAPP),
            preferred_language=person.get("language", ContactLanguage.INDONESIAN),
            consent_to_contact=consent,
            consent_recorded_on=met_on if consent else None,
            created_at=_moment(met_on or day(data["since"])),
        )
        contacts[person["name"]] = contact_save(user=user, contact=contact)

    for name, title, started_days_ago in data["leaders"]:
        if name in contacts:
            leadership_record(
                user=user,
                organization=organization,
                leader=contacts[name],
                started_on=day(started_days_ago),
                title=title,
            )
        else:
            term = leadership_change(
                user=user,
                organization=organization,
                leader=None,
                new_leader_name=name,
                started_on=day(started_days_ago),
                title=title,
            )
            contacts[name] = term.leader

    for days_ago, kind, summary, follow_up, names in data["interactions"]:
        interaction_record(
            user=user,
            organization=organization,
            kind=kind,
            occurred_on=day(days_ago),
            summary=summary,
            follow_up=follow_up,
            contacts=[contacts[name] for name in names],
            participants=[user],
        )


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=timezone.get_current_timezone())
