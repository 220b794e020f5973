"""The three places a creator carries products: live sessions and their carts, the standing
showcase, and short videos with their carts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fsm import logged
from shops.models.catalogue import Product
from shops.models.creators import Creator


class LiveSession(ConcurrentTransitionMixin, models.Model):
    """直播场次: one live broadcast of a creator, with its cart; may be a PK."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")

    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="live_sessions", verbose_name=_("creator"))
    title = models.CharField(_("title"), max_length=100)
    scheduled_start = models.DateTimeField(_("scheduled start"))
    went_live_at = models.DateTimeField(_("went live at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    status = FSMField(_("status"), default=Status.SCHEDULED, choices=Status.choices, protected=True)
    pk_partner = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("PK partner session")
    )
    # V8: the session's distinct viewers (独立观众数), the platform's figure: flash sales count
    # each viewer who joins the live room once (flashsales.RoomVisit), samples' V8 reads it.
    peak_viewers = models.PositiveIntegerField(_("distinct viewers"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["-scheduled_start"]
        indexes = [
            models.Index(fields=["creator", "status"]),
            # A creator's next session not ended (F9's latest date; the reviewers' queue orders
            # every filing under review by it: one index probe a filing, #22.3).
            models.Index(fields=["creator", "scheduled_start", "id"], condition=~Q(status="ended"), name="session_creator_next"),
        ]

    def __str__(self) -> str:
        return f"{self.title} @ {timezone.localtime(self.scheduled_start):%Y-%m-%d %H:%M}"

    @logged
    @transition(field=status, source=Status.SCHEDULED, target=Status.LIVE)
    def go_live(self, **kwargs) -> None:
        self.went_live_at = timezone.now()

    @logged
    @transition(field=status, source=Status.LIVE, target=Status.ENDED)
    def end(self, **kwargs) -> None:
        self.ended_at = timezone.now()

    def pk_sessions(self) -> list[LiveSession]:
        """The sessions on the other side of a PK, in either direction."""
        others = list(LiveSession.objects.filter(pk_partner=self).select_related("creator"))
        if self.pk_partner_id and all(o.pk != self.pk_partner_id for o in others):
            others.append(self.pk_partner)
        return others


class LiveCartItem(models.Model):
    """购物车: a product in a live session's cart; removed items stay as history (C3, S7)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="cart_items", verbose_name=_("live session"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="live_cart_items", verbose_name=_("product"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("added by"))

    class Meta:
        verbose_name = _("live cart item")
        verbose_name_plural = _("live cart items")
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "product"], condition=Q(removed_at__isnull=True), name="one_active_cart_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.session}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class ShowcaseItem(models.Model):
    """橱窗: a product in a creator's standing showcase (their on-sale list)."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="showcase_items", verbose_name=_("creator"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="showcase_items", verbose_name=_("product"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("showcase item")
        verbose_name_plural = _("showcase items")
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "product"], condition=Q(removed_at__isnull=True), name="one_active_showcase_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.creator}"


class ShortVideo(models.Model):
    """短视频: a creator's video that can carry products in its cart."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="videos", verbose_name=_("creator"))
    title = models.CharField(_("title"), max_length=100)
    url = models.URLField(_("link"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    taken_down_at = models.DateTimeField(_("taken down at"), null=True, blank=True)

    class Meta:
        verbose_name = _("short video")
        verbose_name_plural = _("short videos")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class VideoCartItem(models.Model):
    """A product in a short video's cart."""

    video = models.ForeignKey(ShortVideo, on_delete=models.CASCADE, related_name="cart_items", verbose_name=_("short video"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="video_cart_items", verbose_name=_("product"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("video cart item")
        verbose_name_plural = _("video cart items")
        constraints = [
            models.UniqueConstraint(
                fields=["video", "product"], condition=Q(removed_at__isnull=True), name="one_active_video_cart_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.video}"
