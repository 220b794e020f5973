"""批量发货 through the API (issue 24): one call ships many approved samples (S5), per-row results."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.fields import IdField
from samples.rules import RULES

# The schema's bound: the most the rule may ever be set to (the rule's value applies below it).
MAX_ROWS_CEILING = next(rule.maximum for rule in RULES if rule.key == "sample_ship_batch_rows")


class ShipBulkRowSerializer(serializers.Serializer):
    """One row: the request, its carrier (code such as `sf`, or its name such as 顺丰速运) and
    the tracking number; a blank tracking number skips the row."""

    id = IdField()
    carrier = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    tracking_number = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")


class ShipBulkSerializer(serializers.Serializer):
    rows = ShipBulkRowSerializer(many=True, allow_empty=False, max_length=MAX_ROWS_CEILING)

    def validate_rows(self, rows):
        from samples.services.ship_sheet import max_rows

        limit = max_rows()
        if len(rows) > limit:
            raise serializers.ValidationError(_("At most %(limit)s rows in one call (rule S5, 批量发货): send the rest in another call.") % {"limit": limit})
        return rows


class ShipBulkResultRowSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The row's position in the call, from 1.")
    id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=["shipped", "skipped", "refused"])
    reason = serializers.CharField(allow_blank=True)
    rule = serializers.CharField(allow_null=True, help_text="The rule that refused the row, where one did (S5).")
    carrier = serializers.CharField(allow_blank=True)
    tracking_number = serializers.CharField(allow_blank=True)


class ShipBulkResultSerializer(serializers.Serializer):
    shipped = serializers.IntegerField()
    skipped = serializers.IntegerField()
    refused = serializers.IntegerField()
    rows = ShipBulkResultRowSerializer(many=True)
