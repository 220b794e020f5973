"""One form style: {% form_fields %} renders through crispy-forms (Bootstrap 5) and adds
the upload limit and the reason a checkbox is required."""

from django import forms
from django.template import Context, Template
from django.utils import translation


class UploadForm(forms.Form):
    title = forms.CharField(label="标题")
    picture = forms.FileField(label="图片", help_text="JPEG 或 PNG。")
    agree = forms.BooleanField(label="我已阅读", required=True)
    because = forms.BooleanField(label="我确认", required=True, help_text="平台据此审核。")


def render(form) -> str:
    with translation.override("zh-hans"):
        return Template("{% load daihuo_forms %}{% form_fields form %}").render(Context({"form": form}))


def test_every_upload_states_the_size_limit_from_settings(settings):
    settings.MAX_UPLOAD_BYTES = 7 * 1024 * 1024
    assert "JPEG 或 PNG。文件不超过 7 MB。" in render(UploadForm())


def test_a_required_checkbox_says_why_unless_its_form_already_does():
    html = render(UploadForm())
    assert "必须勾选" in html and "平台据此审核。" in html
    assert html.count("必须勾选") == 1


def test_errors_sit_with_their_field_and_no_form_tag_is_written():
    html = render(UploadForm(data={}))
    assert "<form" not in html and "csrfmiddlewaretoken" not in html
    assert 'id="error_1_id_title"' in html and "is-invalid" in html
