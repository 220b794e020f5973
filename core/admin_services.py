"""Admin add and change pages whose write is a service call (issue 22: no back doors).

Django's ModelAdmin saves the form's instance with `obj.save()`: no permission check, no
transition record, no signal a domain listens to (F8's watched edit, F4's specific creator),
no carry gate (C4, D4). A `ServiceAdmin` says instead which service creates (`create`) and
which changes (`update`); fields no service routes are read-only, and without `create`
there is no add page.

Errors are met where a reviewer can read them: the form's `clean()` runs the write once in a
savepoint that is always rolled back (its notifications and on-commit tasks go with it), and
shows the service's refusal next to the field it names. The real write happens only after
every form and inline validated (`save_form`), so nothing is swallowed in `save_model`: a
refusal there (a race since the dry run) propagates and the admin's transaction rolls back.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.admin_base import refusal_text


class _DryRun(Exception):
    """Raised inside the dry run's savepoint so that it rolls back."""


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose add and change call services (see the module docstring)."""

    # Fields a service writes that this admin lets a reviewer change: `update` routes each
    # to its service (the walk in tests/core/test_admin_writes.py checks the list).
    routed_fields: tuple[str, ...] = ()
    # The fields of the add page, when they differ from the change page's.
    add_fields: list[str] | None = None

    def create(self, request, data: dict[str, Any]):
        """Create the object through its service and return it; not overridden: no add page."""
        raise NotImplementedError

    def update(self, request, obj, data: dict[str, Any]):
        """Apply `data` (only the fields the reviewer changed) through the services; returns
        the object. Not overridden: the change page is read-only."""
        raise NotImplementedError

    @classmethod
    def creates(cls) -> bool:
        return cls.create is not ServiceAdmin.create

    @classmethod
    def updates(cls) -> bool:
        return cls.update is not ServiceAdmin.update

    def get_fields(self, request, obj=None):
        if obj is None and self.add_fields is not None:
            return list(self.add_fields)
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None and self.add_fields is not None else super().get_readonly_fields(request, obj)

    @staticmethod
    def plain_update(obj, data: dict[str, Any]):
        """Fields no service owns (a name, a title, a rate): validated by the model, saved
        alone. Each admin says which fields it hands here; the rest went to their services."""
        for name, value in data.items():
            setattr(obj, name, value)
        if data:
            obj.full_clean()
            obj.save(update_fields=list(data))
        return obj

    def has_add_permission(self, request) -> bool:
        return self.creates() and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        # No `update`: the change page is a read-only record (no 保存 buttons either).
        return self.updates() and super().has_change_permission(request, obj)

    def _write(self, request, form):
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if form.instance.pk is None:
            data = {name: form.cleaned_data[name] for name in form.cleaned_data}
            return self.create(request, data)
        obj = self.model._default_manager.get(pk=form.instance.pk)
        return self.update(request, obj, data) if data else obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def clean(self):
                data = super().clean()
                if self.errors:
                    return data
                try:
                    with transaction.atomic():
                        model_admin._write(request, self)
                        raise _DryRun
                except _DryRun:
                    pass
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for field, errors in exc.error_dict.items():
                            self.add_error(field if field in self.fields else None, errors)
                    else:
                        raise
                except PermissionDenied as exc:
                    raise ValidationError(refusal_text(exc)) from exc
                return data

        ServiceForm.__name__ = form_class.__name__
        return ServiceForm

    def save_form(self, request, form, change):
        # The one real write: every form and inline has validated by now.
        return self._write(request, form)

    def save_model(self, request, obj, form, change):
        """Nothing left to save: `save_form` called the service."""

    def save_related(self, request, form, formsets, change):
        # The form's many-to-many fields were the service's to write; inlines save as usual.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
