"""What the appeal endpoints read and write (AP1–AP5): one shape for both kinds."""

from __future__ import annotations

from rest_framework import serializers


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class AppealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    reason = serializers.CharField()
    filed_at = serializers.DateTimeField()
    decide_by = serializers.DateTimeField(help_text="AP2: the decision is due by then (3 working days).")
    appealed_at = serializers.DateTimeField(help_text="When the appealed decision was made.")
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
    evidence = EvidenceSerializer(many=True, source="evidence.all")


class AppealFileSerializer(serializers.Serializer):
    """AP1: multipart: `reason`, and up to 3 files named `evidence` (PDF, JPEG or PNG)."""

    reason = serializers.CharField(max_length=1000)
