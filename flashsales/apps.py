from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlashsalesConfig(AppConfig):
    name = "flashsales"
    verbose_name = _("Flash sales (闪购)")
