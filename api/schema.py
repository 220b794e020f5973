"""The OpenAPI description of our own pieces: the key scheme, and problem details as the
error answer of every operation (so the schema states what a 4xx looks like)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "dh_<id>_<secret>",
                "description": "An API key from the merchant or creator workspace (API keys)."}
