"""The child process of the crash-safety test (RET-2): a bounded burst of writes through the
services on a file SQLite database, printing ``<kind> <id>`` after each commit. The parent kills
it with SIGKILL at a random point. Run as ``python crash_child.py RECRUITER ORG POSTING START N``
with ``DJANGO_SETTINGS_MODULE=pinqiao.settings.dev`` and ``PINQIAO_VAR_DIR`` set."""

from __future__ import annotations

import sys

import django


def main(recruiter_id: int, organisation_id: int, posting_id: int, start: int, count: int) -> None:
    django.setup()
    from pinqiao.accounts.identity import encrypt_phone, phone_index
    from pinqiao.accounts.models import User
    from pinqiao.applications.services import application_submit
    from pinqiao.jobs import services as jobs
    from pinqiao.jobs.tests.fixtures import posting_data
    from pinqiao.orgs.models import Organisation
    from pinqiao.resumes.testing import approved_resume

    recruiter = User.objects.get(pk=recruiter_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    print("ready", 0, flush=True)
    for n in range(start, start + count):
        phone = f"137{n:08d}"
        seeker = User.objects.create_user(role="seeker", display_name=f"求职者{n}",
                                          phone_ciphertext=encrypt_phone(phone),
                                          phone_index=phone_index(phone))
        print("seeker", seeker.pk, flush=True)
        approved_resume(seeker)
        application = application_submit(seeker=seeker, posting_id=posting_id, answers={},
                                         resume_consent=True, contact_consent=False)
        print("application", application.pk, flush=True)
        posting = jobs.posting_create(actor=recruiter, organisation=organisation,
                                      data=posting_data(title=f"仓储专员{n}号岗",
                                                        work_content=f"第{n}号仓库的出入库登记。"))
        posting = jobs.posting_submit(actor=recruiter, posting=posting)
        print("posting", posting.pk, flush=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:6]))
