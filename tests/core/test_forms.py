"""One form style: {% form_fields %} renders through crispy-forms (Bootstrap 5) and adds
the upload limit and the reason a checkbox is required."""

import re

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


class FilterBar(forms.Form):
    q = forms.CharField(label="搜索", required=False)
    sort = forms.ChoiceField(label="排序", choices=[("new", "最新")], required=False)


def test_13_a_compact_bar_keeps_its_labels_for_screen_readers_and_its_field_names():
    with translation.override("zh-hans"):
        html = Template(
            '{% load daihuo_forms %}{% form_fields form layout="row" cols="col-8, col-4" labels="hidden" small=True %}'
        ).render(Context({"form": FilterBar()}))
    assert 'class="row g-2' in html and "col-8" in html and "col-4" in html
    assert re.search(r'<label\s+for="id_q" class="form-label visually-hidden">\s*搜索', html)  # hidden, still a label
    assert 'name="q"' in html and 'name="sort"' in html
    assert "form-control-sm" in html and "form-select-sm" in html


def test_13_a_form_shown_once_per_row_gets_ids_of_its_own():
    html = Template('{% load daihuo_forms %}{% form_fields form id_suffix=7 %}{% form_fields form id_suffix=8 %}').render(
        Context({"form": FilterBar()})
    )
    assert 'id="id_7_q"' in html and 'id="id_8_q"' in html and 'for="id_8_q"' in html
    assert html.count('name="q"') == 2
