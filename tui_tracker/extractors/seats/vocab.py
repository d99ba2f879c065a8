"""The words registration pages use for seat figures, statuses and section codes.

One vocabulary serves every reader (table headers, label–value text, fixed-width
schedules, JSON keys), so a word learnt for one layout helps all of them. Words are
matched on a normalised form: lower case, accents removed, punctuation as spaces
(`Plätze` -> `platze`, `Vacantes` -> `vacantes`).

Languages: English, French, German, Spanish, Portuguese, Italian, Dutch, the Nordic
languages (Swedish, Norwegian, Danish, Finnish), Czech, Slovak, Polish, Hungarian,
Turkish, Greek, Russian, Ukrainian, Bulgarian, Romanian, Serbian/Croatian, Slovenian,
Baltic, Estonian, Catalan, Arabic, Persian, Hindi, Hebrew, Thai, Vietnamese, Indonesian,
Malay, Filipino, Chinese, Japanese and Korean words are known; Hangul is recomposed after accent
stripping, and letters NFKD keeps whole (Polish ł, Turkish ı, Nordic ø) are folded.

Roles of a label:

- `avail`  open / remaining / available seats (the value we want)
- `cap`    capacity / maximum / limit
- `enrl`   enrolled / actual / taken
- `seats`  a bare "Seats" / "Places" / "Cupos": capacity or available, decided by
           the other columns
- `status` a status column or label
- `wait`, `skip` wait-list, cross-list, reserved, credits, times...: never seats
- `crn`, `class`, `section`, `course`, `title`, `component`: identity and label parts

Statuses (`status_of`): open, full, waitlist, closed, cancelled, the first one said
("Closed: Class Full" is full; "Section full - waitlist open" is waitlist). A page's own
legend ("O = Open, * = Wait list") is honoured while that page is read (`LEGEND`).
"""

from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar
from functools import lru_cache

import regex

SEAT_ROLES = frozenset({"avail", "cap", "enrl", "seats"})
KEY_ROLES = ("crn", "class", "section", "course")
"""Key kinds, best identity first."""


_FOLD = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "æ": "ae"})
"""Letters with no decomposition, folded as a reader would type them without accents."""


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Lower case, accents removed, punctuation (but `/` and `#`) turned into spaces.

    Only accents on Latin, Greek and Cyrillic letters (and kana's voicing marks) go: in
    Thai, Hebrew or Devanagari the marks are part of the word ("ที่ว่าง" stays whole)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    kept: list[str] = []
    accented = False
    for ch in decomposed:
        if not unicodedata.combining(ch):
            # Latin, Greek, Cyrillic; and kana, whose voicing marks went before too
            accented = ord(ch) < 0x0530 or 0x3040 <= ord(ch) <= 0x30FF
        elif accented:
            continue
        kept.append(ch)
    plain = unicodedata.normalize("NFC", "".join(kept))  # Hangul syllables stay whole
    plain = _NOT_WORD.sub(" ", plain.replace("_", " "))
    return re.sub(r"\s+", " ", plain).strip()


_NOT_WORD = regex.compile(r"[^\w\p{M}/#]+")


WORD_STEMS: set[str] = set()
"""The first three letters of every word below (for a cheap "could this line say anything
about seats?" test that cannot fall out of step with the vocabulary)."""


def _words(*alternatives: str) -> re.Pattern[str]:
    # Words of scripts whose marks `norm` keeps or splits (Thai "ำ") are written as
    # printed and normalised here, the same way the page's text is.
    alternatives = tuple(norm(a) if not a.isascii() and not re.search(r"[\\()\[\]?*+{}|]", a)
                         else a for a in alternatives)
    for alt in alternatives:
        lead = re.match(r"[^\W\d_]{2,3}", alt)
        if lead is not None and alt[lead.end():lead.end() + 1] not in ("?", "*", "{"):
            WORD_STEMS.add(lead.group(0))
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")


_WAIT = _words(r"wait\s?list\w*", r"wait\w*", r"waitl", r"wl\w{0,3}", r"w\s?/\s?l", r"wlist",
               r"warte\w*", r"attente", r"espera", r"wachtlijst", r"attesa",
               r"venteliste\w*", r"vantelista\w*", r"reservlista\w*", r"jono\w*",
               r"varasij\w*", r"cekac\w*", r"nahradni\w*", r"rezerwow\w*", r"oczekuj\w*",
               r"bekleme\w*", r"yedek", r"ожидан\w*", r"очеред\w*", r"대기\w*", r"候补\w*",
               r"varolista\w*", r"очікуван\w*", r"αναμον\w*", r"המתנה", r"senarai menunggu",
               r"daftar tunggu", r"danh sach cho", r"lista de asteptare", r"lista cekanja",
               r"قائمة الانتظار", r"انتظار", r"प्रतीक्षा\w*", r"لیست انتظار",
               r"候补", r"キャンセル待ち")
_NOT_OURS = _words(r"cross\w*", r"xl\w*", r"x\s?list\w*", r"reserv\w*", r"rsrv\w*",
                   r"restricted",
                   r"combined", r"linked", r"over\s?enrol\w*", r"over", r"min", r"minimum")
"""Cross-list, reserved and combined figures: seats, but not this section's open ones."""
_SKIP = _words(
    r"rstr", r"restr\w*",
    r"req", r"requests?", r"nor", r"credits?", r"cred", r"cr", r"units?", r"hrs", r"hours",
    r"ects", r"sws", r"creditos", r"credito", r"room", r"bldg", r"building", r"time", r"times",
    r"days?", r"dates?", r"year", r"fee\w*", r"grades?", r"instructor\w*", r"location",
    r"campus", r"textbooks?", r"final", r"web", r"session", r"term", r"weeks?", r"duration",
    r"min", r"minimum", r"combined", r"prereq\w*", r"salle", r"raum", r"horario", r"hora\w*",
    r"semaine", r"docente", r"profesor", r"professeur", r"dozent\w*", r"priority",
    r"pending", r"requested",
    # Nordic, Czech/Slovak, Polish, Turkish, Russian, Korean, Chinese: room, time, day,
    # teacher, credits
    r"mistnost\w*", r"ucebna", r"sala", r"sal", r"rom", r"lokale", r"huone", r"derslik",
    r"cas", r"tid", r"aika", r"saat", r"godz\w*", r"dag", r"den", r"dzien",
    r"gun", r"paiva", r"vyucujic\w*", r"cvicic\w*", r"prowadzac\w*", r"larare",
    r"foreleser", r"underviser", r"opettaja", r"ogretim\w*", r"kredit\w*", r"kr",
    r"akts", r"stp", r"studiepoeng", r"op", r"punkty", r"аудитор\w*",
    r"время", r"преподават\w*", r"강의실", r"교수\w*", r"학점", r"시간", r"요일",
    r"教室", r"时间", r"星期", r"学分", r"教师", r"上课\w*",
    r"stt", r"phong", r"giang vien", r"lich hoc", r"tin chi", r"sks", r"ruang", r"jadwal",
    r"dosen", r"bilik", r"pensyarah", r"masa", r"hari", r"kredit", r"terem", r"orarend",
    r"oktato\w*", r"kredit", r"αιθουσα", r"ωρα", r"ημερα", r"διδασκων", r"חדר", r"מרצה",
    r"יום", r"שעה", r"ห้อง", r"เวลา", r"วัน", r"ผู้สอน", r"อาคาร", r"หน่วยกิต",
    r"кредити", r"аудиторія", r"викладач")
_AVAIL = _words(
    r"avail\w*", r"remaining", r"remain\w*", r"rem", r"left", r"open\s?seats?", r"seats?\s?open",
    r"open", r"free", r"vacan\w*", r"disponib\w*", r"dispo", r"restant\w*", r"restantes",
    r"libres?", r"frei\w*", r"offene?", r"rest\w*platze", r"verfugbar\w*", r"plazas libres",
    r"vagas disponiveis", r"posti liberi", r"liberi", r"leftover", r"spots?\s?left",
    r"open\s?spots?", r"beschikbaar", r"vrij\w*", r"\u7a7a\w*", r"\u6b8b\w*",
    r"余量", r"剩余\w*", r"空位", r"可选\w*", r"空席", r"여석", r"잔여\w*",
    r"volno", r"voln\w*", r"zbyva\w*", r"wolne?", r"wolnych", r"pozosta\w*",
    r"lediga?", r"ledige", r"kvar", r"igjen", r"tilbage", r"vapaa\w*", r"vapait\w*",
    r"jaljella", r"bos", r"kalan", r"свободн\w*", r"остал\w*", r"남은\w*", r"空余\w*",
    r"余位", r"szabad\w*", r"con trong", r"con lai", r"sisa", r"tersedia", r"kekosongan",
    r"diathesim\w*", r"διαθεσιμ\w*", r"ελευθερ\w*", r"פנויים", r"פנוי\w*", r"ที่ว่าง",
    r"ว่าง", r"вільн\w*", r"locuri libere", r"libere", r"slobodn\w*", r"prosta mesta",
    r"prosta", r"prostih", r"prosto", r"laisv\w*", r"brivas\w*", r"vabu\w*", r"vabad\w*",
    r"lliures",
    r"bakante", r"natitira\w*", r"zilizobaki", r"المتاحة", r"متاحة", r"المتبقي\w*",
    r"الشاغرة", r"باقیمانده", r"باقی مانده", r"خالی", r"उपलब्ध", r"रिक्त", r"शेष")
_CAP = _words(
    r"cap\w*", r"max\w*", r"limit\w*", r"lim", r"size", r"total\w*", r"tot", r"quota",
    r"kapazitat\w*", r"capacit\w*", r"capacidad\w*", r"cpcty", r"capy", r"cpcity",
    r"cupo maximo", r"places offertes",
    r"offered", r"teilnehmerzahl", r"max\s?tn", r"plafond", r"\u5b9a\u54e1", r"容量",
    r"上限", r"限选\w*", r"定员", r"人数上限", r"정원", r"제한\s?인원",
    r"kapacit\w*", r"antal platser", r"antall plasser", r"antal pladser", r"maksimi\w*",
    r"enimmais\w*", r"kontenjan", r"toplam", r"лимит", r"вместимост\w*", r"всего мест",
    r"名额", r"容纳\w*", r"ferohely\w*", r"letszamkorlat", r"si so toi da", r"si so",
    r"kuota", r"daya tampung", r"χωρητικοτητα", r"μεγιστ\w*", r"מקומות", r"מכסה",
    r"จำนวนรับ", r"ліміт", r"cupo", r"капацитет", r"السعة", r"سعة", r"الحد الأقصى",
    r"ظرفیت", r"क्षमता", r"kapacitet\w*")
_ENRL = _words(
    r"enrolled", r"enroll\w*", r"enrol\w*", r"enrl\w*", r"enr", r"act", r"actual",
    r"members?", r"participants?",
    r"taken", r"filled", r"registered", r"zugelassen\w*", r"anmeldung\w*", r"reg\s?d",
    r"inscri\w*", r"matricul\w*",
    r"belegt\w*", r"belegung\w*", r"teilnehm\w*", r"tn", r"angemeldet\w*", r"iscritt\w*",
    r"students?",
    r"current", r"booked", r"used", r"occupied", r"ocupad\w*", r"ingeschreven",
    r"\u5c65\u4fee\w*", r"\u767b\u9332\w*", r"已选\w*", r"选课人数", r"已报\w*",
    r"申込\w*", r"수강\s?인원", r"신청\s?인원",
    r"obsaz\w*", r"zapsan\w*", r"zapsano", r"prihlasen\w*", r"zapisan\w*", r"zajete",
    r"liczba osob\w*", r"zarejestrowan\w*", r"antagna", r"registrerade", r"anmalda",
    r"pameldte", r"tilmeldte", r"ilmoittautu\w*", r"varattu\w*", r"kayitli", r"kayıtlı",
    r"записан\w*", r"занято", r"신청", r"수강", r"已选", r"已报名", r"选课\w*",
    r"teilnehmende", r"felvett\w*", r"jelentkez\w*", r"fo", r"da dang ky", r"dang ky",
    r"terisi", r"peserta", r"bil pelajar", r"pelajar", r"εγγεγραμμεν\w*", r"רשומים",
    r"ลงทะเบียน", r"записано", r"inscriptos", r"ocupat\w*", r"upisan\w*", r"vpisan\w*",
    r"uzsiregistrav\w*", r"registruot\w*", r"pieteiku\w*", r"registreerun\w*",
    r"matriculats", r"المسجل\w*", r"مسجل\w*", r"ثبت نام شده", r"ثبت نامی", r"नामांकित",
    r"पंजीकृत")
_SEATS = _words(r"seats?", r"places?", r"platze", r"platz", r"plazas?", r"cupos?",
                r"vagas?", r"posti", r"spaces?", r"spots?", r"openings?", r"plaatsen",
                r"\u5e2d\w*", r"mist", r"mista", r"miejsca", r"miejsc", r"platser", r"plasser",
                r"pladser", r"paikk\w*", r"paikat", r"мест\w*", r"좌석", r"hely", r"helyek",
                r"θεσεις", r"місць", r"місця", r"slot", r"slots", r"tempat", r"locuri",
                r"mjesta", r"mesta", r"vietos", r"vietas", r"kohad", r"kohti", r"nafasi",
                r"المقاعد", r"مقاعد", r"صندلی", r"सीटें", r"सीट")
_STATUS = _words(r"status", r"stat", r"state", r"estado", r"statut", r"etat", r"stato",
                 r"zustand", r"situa\w*", r"状态", r"状態", r"상태", r"durum", r"stav",
                 r"tila", r"статус", r"состояние", r"trang thai", r"κατασταση", r"סטטוס",
                 r"สถานะ", r"allapot", r"keterangan", r"الحالة", r"وضعیت", r"स्थिति",
                 r"open\s?/\s?closed", r"availability")
_CRN = _words(r"crn", r"nrc", r"sln", r"call\s?(?:no|nbr|number|#)?", r"index(?:\s?(?:no|#))?",
              r"ref(?:erence)?(?:\s?(?:no|nbr|number|#))?", r"code", r"course reference number",
              r"reg(?:istration)?\s?(?:no|nbr|number|#)", r"ccn", r"ticket", r"lv\s?nr",
              r"class\s?(?:nbr|number|no|num|#|id)", r"nbr", r"class",
              r"sect?(?:ion)?\s?id", r"enroll\w*\s?code", r"unique(?:\s?(?:no|number|#))?",
              r"(?:activity|program(?:me)?|event|session|offering|listing|occurrence|barcode)"
              r"\s?(?:#|no|nbr|number|id|code)")
_SECTION = _words(r"sec\w*", r"sctn", r"grp", r"group", r"\w*gruppe", r"grupo", r"groupe",
                  r"gruppo", r"turno", r"canale", r"cohort",
                  r"seccion", r"termin",
                  r"secao", r"turma", r"sect", r"comision", r"paralelo", r"lab",
                  r"occurrence", r"occ", r"skupin\w*", r"paralelk\w*", r"grupa", r"grupy",
                  r"grupp\w*", r"\w*ryhma", r"sube", r"группа", r"분반", r"班级", r"教学班\w*",
                  r"课序号", r"akce", r"nr grupy", r"kurzus\w*", r"kurzus kod", r"ma lop\w*",
                  r"lop", r"kelas", r"kumpulan", r"τμημα", r"קבוצה", r"ตอนเรียน",
                  r"comision", r"nrc", r"الشعبة", r"شعبة", r"گروه", r"अनुभाग")
_COURSE = _words(r"course\w*", r"crse", r"subj\w*", r"catalog\w*", r"cat", r"kurs\w*",
                 r"curso", r"cours", r"module", r"modul", r"asignatura", r"materia", r"num",
                 r"number", r"no", r"predmet\w*", r"przedmiot\w*", r"emne\w*", r"amne",
                 r"opintojakso", r"ders", r"ders kodu", r"предмет", r"курс", r"과목\w*",
                 r"학수번호", r"课程\w*", r"kode mk", r"kode", r"mata kuliah", r"targy\w*",
                 r"mon hoc", r"ma hp", r"μαθημα", r"קורס", r"รายวิชา", r"шифр", r"clave",
                 r"дисциплін\w*")
_TITLE = _words(r"title", r"name", r"description", r"titre", r"titel", r"nombre", r"titulo",
                r"bezeichnung", r"intitule", r"denominacion", r"nazev", r"nazwa", r"namn",
                r"navn", r"nimi", r"ders adi", r"название", r"과목명", r"课程名称", r"nama",
                r"ten hoc phan", r"назва\w*", r"τιτλος", r"שם", r"ชื่อวิชา", r"materia")
_COMPONENT = _words(r"type", r"cmp", r"comp\w*", r"schedule type", r"act\w* type", r"format",
                    r"activity", r"tipo", r"typ", r"art", r"instruction mode", r"zajecia",
                    r"forma zajec", r"undervisningsform", r"undervisningstype", r"opetusmuoto",
                    r"tur", r"유형", r"수업유형", r"类型", r"课程类别", r"tipus", r"loai lop",
                    r"jenis", r"סוג", r"วิธีสอน", r"вид")


HEADER_ABBREVIATIONS = {"cup": "cap", "dis": "avail", "disp": "avail"}
"""Column headers that are seat figures only as headers (SIIAU's CUP / DIS): in a line,
"Dis 1A" is a discussion section and "World Cup" no capacity."""
BARE_NUMBER = frozenset({"no", "nr", "#", "num", "number", "nummer", "numero", "sect no",
                         "sec no"})
"""Headers of a column that numbers the rows; a section column with a name beats it."""


@lru_cache(maxsize=8192)
def label_role(label: str) -> str | None:
    """The role a column header or a label before a number plays (see module docstring)."""
    t = norm(label)
    if not t:
        return None
    if re.fullmatch(r"(?:s|sr|sl|serial|row)\s?(?:no|nr|num|number|#)?", t) and t not in ("s",):
        return "skip"  # "S.No.", "Sr. No.": the row's position, which changes, not its identity
    if t in BARE_NUMBER:
        return "section"  # a bare "No." column numbers the sections
    if _WAIT.search(t):
        return "wait"
    if _NOT_OURS.search(t):
        return "skip"
    if re.search(r"open\s?/\s?closed|status|estado|statut|etat|stato|^stat$|situa|^durum$|"
                 r"^stav$|^tila$|статус|^trang thai$|κατασταση|^allapot$", t):
        return "status"
    cap, avail, enrl = _CAP.search(t), _AVAIL.search(t), _ENRL.search(t)
    if enrl and not (cap or avail) and re.search(r"(?<![a-z])(code|nbr|id|#|key)(?![a-z])", t):
        return "crn"  # "Enroll Code", "Registration #": an identity, not a count
    if avail and not (cap and cap.start() > avail.start() and not enrl) and (
            not _SKIP.search(t) or _SEATS.search(t)):
        return "avail"  # "Available Seats", "Seats Remaining"
    if _SKIP.search(t) and not (cap or enrl or _SEATS.search(t)):
        return "skip"
    if cap and enrl:
        # "Enrollment Capacity" / "Enrl Cap" are capacities; "Enrollment Total" is a count.
        return "enrl" if re.search(r"(?<![a-z])tot(al)?(?![a-z])", t) and not re.search(
            r"cap|max|limit", t) else "cap"
    if cap:
        return "cap"
    if enrl:
        return "enrl"
    if _STATUS.search(t):
        return "status"
    if _SEATS.search(t):
        return "seats"
    if _SKIP.search(t):
        return "skip"
    if re.search(r"(?<![a-z])(course|subj\w*|catalog|module|modul)(?![a-z])", t) and not re.search(
            r"reference|crn|nbr|number|id(?![a-z])", t):
        return "title" if _TITLE.search(t) else "course"
    if _CRN.search(t):
        return "section" if re.fullmatch(r"class\s?section", t) else "crn"
    if _SECTION.search(t):
        return "section"
    if _TITLE.search(t):
        return "title"
    if _COMPONENT.search(t):
        return "component"
    if _COURSE.search(t):
        return "course"
    return None


def compound_roles(roles: list[str | None]) -> list[str | None]:
    """Roles of a compound label's parts ("Teilnehmer/Plätze", "Enrolled/Seats"): a bare
    "seats" beside an enrolment is the total, beside both it says nothing more, alone
    with others it is the seats free."""
    if "seats" not in roles:
        return roles
    seats = ("cap" if "enrl" in roles and "cap" not in roles
             else None if "enrl" in roles and "cap" in roles else "avail")
    return [seats if r == "seats" else r for r in roles]


# ---------------------------------------------------------------- statuses

_STATUS_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cancelled", _words(r"cancel+ed", r"cancel+ation", r"annule\w*", r"cancelad\w*",
                         r"abgesagt", r"storniert", r"entfallt", r"annullat\w*", r"anulad\w*",
                         r"withdrawn", r"discontinued", r"not running", r"not offered",
                         r"will not run", r"geannuleerd", r"vervallen", r"suprimid\w*",
                         r"fallt aus", r"取消", r"zrusen\w*", r"odwolan\w*", r"anulowan\w*",
                         r"installd", r"installt", r"avlyst\w*", r"aflyst\w*", r"peruttu",
                         r"peruutettu", r"iptal\w*", r"acilmadi", r"отмен\w*", r"停开", r"中止",
                         r"elmarad\w*", r"torolve", r"huy lop", r"dibatalkan",
                         r"batal", r"ακυρωθηκε", r"ακυρωμεν\w*", r"מבוטל\w*", r"ยกเลิก",
                         r"не відбудеться", r"скасован\w*", r"excluid\w*", r"anulat\w*",
                         r"otkazan\w*", r"atsaukt\w*", r"ملغ\w*", r"ألغي\w*", r"لغو شد\w*",
                         r"रद्द",
                         r"休講",
                         r"폐강")),
    ("waitlist", _words(r"wait\s?list\w*", r"waitl", r"wait", r"warteliste", r"liste d attente",
                        r"wachtlijst", r"lista d attesa", r"waiting list",
                        r"候补", r"キャンセル待ち", r"대기",
                        r"lista de espera", r"en espera", r"wl", r"lista de espere",
                        r"venteliste", r"vantelista", r"reservlista", r"jonossa", r"jono",
                        r"varasija\w*", r"cekaci listin\w*", r"lista rezerwowa",
                        r"lista oczekujacych", r"bekleme listesi", r"лист ожидания",
                        r"varolista", r"lista de espera")),
    ("full", _words(r"full", r"filled", r"fully booked", r"fully subscribed", r"booked up",
                    r"no places left", r"no spaces left", r"no seats left",
                    # French/Spanish "complet(o)", not the English verb ("Complete BIOL 220")
                    r"complet(?!e [a-z])\w*",
                    r"lleno", r"llena", r"lotad\w*",
                    r"voll\w*", r"ausgebucht", r"esgotad\w*", r"pieno", r"agotad\w*",
                    r"sold out", r"no seats\w*", r"esaurit\w*", r"belegt", r"overfilled",
                    r"over enrolled",
                    r"已满", r"满员", r"満席", r"満員", r"定員に達しました", r"定員到達",
                    r"booked out", r"no availability", r"plne obsazen\w*", r"obsazeno",
                    r"naplnen\w*", r"brak miejsc", r"pelna", r"pelne", r"komplet",
                    r"fullt", r"fullbokad\w*", r"fulltegnet", r"fuldt", r"fuldt booket",
                    r"inga lediga platser", r"ingen ledige plasser", r"ingen ledige pladser",
                    r"taynna", r"dolu", r"kontenjan dolu", r"мест нет", r"нет мест",
                    r"заполнен\w*", r"만석", r"정원 초과", r"volgeboekt", r"megtelt",
                    r"betelt", r"tultoltve", r"da day", r"het cho", r"penuh", r"πληρες",
                    r"πληρης", r"מלא\w*", r"เต็ม", r"заповнено", r"sin cupo", r"sin vacantes",
                    r"agotado", r"cupo lleno", r"lleno", r"запълнен\w*", r"popunjen\w*",
                    r"zasedeno", r"pilna", r"pilns", r"tais", r"ممتلئ\w*", r"مكتمل\w*",
                    r"تکمیل", r"ظرفیت تکمیل", r"भरा", r"पूर्ण")),
    ("closed", _words(r"closed", r"(?:not|no longer) available\w*", r"unavailable",
                      r"keine anmeldung\w*",
                      r"sales? (?:ended|closed)",
                      r"registration (?:ended|closed)", r"booking (?:ended|closed)",
                      r"nicht belegbar", r"no admit\w*",
 r"cerrad\w*", r"ferme\w*", r"geschlossen", r"chiuso",
                      r"fechad\w*", r"gesperrt", r"gesloten", r"关闭", r"締切", r"受付終了",
                      r"募集終了", r"申込終了", r"uzavren\w*", r"zamkniet\w*", r"stangd",
                      r"stangt", r"stengt", r"lukket", r"suljettu", r"kapali", r"закрыт\w*",
                      r"lezart", r"da khoa", r"ditutup", r"tutup", r"κλειστ\w*", r"סגור\w*",
                      r"ปิด", r"набір завершено", r"закрито", r"inchis\w*", r"затвор\w*",
                      r"zatvoren\w*", r"zaprt\w*", r"tancat\w*", r"مغلق\w*", r"بسته",
                      r"बंद",
                      r"마감")),  # "closed": registration for it has ended
    ("open", _words(r"open", r"limited (?:places|spaces|seats|spots|availability)",
                    r"(?:only |last )?(?:a )?few (?:places|seats|spaces|spots)"
                    r"(?: left| remaining| available)?",
                    r"last (?:places|seats|spaces|spots)",
                    r"almost full", r"filling (?:up|fast)", r"nearly full",
                    # 残席わずか ("few seats left"): `norm` drops the dakuten
                    r"残席わすか", r"残りわすか", r"わすか",
                    r"wenige platze", r"peu de places", r"pocas plazas", r"dernieres places",
                    r"ultimas plazas", r"beschikbaar",
                    r"ultimi posti", r"belegbar", r"(?:anmeldung|belegung) moglich", r"buchbar",
 r"abiert\w*", r"ouvert\w*", r"offen", r"abert\w*", r"aperto",
                    r"available", r"disponible\w*", r"disponivel", r"frei", r"libre",
                    r"seats available", r"geopend", r"开放", r"可选", r"受付中", r"申込受付中",
                    r"募集中", r"空きあり", r"残席あり", r"空席あり", r"신청가능",
                    r"otevren\w*", r"volna mista", r"otwart\w*", r"wolne miejsca",
                    r"oppen", r"oppet", r"apen", r"apent", r"lediga platser", r"ledige plasser",
                    r"avoinna", r"avoin", r"vapaita paikkoja", r"kayit acik", r"acik",
                    r"открыт\w*", r"есть места", r"여유", r"dang mo", r"dibuka", r"buka",
                    r"ανοιχτ\w*", r"ανοικτ\w*", r"פתוח\w*", r"เปิด", r"відкрито",
                    r"szabad", r"nyitott", r"sin limite", r"unlimited", r"no limit",
                    r"unbegrenzt", r"illimite\w*", r"sales? ends? soon", r"selling fast",
                    r"deschis\w*", r"otvoren\w*", r"odprt\w*", r"atvir\w*", r"obert\w*",
                    r"مفتوح\w*", r"متاح", r"باز", r"खुला",
                    r"on sale now")),
)
_SYMBOLS = {"○": "open", "◎": "open", "△": "open", "×": "full", "✕": "full"}
"""Japanese timetables' availability marks (○ seats, △ few left, × full), when a page
gives no legend of its own."""
_STATUS_CODES = {"o": "open", "c": "closed", "f": "full", "w": "waitlist", "x": "cancelled",
                 "vol": "full",
                 "wl": "waitlist", "a": "open", "open": "open", "cn": "cancelled"}


def status_at(text: str) -> tuple[str | None, int]:
    """(first status word in already-normalised `text`, where it starts), or (None, -1).

    "Closed: Class Full" is full: a closed section whose seats are all taken.
    """
    best: tuple[int, str] | None = None
    found: set[str] = set()
    cancel: re.Match[str] | None = None
    for status, pattern in _STATUS_WORDS:
        m = pattern.search(text)
        if m:
            found.add(status)
            if status == "cancelled":
                cancel = m
            if best is None or m.start() < best[0]:
                best = (m.start(), status)
    if best is None:
        return None, -1
    if best[1] in ("closed", "full") and re.search(
            r"wait\s?list\w*\s(is\s)?(open|available)\s\d{1,4}\s(waiting|on it)", text):
        # "Section full - waitlist open (2 waiting)": the wait list is in use. "Full - Waitlist
        # Available" or "Sold out - waitlist open" say Full first: full.
        return "waitlist", best[0]
    if best[1] == "closed" and cancel is not None and "ation" not in cancel.group(0):
        return "cancelled", best[0]  # "Anmeldung gesperrt - LV abgesagt": it is not held
    # "Full - 4 on waiting list", "FULL Waitlist(8)" and "Enrollment full - join the
    # waitlist" stay full: the status word is Full; the wait list is a count or an invitation.
    if best[1] == "closed" and "full" in found:
        return "full", best[0]
    return best[1], best[0]


LEGEND: ContextVar[dict[str, str] | None] = ContextVar("seat_status_legend", default=None)
"""The page's own status codes ("O = Open, C = Closed, W = Wait List") while it is read."""
_LEGEND_ENTRY = re.compile(
    r"(?:^|[\s,;(|])([A-Za-z]{1,3}|[*+#!†‡§])\s*(?:=|:|–|—|-)\s*"
    r"([A-Za-z][A-Za-z ]{1,20}?)(?=\s*(?:[,;)|.]|$|\s[A-Za-z*+#!]{1,3}\s*(?:=|:|–|—|-)))")


def legend_of(lines: list[str]) -> dict[str, str]:
    """Status codes a page defines in a legend line ("C = Closed  W = Wait List")."""
    legend: dict[str, str] = {}
    for line in lines:
        if len(line) > 300 or ("=" not in line and ":" not in line):
            continue
        for m in _LEGEND_ENTRY.finditer(line):
            status = status_at(norm(m.group(2)))[0]
            if status is not None:
                legend[norm(m.group(1)) or m.group(1)] = status
        if len(legend) > 20:
            break
    return legend


def legend_status(token: str) -> str | None:
    """The status a page's legend gives a code like "C" or "*", if it defines one."""
    legend = LEGEND.get()
    if not legend:
        return None
    return legend.get(norm(token) or token.strip())


def status_of(text: str, *, column: bool = False) -> str | None:
    """The first status word in `text`: open, full, waitlist, closed or cancelled.

    With `column` the text is a whole status cell, where one-letter codes count
    (PeopleSoft's O/C/W, Banner's C).
    """
    if column and len(text.strip()) <= 3:
        defined = legend_status(text)
        if defined is not None:
            return defined
        if text.strip() in _SYMBOLS:
            return _SYMBOLS[text.strip()]
    t = norm(text)
    if not t:
        return None
    if column and t in _STATUS_CODES:
        return _STATUS_CODES[t]
    return status_at(t)[0]


_ACTION = re.compile(r"^\s*(join|add|register|enrol+|book|sign\s?up|request|apply|reserve|notify|"
                     r"inscri\w*|anmelden|aanmelden|buy|select|track)\b", re.I)


def is_action(text: str) -> bool:
    """A button's words ("Join Waitlist", "Register", "Book"): what a person can do, not
    the section's status."""
    return bool(_ACTION.match(text))


_TBA = re.compile(r"^\s*(tba|tbd|tbc|to be (announced|determined|confirmed)|n\s?/\s?a|na|--?|—|–|"
                  r"\?|pending|a confirmar|por definir|nc)\s*\.?$", re.I)


def is_tba(text: str) -> bool:
    """True for a seat cell that says the seats are not posted yet ("TBA", "—")."""
    return bool(_TBA.match(text))


_CLASS_TOKENS = re.compile(
    r"(?:^|\s)(?:[\w-]*[-_])?(?:status|seats?|avail\w*|enrol+\w*|state|icon|badge|dot|"
    r"indicator|pill|label|section)[-_](open|full|closed|close|waitlist|wait-?list|waitlisted|"
    r"cancel+ed|available|unavailable)(?:$|[-_\s])", re.I)


def status_of_class(classes: str) -> str | None:
    """A status named by a CSS class (`status-open`, `seat-full`, `badge-waitlist`): only
    for an element that shows nothing else (an empty coloured dot)."""
    m = _CLASS_TOKENS.search(classes or "")
    if m is None:
        return None
    word = m.group(1).lower().replace("-", "")
    return {"close": "closed", "waitlisted": "waitlist", "available": "open",
            "unavailable": "closed"}.get(word, "cancelled" if word.startswith("cancel")
                                          else word)
