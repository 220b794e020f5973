"""The OpenAPI description of our own pieces: the key scheme, and problem details as the
error answer of every operation (so the schema states what a 4xx looks like)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "dh_<id>_<secret>",
                "description": "An API key from the merchant or creator workspace (API keys)."}


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `rule` names the platform rule that refused, where one did.",
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "rule": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status", "detail"],
}
_ERRORS = {
    "400": "The request is not valid (a field, a filter, a missing Idempotency-Key).",
    "401": "No key, or an unknown, revoked or expired key.",
    "403": "The key lacks the scope, or is of another kind (merchant, creator, platform).",
    "404": "Not found, or not yours.",
    "406": "The Accept header asks for something other than JSON.",
    "429": "Over the key's rate limit (API1); Retry-After says when to come back.",
}
_WRITE_ERRORS = {
    "409": "Another request changed the object first (reload and decide again).",
    "415": "The body is not JSON (or multipart where a file is sent).",
    "422": "A platform rule refused (`rule` names it), or the Idempotency-Key was used before with another body.",
}


def problem_responses(result, generator, request, public):
    """drf-spectacular post-processing: every operation states its problem-details answers,
    and a read its 304 (ETag)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ref = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            errors = dict(_ERRORS) if method == "get" else {**_ERRORS, **_WRITE_ERRORS}
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": ref})
            if method == "get":
                responses.setdefault("304", {"description": "Not modified (If-None-Match matched the ETag)."})
    return result
