"""Decisions where the reviewer looks (issue 22): on the object's own change page, a button
per decision the object's state allows (read from django-fsm's available transitions, so the
graph stays the one truth), each with its reason form; the decision calls the same service
as the bulk action, and the next item of the same queue opens at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import FSMFieldMixin

from core import claims
from core.admin_base import HistoryPage, refusal_text


def available_transitions(obj) -> set[str]:
    """The names of the transitions `obj`'s state allows now (conditions included)."""
    for field in obj._meta.fields:
        if isinstance(field, FSMFieldMixin):
            return {t.name for t in getattr(obj, f"get_available_{field.name}_transitions")()}
    return set()


@dataclass(frozen=True)
class Decision:
    """One decision a reviewer takes on the object's page."""

    name: str  # in the URL: <id>/decision/<name>/
    label: str  # the button
    transition: str  # the django-fsm transition it performs (shown only when available)
    run: Callable[..., object]  # run(obj=…, by=…, reason=…): the service
    reason_required: bool = True
    permission: str | None = None  # a permission the reviewer needs besides the admin's view
    done: str = gettext_lazy("Decision recorded.")
    when: Callable[[object], bool] | None = None  # narrows it further (two decisions, one transition)


# Every decision some admin offers, "<app>.<model>.<decision>" → (model, label), for the
# reason templates staff keep per decision (core.models.ReasonTemplate).
DECISION_KINDS: dict[str, tuple] = {}


def decision_kind_choices() -> list[tuple[str, str]]:
    return [(key, f"{model._meta.verbose_name}：{label}") for key, (model, label) in sorted(DECISION_KINDS.items())]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (recorded in the history)"), max_length=250, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].label = _("Note (optional)")


class DecisionsAdmin(HistoryPage):
    """Mix into a ModelAdmin with `decisions`; its change page shows the buttons (template
    admin/core/decisions_change_form.html) and `next_in_queue` names what opens after."""

    decisions: tuple[Decision, ...] = ()
    change_form_template = "admin/core/decisions_change_form.html"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        for d in self.decisions:
            if d.reason_required:
                DECISION_KINDS[self._kind(d)] = (model, d.label)

    def _kind(self, decision: Decision) -> str:
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}.{decision.name}"

    def _reason_templates(self, decisions) -> list[dict]:
        from core.models import ReasonTemplate

        names = {self._kind(d): d.name for d in decisions}
        return [{"decision": names[t.kind], "text": t.text} for t in ReasonTemplate.objects.filter(kind__in=names)]

    def next_in_queue(self, request, obj):
        """The next item of `obj`'s queue for this reviewer, or None (back to the list); `obj`
        as it was before the decision (its state names the queue)."""
        return None

    def decisions_for(self, request, obj) -> list[Decision]:
        allowed = available_transitions(obj)
        return [
            d for d in self.decisions
            if d.transition in allowed and (d.permission is None or request.user.has_perm(d.permission))
            and (d.when is None or d.when(obj))
        ]

    def unclaimed(self, request, queryset):
        """`queryset` without the items other reviewers hold (for `next_in_queue`)."""
        return queryset.exclude(pk__in=claims.claimed_by_others(self.model, request.user))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        decisions = self.decisions_for(request, obj) if obj is not None else []
        claim = held = None
        if decisions:
            # 领取: opening an item the reviewer can decide holds it for them for a while.
            claim = claims.claim_take(obj=obj, by=request.user)
            if claim is None:
                held, decisions = claims.held_by_other(obj, request.user), []
        extra = {
            "claim": claim,
            "claim_release_url": reverse(f"admin:{self._decision_url_name()}_release", args=[obj.pk]) if claim else None,
            "held_text": claims.claim_text(held) if held else None,
            "decisions": [
                {"decision": d, "url": reverse(f"admin:{self._decision_url_name()}", args=[obj.pk, d.name])} for d in decisions
            ],
            # One reason box for every button: the browser does not require it (approve needs
            # none); a decision that does says so on its own page when the box is empty.
            "reason_form": ReasonForm(required=any(d.reason_required for d in decisions), use_required_attribute=False),
            "reason_templates": self._reason_templates(decisions) if decisions else [],
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _decision_url_name(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_decision"

    def get_urls(self):
        return [
            path("<int:object_id>/decision/<str:name>/", self.admin_site.admin_view(self.decision_view), name=self._decision_url_name()),
            path("<int:object_id>/release/", self.admin_site.admin_view(self.release_view), name=f"{self._decision_url_name()}_release"),
            *super().get_urls(),
        ]

    def release_view(self, request, object_id: int):
        """The reviewer lets the item go back to the queue (POST only)."""
        obj = self.get_object(request, str(object_id))
        if request.method != "POST" or obj is None:
            raise PermissionDenied
        claims.claim_release(obj=obj, by=request.user)
        return HttpResponseRedirect(reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist"))

    def decision_view(self, request, object_id: int, name: str):
        obj = self.get_object(request, str(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        decision = next((d for d in self.decisions if d.name == name), None)
        if decision is None or (decision.permission and not request.user.has_perm(decision.permission)):
            raise PermissionDenied
        change_url = reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[obj.pk])
        form = ReasonForm(request.POST if request.method == "POST" else None, required=decision.reason_required)
        if request.method == "POST" and form.is_valid():
            try:
                self.before_decision(request, obj)
                decision.run(obj=obj, by=request.user, reason=form.cleaned_data["reason"])
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, refusal_text(exc), messages.ERROR)
                return HttpResponseRedirect(change_url)
            done = str(decision.done)
            self.message_user(request, f"{obj}: {done % {'n': 1} if '%(n)' in done else done}", messages.SUCCESS)
            self.after_decision(request, obj)
            following = self.next_in_queue(request, obj)
            if following is not None:
                return HttpResponseRedirect(reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[following.pk]))
            return HttpResponseRedirect(reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist"))
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": obj,
            "title": decision.label, "decision": decision, "form": form, "cancel_url": change_url,
            "reason_templates": self._reason_templates([decision]),
        }
        return TemplateResponse(request, "admin/core/decision.html", context)

    def before_decision(self, request, obj) -> None:
        """Another reviewer holds the item: refused with who and until when."""
        claims.claim_check(obj=obj, by=request.user)

    def after_decision(self, request, obj) -> None:
        """The decision ends the reviewer's claim."""
        claims.claim_release(obj=obj, by=request.user)


