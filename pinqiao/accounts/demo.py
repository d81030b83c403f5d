"""Demo accounts: one per role, with known passwords and TOTP secrets for staff (README)."""

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from pinqiao.accounts.identity import encrypt_phone, phone_index
from pinqiao.accounts.models import User
from pinqiao.accounts.realname import LocalRealNameVerifier
from pinqiao.core.permissions import Role
from pinqiao.disclosure.services import legal_accept_current

DEMO_PASSWORD = "Pinqiao2026"

# (username, role, display name, phone, e-mail, TOTP key hex for staff)
DEMO_USERS = [
    ("demo_seeker", Role.SEEKER, "张小明", "13800000001", None, None),
    ("demo_employer", Role.RECRUITER, "李招聘（用人单位）", "13800000002", "hr@employer.example",
     None),
    ("demo_agency", Role.RECRUITER, "王顾问（人力资源服务机构）", "13800000003",
     "hr@agency.example", None),
    ("demo_reviewer", Role.REVIEWER, "审核员", None, "reviewer@pinqiao.example",
     "3132333435363738393031323334353637383930"),
    ("demo_service", Role.CUSTOMER_SERVICE, "客服", None, "service@pinqiao.example",
     "3132333435363738393031323334353637383931"),
    ("demo_operator", Role.OPERATOR, "运营", None, "operator@pinqiao.example",
     "3132333435363738393031323334353637383932"),
    ("demo_auditor", Role.AUDITOR, "审计员", None, "auditor@pinqiao.example",
     "3132333435363738393031323334353637383933"),
    ("demo_regulator", Role.REGULATOR, "监管人员", None, "regulator@pinqiao.example",
     "3132333435363738393031323334353637383934"),
]

# Identities the local real-name provider can confirm (for trying real-name verification).
DEMO_IDENTITIES = [("张小明", "110105199003071239"), ("李招聘", "440106199508152344"),
                   ("王顾问", "310115198801013450")]


def load(stdout) -> None:  # noqa: ANN001
    for username, role, name, phone, email, otp_key in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, password=DEMO_PASSWORD, role=role, display_name=name,
                phone_ciphertext=encrypt_phone(phone) if phone else "",
                phone_index=phone_index(phone) if phone else None, email=email,
            )
        legal_accept_current(user=user)
        if otp_key:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="demo", defaults={"key": otp_key, "confirmed": True})
            secret = base64.b32encode(bytes.fromhex(device.key)).decode()
            stdout.write(f"  {username}: TOTP secret {secret}")
    verifier = LocalRealNameVerifier()
    for name, number in DEMO_IDENTITIES:
        verifier.register(name=name, id_number=number)
    stdout.write(f"accounts: {len(DEMO_USERS)} demo users, password {DEMO_PASSWORD}")
