"""The team pages of the merchant workspace (RULES.md T): only the owner opens them (T1)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.roles import merchant_required
from core.submissions import once
from shops import team_services, teams
from shops.models import Member, TeamEvent
from shops.team_forms import MemberAddForm, MemberChangeForm, TransferForm


def _members(merchant):
    return (Member.objects.filter(merchant=merchant).select_related("user").prefetch_related("shops")
            .order_by("state", "name", "pk"))


@never_cache
@merchant_required(can=teams.TEAM)
def team(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant
    form = MemberAddForm(request.POST or None, merchant=merchant)
    invite, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = once(key=data["submission"], user=request.user, create=lambda: team_services.member_add(
                    merchant=merchant, by=request.user, login=data["login"], name=data["name"], role=data["role"],
                    shop_ids=[s.pk for s in data["shops"]], email=data["email"]).member)
            except ValidationError as exc:
                form.add_error(None, exc)  # a field's error (login, name, shops) lands on its field
                status = 400
            else:
                if not member.user.has_usable_password():
                    invite = request.build_absolute_uri(team_services.invite_path(member.user))
                messages.success(request, _("%(name)s joined the team as %(role)s.") % {"name": member.name, "role": member.get_role_display()})
                if not invite:
                    return redirect("merchant:team")
                form = MemberAddForm(merchant=merchant)
        else:
            status = 400
    context = {
        "members": _members(merchant), "form": form, "invite": invite,
        "events": TeamEvent.objects.filter(merchant=merchant).select_related("member", "by")[:20],
    }
    return render(request, "shops/merchant/team.html", context, status=status)


@never_cache
@merchant_required(can=teams.TEAM)
def team_member(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(_members(request.merchant).filter(state=Member.State.ACTIVE), pk=pk)
    form = MemberChangeForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            team_services.member_change(member=member, by=request.user, role=form.cleaned_data["role"],
                                        shop_ids=[s.pk for s in form.cleaned_data["shops"]])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s's role and shops were saved; its open sessions end now.") % {"name": member.name})
            return redirect("merchant:team")
    return render(request, "shops/merchant/team_member.html", {"member": member, "form": form},
                  status=400 if form.errors else 200)


@merchant_required(can=teams.TEAM)
@require_POST
def team_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(_members(request.merchant), pk=pk)
    try:
        team_services.member_remove(member=member, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s was removed: its sessions and API keys stop now.") % {"name": member.name})
    return redirect("merchant:team")


@never_cache
@merchant_required(can=teams.TEAM)
def team_transfer(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant
    form = TransferForm(request.POST or None, merchant=merchant,
                        initial={"former_owner_name": request.user.get_full_name() or request.user.get_username()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team_services.ownership_transfer(merchant=merchant, by=request.user, to=data["to"],
                                             former_owner_name=data["former_owner_name"], former_owner_role=data["former_owner_role"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is the owner now. You stay in the team as a member.") % {"name": data["to"].name})
            return redirect("merchant:dashboard")
    return render(request, "shops/merchant/team_transfer.html", {"form": form}, status=400 if form.errors else 200)
