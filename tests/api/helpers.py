from django.test import Client

from ipm.accounts import services


def token_for(user, scope="read", **kwargs):
    _token, key = services.create_api_token(user, name=f"{scope} token", scope=scope, **kwargs)
    return key


def bearer(key) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def api_client(user, scope="read") -> Client:
    return bearer(token_for(user, scope))


def assert_error(response, status, code):
    """The stable error shape: ``{"error": {"code", "message", "details"}}``, always JSON."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    return body["error"]
