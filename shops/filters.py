import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.rules import rules
from shops.models import AllianceListing, Category, ShopType
from shops.sales import sales_count_of_product


class MarketplaceFilter(django_filters.FilterSet):
    """选品广场 filters: search, category, price range, shop type, sample support."""

    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Product or shop")})
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), field_name="product__category", queryset=Category.objects.all(), empty_label=_("All categories")
    )
    price_min = django_filters.NumberFilter(
        label=_("Price from"), field_name="product__price", lookup_expr="gte", widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"})
    )
    price_max = django_filters.NumberFilter(
        label=_("Price to"), field_name="product__price", lookup_expr="lte", widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"})
    )
    shop_type = django_filters.ChoiceFilter(
        label=_("Shop type"), field_name="product__shop__shop_type", choices=ShopType.choices, empty_label=_("All shop types")
    )
    sample_support = django_filters.ChoiceFilter(
        label=_("Free samples (免费申样)"), choices=[("yes", _("Free samples only")), ("no", _("Without free samples"))],
        empty_label=_("Any"), method="filter_samples",
    )

    sort = django_filters.ChoiceFilter(
        label=_("Sort"), empty_label=_("Newest first"), method="sort_by",
        choices=[("commission", _("Commission, highest first")), ("price", _("Price, lowest first")),
                 ("-price", _("Price, highest first")), ("sales", _("Sales, most first"))],
    )

    class Meta:
        model = AllianceListing
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            css = "form-select form-select-sm" if name in ("category", "shop_type", "sample_support", "sort") else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def filter_samples(self, queryset, name, value):
        # S2: a virtual or cross-border product is not a free-sample offer while the
        # platform rule keeps samples off for it, whatever its switch says.
        offer = Q(sample_support=True)
        if not rules.flag("samples_virtual"):
            offer &= Q(product__is_virtual=False)
        if not rules.flag("samples_cross_border"):
            offer &= Q(product__shop__is_cross_border=False)
        return queryset.filter(offer) if value == "yes" else queryset.exclude(offer)

    def sort_by(self, queryset, name, value):
        if value == "commission":
            return queryset.order_by("-commission_rate", "-id")
        if value in ("price", "-price"):
            return queryset.order_by(value.replace("price", "product__price"), "-id")
        if value == "sales":
            return queryset.annotate(sales=sales_count_of_product()).order_by("-sales", "-id")
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(product__title__icontains=value) | Q(product__short_title__icontains=value) | Q(product__shop__name__icontains=value)
        )
