"""The demo office: one สพป. in Chiang Rai, 36 schools and one login per role.

Deterministic data (no randomness) so screenshots, tests and the printed login table agree.
`seed_demo()` creates whatever is missing and leaves existing rows alone, so it can run on
every start (``manage.py seed_demo``); `demo_logins()` lists the logins without touching the
database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from accounts.models import Office, Role, RoleCode, School, User
from accounts.services import user_create

DEFAULT_PASSWORD = "demo1234"

OFFICE = {
    "code": "1057",
    "name_th": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต 1",
    "name_en": "Chiang Rai Primary Educational Service Area Office 1",
    "short_name": "สพป.เชียงราย เขต 1",
    "kind": Office.Kind.PRIMARY,
    "province": "เชียงราย",
    "address": "อำเภอเมืองเชียงราย จังหวัดเชียงราย 57000",
}

S, M, L, XL = (
    School.Size.SMALL,
    School.Size.MEDIUM,
    School.Size.LARGE,
    School.Size.EXTRA_LARGE,
)

# (Thai name, English name, district, sub-district, size). Codes follow from the position:
# school n has SMIS code 5701nnnn and OBEC code 10 + SMIS code (1057010001, …).
SCHOOLS: list[tuple[str, str, str, str, str]] = [
    ("โรงเรียนอนุบาลเชียงราย", "Anuban Chiang Rai School", "เมืองเชียงราย", "เวียง", XL),
    ("โรงเรียนบ้านดู่", "Ban Du School", "เมืองเชียงราย", "บ้านดู่", L),
    ("โรงเรียนวัดร่องขุ่น", "Wat Rong Khun School", "เมืองเชียงราย", "ป่าอ้อดอนชัย", M),
    ("โรงเรียนบ้านนางแล", "Ban Nang Lae School", "เมืองเชียงราย", "นางแล", M),
    ("โรงเรียนบ้านป่างิ้ว", "Ban Pa Ngio School", "เมืองเชียงราย", "แม่ข้าวต้ม", S),
    ("โรงเรียนบ้านแม่ยาว", "Ban Mae Yao School", "เมืองเชียงราย", "แม่ยาว", M),
    ("โรงเรียนชุมชนบ้านสันทราย", "Chumchon Ban San Sai School", "เมืองเชียงราย", "สันทราย", L),
    ("โรงเรียนบ้านห้วยชมภู", "Ban Huai Chomphu School", "เมืองเชียงราย", "ห้วยชมภู", S),
    ("โรงเรียนบ้านริมกก", "Ban Rim Kok School", "เมืองเชียงราย", "ริมกก", M),
    ("โรงเรียนวัดดอยงำ", "Wat Doi Ngam School", "เมืองเชียงราย", "ท่าสาย", S),
    ("โรงเรียนบ้านดอยฮาง", "Ban Doi Hang School", "เมืองเชียงราย", "ดอยฮาง", M),
    ("โรงเรียนบ้านห้วยสัก", "Ban Huai Sak School", "เมืองเชียงราย", "ห้วยสัก", M),
    ("โรงเรียนบ้านแม่กรณ์", "Ban Mae Kon School", "เมืองเชียงราย", "แม่กรณ์", S),
    ("โรงเรียนบ้านท่าสุด", "Ban Tha Sut School", "เมืองเชียงราย", "ท่าสุด", S),
    ("โรงเรียนอนุบาลเวียงชัย", "Anuban Wiang Chai School", "เวียงชัย", "เวียงชัย", L),
    ("โรงเรียนบ้านผางาม", "Ban Pha Ngam School", "เวียงชัย", "ผางาม", M),
    ("โรงเรียนวัดเวียงเหนือ", "Wat Wiang Nuea School", "เวียงชัย", "เวียงเหนือ", S),
    ("โรงเรียนบ้านดอนศิลา", "Ban Don Sila School", "เวียงชัย", "ดอนศิลา", S),
    ("โรงเรียนชุมชนบ้านเมืองชุม", "Chumchon Ban Mueang Chum School", "เวียงชัย", "เมืองชุม", M),
    ("โรงเรียนบ้านทุ่งก่อ", "Ban Thung Ko School", "เวียงเชียงรุ้ง", "ทุ่งก่อ", M),
    ("โรงเรียนบ้านดงมหาวัน", "Ban Dong Maha Wan School", "เวียงเชียงรุ้ง", "ดงมหาวัน", S),
    ("โรงเรียนวัดป่าซาง", "Wat Pa Sang School", "เวียงเชียงรุ้ง", "ป่าซาง", S),
    ("โรงเรียนอนุบาลดอยหลวง", "Anuban Doi Luang School", "ดอยหลวง", "ปงน้อย", M),
    ("โรงเรียนบ้านโชคชัย", "Ban Chok Chai School", "ดอยหลวง", "โชคชัย", S),
    ("โรงเรียนบ้านหนองป่าก่อ", "Ban Nong Pa Ko School", "ดอยหลวง", "หนองป่าก่อ", S),
    ("โรงเรียนอนุบาลแม่จัน", "Anuban Mae Chan School", "แม่จัน", "แม่จัน", XL),
    ("โรงเรียนบ้านจันจว้า", "Ban Chan Chwa School", "แม่จัน", "จันจว้า", M),
    ("โรงเรียนบ้านแม่คำ", "Ban Mae Kham School", "แม่จัน", "แม่คำ", M),
    ("โรงเรียนชุมชนบ้านป่าตึง", "Chumchon Ban Pa Tueng School", "แม่จัน", "ป่าตึง", L),
    ("โรงเรียนบ้านแม่ไร่", "Ban Mae Rai School", "แม่จัน", "แม่ไร่", S),
    ("โรงเรียนวัดศรีค้ำ", "Wat Si Kham School", "แม่จัน", "ศรีค้ำ", S),
    ("โรงเรียนบ้านท่าข้าวเปลือก", "Ban Tha Khao Plueak School", "แม่จัน", "ท่าข้าวเปลือก", M),
    ("โรงเรียนบ้านจอมสวรรค์", "Ban Chom Sawan School", "แม่จัน", "จอมสวรรค์", S),
    ("โรงเรียนอนุบาลแม่ลาว", "Anuban Mae Lao School", "แม่ลาว", "ดงมะดะ", M),
    ("โรงเรียนบ้านจอมหมอกแก้ว", "Ban Chom Mok Kaeo School", "แม่ลาว", "จอมหมอกแก้ว", S),
    ("โรงเรียนวัดโป่งแพร่", "Wat Pong Phrae School", "แม่ลาว", "โป่งแพร่", S),
]


def school_codes(position: int) -> tuple[str, str]:
    """(OBEC code, SMIS code) of the demo school at 1-based `position`."""
    smis = f"5701{position:04d}"
    return f"10{smis}", smis


# Thai role names as seeded by accounts/migrations/0002_seed_roles.py.
ROLE_NAMES_TH: dict[str, str] = {
    RoleCode.SCHOOL_USER: "ผู้ใช้สถานศึกษา",
    RoleCode.SCHOOL_DIRECTOR: "ผู้อำนวยการสถานศึกษา",
    RoleCode.STAFF: "เจ้าหน้าที่กลุ่ม",
    RoleCode.GROUP_HEAD: "ผู้อำนวยการกลุ่ม",
    RoleCode.DEPUTY_DIRECTOR: "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
    RoleCode.DIRECTOR: "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
    RoleCode.ADMIN: "ผู้ดูแลระบบ",
}

_GROUP = "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str  # a RoleCode value
    title: str
    first_name: str
    last_name: str
    position: str
    school: int | None = None  # 1-based position in SCHOOLS
    is_superuser: bool = False


USERS: list[DemoUser] = [
    DemoUser(
        "admin",
        RoleCode.ADMIN,
        "นาย",
        "สมชาย",
        "ใจดี",
        "นักวิชาการคอมพิวเตอร์ชำนาญการพิเศษ",
        is_superuser=True,
    ),
    DemoUser(
        "director",
        RoleCode.DIRECTOR,
        "นาย",
        "ประเสริฐ",
        "ศรีสุข",
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต 1",
    ),
    DemoUser(
        "deputy",
        RoleCode.DEPUTY_DIRECTOR,
        "นาง",
        "วิไลวรรณ",
        "คำแก้ว",
        "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต 1",
    ),
    DemoUser("grouphead", RoleCode.GROUP_HEAD, "นาย", "ธนพล", "อินทรวงศ์", f"ผู้อำนวยการ{_GROUP}"),
    DemoUser("staff1", RoleCode.STAFF, "นางสาว", "กัญญารัตน์", "ปัญญาดี", "นักวิชาการคอมพิวเตอร์ชำนาญการ"),
    DemoUser("staff2", RoleCode.STAFF, "นาย", "อนุชา", "ทองมา", "นักวิชาการคอมพิวเตอร์ปฏิบัติการ"),
    DemoUser(
        "school1", RoleCode.SCHOOL_USER, "นางสาว", "พิมพ์ชนก", "สุวรรณรัตน์", "ครูชำนาญการ", school=2
    ),
    DemoUser("school2", RoleCode.SCHOOL_USER, "นาย", "ณัฐวุฒิ", "วงศ์ใหญ่", "ครูชำนาญการพิเศษ", school=15),
    DemoUser(
        "schooldir1",
        RoleCode.SCHOOL_DIRECTOR,
        "นาง",
        "สุภาพร",
        "มณีวงศ์",
        "ผู้อำนวยการโรงเรียนบ้านดู่",
        school=2,
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # a RoleCode value
    role_th: str
    school: str  # the school's Thai name, "" for office staff
    display_name: str


def demo_logins() -> list[DemoLogin]:
    """The demo logins in a fixed order (no database access); all share one password."""
    logins = []
    for user in USERS:
        school = SCHOOLS[user.school - 1][0] if user.school else ""
        logins.append(
            DemoLogin(
                username=user.username,
                role=str(user.role),
                role_th=ROLE_NAMES_TH[user.role],
                school=school,
                display_name=f"{user.title}{user.first_name} {user.last_name}",
            )
        )
    return logins


@dataclass
class SeedReport:
    office: Office
    schools_created: int = 0
    users_created: int = 0
    passwords_reset: int = 0
    schools: list[School] = field(default_factory=list)
    users: list[User] = field(default_factory=list)


@transaction.atomic
def seed_demo(*, password: str = DEFAULT_PASSWORD, reset_passwords: bool = False) -> SeedReport:
    """Create the demo office, schools and users that are missing; leave existing rows alone.

    With `reset_passwords`, existing demo users get `password` again.
    """
    office, _created = Office.objects.get_or_create(
        code=OFFICE["code"], defaults={k: v for k, v in OFFICE.items() if k != "code"}
    )
    report = SeedReport(office=office)
    for position, (name_th, name_en, district, subdistrict, size) in enumerate(SCHOOLS, 1):
        obec_code, smis_code = school_codes(position)
        school = School.objects.filter(obec_code=obec_code).first()
        if school is None:
            school = School(
                office=office,
                obec_code=obec_code,
                smis_code=smis_code,
                name_th=name_th,
                name_en=name_en,
                district=district,
                subdistrict=subdistrict,
                size=size,
            )
            school.full_clean()
            school.save()
            report.schools_created += 1
        report.schools.append(school)

    roles = {role.code: role for role in Role.objects.all()}
    missing_roles = {str(user.role) for user in USERS} - set(roles)
    if missing_roles:
        raise RuntimeError(
            f"Roles {sorted(missing_roles)} are missing: run `manage.py migrate` first."
        )
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            school = report.schools[spec.school - 1] if spec.school else None
            user = user_create(
                username=spec.username,
                password=password,
                office=office,
                roles=[roles[spec.role]],
                school=school,
                title=spec.title,
                first_name=spec.first_name,
                last_name=spec.last_name,
                position=spec.position,
                email=f"{spec.username}@example.org",
                is_superuser=spec.is_superuser,
            )
            report.users_created += 1
        elif reset_passwords and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            report.passwords_reset += 1
        report.users.append(user)
    return report
