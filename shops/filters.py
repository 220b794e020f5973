import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shops.models import AllianceListing, Category, ShopType


class MarketplaceFilter(django_filters.FilterSet):
    """选品广场 filters: search, category, price range, shop type, sample support."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), field_name="product__category", queryset=Category.objects.all(), empty_label=_("All categories")
    )
    price_min = django_filters.NumberFilter(label=_("Price from"), field_name="product__price", lookup_expr="gte")
    price_max = django_filters.NumberFilter(label=_("Price to"), field_name="product__price", lookup_expr="lte")
    shop_type = django_filters.ChoiceFilter(
        label=_("Shop type"), field_name="product__shop__shop_type", choices=ShopType.choices, empty_label=_("All shop types")
    )
    sample_support = django_filters.BooleanFilter(label=_("Free samples (免费申样)"), field_name="sample_support")

    class Meta:
        model = AllianceListing
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(product__title__icontains=value) | Q(product__short_title__icontains=value) | Q(product__shop__name__icontains=value)
        )
