"""The staff template editor (MSG-3): notification templates live in the database, operators
past the second factor edit them with a preview on sample data; every save bumps the version
and is audited; a template that would not render is refused with a Chinese message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from pinqiao.accounts.models import User
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.notifications.models import NotificationTemplate
from pinqiao.notifications.services import notify, template_update

VERB = "notifications.template_updated"
EDIT = {"subject": "欢迎来到聘桥，{{ user.display_name }}",
        "body": "{{ user.display_name }}，您的账号已开通。", "is_active": "on"}


@pytest.fixture
def welcome(db: None) -> NotificationTemplate:
    """The default in-site welcome template, installed by the data migration."""
    return NotificationTemplate.objects.get(event="welcome", channel="inbox")


def edit_url(template: NotificationTemplate) -> str:
    return f"/staff/templates/{template.pk}/"


def preview_url(template: NotificationTemplate) -> str:
    return f"/staff/templates/{template.pk}/preview/"


class TestTemplateList:
    url = "/staff/templates/"

    def test_it_rejects_anonymous(self, client: Client) -> None:
        response = client.get(self.url)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    def test_it_requires_operator(self, reviewer: User,
                                  staff_client: Callable[[User], Client]) -> None:
        assert staff_client(reviewer).get(self.url).status_code == 403

    def test_it_refuses_seekers(self, seeker: User,
                                user_client: Callable[[User], Client]) -> None:
        assert user_client(seeker).get(self.url).status_code == 403

    def test_it_requires_second_factor(self, operator: User,
                                       user_client: Callable[[User], Client]) -> None:
        response = user_client(operator).get(self.url)

        assert response["Location"] == "/staff/otp/?next=/staff/templates/"

    def test_it_lists_the_templates_with_their_versions(
            self, operator: User, staff_client: Callable[[User], Client],
            welcome: NotificationTemplate) -> None:
        html = staff_client(operator).get(self.url).content.decode()

        assert f'href="{edit_url(welcome)}"' in html
        assert "欢迎加入聘桥" in html
        assert "站内信" in html and "短信" in html


class TestTemplateEdit:
    def test_it_rejects_anonymous(self, client: Client, welcome: NotificationTemplate) -> None:
        response = client.post(edit_url(welcome), EDIT)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        welcome.refresh_from_db()
        assert welcome.version == 1

    def test_it_requires_operator(self, reviewer: User, staff_client: Callable[[User], Client],
                                  welcome: NotificationTemplate) -> None:
        client = staff_client(reviewer)

        assert client.get(edit_url(welcome)).status_code == 403
        assert client.post(edit_url(welcome), EDIT).status_code == 403
        welcome.refresh_from_db()
        assert welcome.version == 1

    def test_it_requires_second_factor(self, operator: User,
                                       user_client: Callable[[User], Client],
                                       welcome: NotificationTemplate) -> None:
        response = user_client(operator).post(edit_url(welcome), EDIT)

        assert response["Location"] == f"/staff/otp/?next={edit_url(welcome)}"
        welcome.refresh_from_db()
        assert welcome.version == 1

    def test_it_shows_the_template_for_editing(self, operator: User,
                                               staff_client: Callable[[User], Client],
                                               welcome: NotificationTemplate) -> None:
        response = staff_client(operator).get(edit_url(welcome))

        assert response.status_code == 200
        assert "平台不会以任何名义向求职者收费" in response.content.decode()

    def test_it_answers_404_for_an_unknown_template(
            self, operator: User, staff_client: Callable[[User], Client]) -> None:
        assert staff_client(operator).get("/staff/templates/999999/").status_code == 404

    def test_it_saves_with_a_version_bump_and_an_audit_entry(
            self, operator: User, staff_client: Callable[[User], Client],
            welcome: NotificationTemplate) -> None:
        response = staff_client(operator).post(edit_url(welcome), EDIT, follow=True)

        assert "模板已保存（版本 2）。" in response.content.decode()
        welcome.refresh_from_db()
        assert (welcome.subject, welcome.body) == (EDIT["subject"], EDIT["body"])
        assert welcome.version == 2
        assert welcome.updated_by == operator
        entry = AuditEntry.objects.get(verb=VERB)
        assert entry.actor_id == operator.pk
        assert entry.target_id == str(welcome.pk)
        assert entry.data == {"event": "welcome", "channel": "inbox", "version": 2}

    def test_it_sends_the_edited_text_from_then_on(self, operator: User, seeker: User,
                                                   staff_client: Callable[[User], Client],
                                                   welcome: NotificationTemplate) -> None:
        staff_client(operator).post(edit_url(welcome), EDIT)

        notification = notify(seeker, "welcome")

        assert notification.subject == "欢迎来到聘桥，求职者小张"
        assert notification.body == "求职者小张，您的账号已开通。"

    def test_it_refuses_a_template_with_a_syntax_error(
            self, operator: User, staff_client: Callable[[User], Client],
            welcome: NotificationTemplate) -> None:
        response = staff_client(operator).post(
            edit_url(welcome), EDIT | {"body": "{% if user %}您好{{ user.display_name }"})

        assert response.status_code == 200
        assert "模板语法错误" in response.content.decode()
        welcome.refresh_from_db()
        assert welcome.version == 1
        assert "平台不会以任何名义向求职者收费" in welcome.body
        assert not AuditEntry.objects.filter(verb=VERB).exists()

    def test_it_refuses_a_template_that_fails_when_rendered(
            self, operator: User, staff_client: Callable[[User], Client],
            welcome: NotificationTemplate) -> None:
        response = staff_client(operator).post(
            edit_url(welcome), EDIT | {"body": "请查看 {% url 'no_such_page' %}"})

        assert response.status_code == 200
        assert "模板无法渲染" in response.content.decode()
        welcome.refresh_from_db()
        assert welcome.version == 1

    def test_it_refuses_an_empty_body_with_a_message(
            self, operator: User, staff_client: Callable[[User], Client],
            welcome: NotificationTemplate) -> None:
        response = staff_client(operator).post(edit_url(welcome), EDIT | {"body": ""})

        assert "这个字段是必填项。" in response.content.decode()
        welcome.refresh_from_db()
        assert welcome.version == 1

    def test_it_switches_a_template_off(self, operator: User,
                                        staff_client: Callable[[User], Client],
                                        welcome: NotificationTemplate) -> None:
        staff_client(operator).post(edit_url(welcome), {k: v for k, v in EDIT.items()
                                                        if k != "is_active"})

        welcome.refresh_from_db()
        assert welcome.is_active is False

    def test_it_refuses_the_service_to_anyone_but_an_operator(
            self, reviewer: User, past_second_factor: Callable[[User], User],
            welcome: NotificationTemplate) -> None:
        with pytest.raises(NotPermitted):
            template_update(actor=past_second_factor(reviewer), template=welcome,
                            subject="x", body="y", is_active=True)

    def test_it_refuses_a_syntax_error_in_the_service(
            self, operator: User, past_second_factor: Callable[[User], User],
            welcome: NotificationTemplate) -> None:
        with pytest.raises(ServiceError) as refused:
            template_update(actor=past_second_factor(operator), template=welcome,
                            subject="{% if user %}未闭合", body="正文", is_active=True)

        assert refused.value.code == "template_syntax"
        assert refused.value.message.startswith("模板语法错误：")


class TestTemplatePreview:
    def test_it_rejects_anonymous(self, client: Client, welcome: NotificationTemplate) -> None:
        response = client.post(preview_url(welcome), EDIT)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    def test_it_requires_operator(self, reviewer: User, staff_client: Callable[[User], Client],
                                  welcome: NotificationTemplate) -> None:
        assert staff_client(reviewer).post(preview_url(welcome), EDIT).status_code == 403

    def test_it_requires_second_factor(self, operator: User,
                                       user_client: Callable[[User], Client],
                                       welcome: NotificationTemplate) -> None:
        response = user_client(operator).post(preview_url(welcome), EDIT)

        assert response["Location"].startswith("/staff/otp/")

    def test_it_renders_the_draft_with_sample_data(self, operator: User,
                                                   staff_client: Callable[[User], Client],
                                                   welcome: NotificationTemplate) -> None:
        operator.display_name = "运营小王"
        operator.save()

        response = staff_client(operator).post(preview_url(welcome), {
            "subject": "{{ organisation }}邀请您面试", "body": "验证码{{ code }}，{{ user }}"})

        assert response.status_code == 200
        html = response.content.decode()
        assert "示例科技有限公司邀请您面试" in html
        assert "验证码123456，运营小王" in html
        welcome.refresh_from_db()
        assert welcome.version == 1  # a preview saves nothing

    def test_it_shows_a_syntax_error_in_chinese(self, operator: User,
                                                staff_client: Callable[[User], Client],
                                                welcome: NotificationTemplate) -> None:
        response = staff_client(operator).post(preview_url(welcome), {
            "subject": "标题", "body": "{% for x in %}"})

        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
        assert "模板语法错误" in response.content.decode()

    def test_it_shows_a_render_failure_in_chinese(self, operator: User,
                                                  staff_client: Callable[[User], Client],
                                                  welcome: NotificationTemplate) -> None:
        response = staff_client(operator).post(preview_url(welcome), {
            "subject": "标题", "body": "{% include 'no/such/template.txt' %}"})

        assert response.status_code == 200
        assert "模板无法渲染" in response.content.decode()

    def test_it_only_answers_posts(self, operator: User, staff_client: Callable[[User], Client],
                                   welcome: NotificationTemplate) -> None:
        assert staff_client(operator).get(preview_url(welcome)).status_code == 405
