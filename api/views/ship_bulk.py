"""批量发货 through the API (issue 24): `POST merchant/sample-requests/ship-bulk/` ships many
approved samples in one call, each row through the ship endpoint's own service (S5), and
answers per row. A malformed body (not a list of rows, an id that is no id, more rows than
the rule allows) is a 400 and nothing ships; a row refused by a rule is reported in its
row, and the others ship."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from api.idempotency import IDEMPOTENCY_HEADER, idempotent
from api.rule_ids import rule_of
from api.serializers.ship_bulk import ShipBulkResultSerializer, ShipBulkSerializer
from samples.services.ship_sheet import REFUSED, SHIPPED, SKIPPED, ShipRow, ship_rows


class ShipBulkMixin:
    """Mixed into the merchant's sample-request endpoints (same key kind and scope)."""

    @extend_schema(request=ShipBulkSerializer, responses={200: ShipBulkResultSerializer}, parameters=[IDEMPOTENCY_HEADER],
                   summary="Ship many approved samples in one call (S5, 批量发货): per-row results")
    @action(detail=False, methods=["post"], url_path="ship-bulk")
    @idempotent
    def ship_bulk(self, request):
        data = self._input(ShipBulkSerializer)
        rows = [ShipRow(line=i, raw_id=str(row["id"]), carrier=row["carrier"], tracking_number=row["tracking_number"])
                for i, row in enumerate(data["rows"], start=1)]
        results = self.run(ship_rows, merchant=request.merchant, rows=rows)
        body = {
            "shipped": sum(1 for r in results if r.outcome == SHIPPED),
            "skipped": sum(1 for r in results if r.outcome == SKIPPED),
            "refused": sum(1 for r in results if r.outcome == REFUSED),
            "rows": [
                {"index": r.line, "id": r.id, "outcome": r.outcome, "reason": r.reason,
                 "rule": next((rule for m in r.messages or [r.reason] if (rule := rule_of(m))), None) if r.outcome == REFUSED else None,
                 "carrier": r.carrier, "tracking_number": r.tracking_number}
                for r in results
            ],
        }
        return Response(ShipBulkResultSerializer(body).data)
