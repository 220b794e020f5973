"""The live room's forms as {% form_fields %} renders them: the buy box of each offer (its
own ids, at most what is left), posted back to BuyForm."""

from django import template

from flashsales.forms import BuyForm

register = template.Library()


@register.simple_tag
def buy_form(fs) -> BuyForm:
    form = BuyForm(auto_id=f"id_fs{fs.pk}_%s")
    form.fields["quantity"].widget.attrs["max"] = max(1, fs.remaining)
    return form
