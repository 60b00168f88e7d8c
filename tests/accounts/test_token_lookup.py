"""The precompiled bearer-token look-up (``ipm.accounts.token_lookup``) answers exactly what the ORM query it
replaces would, and refuses a token the very next call after it is revoked, expires, or its owner or organisation
is switched off: nothing is cached between calls."""

from datetime import timedelta

from django.utils import timezone

from ipm.accounts import services
from ipm.accounts.models import ApiToken, User
from ipm.accounts.token_lookup import usable_token_with_owner


def orm_lookup(key_hash):
    return ApiToken.objects.usable().select_related("user__organisation").filter(key_hash=key_hash).first()


def field_values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_same_token_user_and_organisation_as_the_orm(world):
    user = world.users["fr_officer"]
    user.language, user.time_zone = "fr", "Europe/Paris"
    user.save()
    _token, key = services.create_api_token(user, name="ERP", scope="write", expires_in_days=30)
    key_hash = ApiToken.hash_key(key)

    found, expected = usable_token_with_owner(key_hash), orm_lookup(key_hash)

    assert field_values(found) == field_values(expected)
    assert field_values(found.user) == field_values(expected.user)
    assert field_values(found.user.organisation) == field_values(expected.user.organisation)
    assert found.user.organisation.country.code == "FR"
    assert found.allows_write and found.expires_at > timezone.now()


def test_no_query_for_the_user_or_organisation_afterwards(world, django_assert_num_queries):
    _token, key = services.create_api_token(world.users["fr_officer"], name="ERP")
    with django_assert_num_queries(1):
        token = usable_token_with_owner(ApiToken.hash_key(key))
        assert token.user.organisation.is_active


def test_refused_on_the_next_call_once_revoked_expired_or_switched_off(world):
    user = world.users["fr_officer"]
    token, key = services.create_api_token(user, name="ERP")
    assert services.authenticate_api_key(key) is not None

    services.revoke_api_token(user, token)
    assert usable_token_with_owner(ApiToken.hash_key(key)) is None

    token, key = services.create_api_token(user, name="ERP", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert usable_token_with_owner(ApiToken.hash_key(key)) is None

    _token, key = services.create_api_token(user, name="ERP")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert services.authenticate_api_key(key) is None
    User.objects.filter(pk=user.pk).update(is_active=True)
    assert services.authenticate_api_key(key) is not None
    type(user.organisation).objects.filter(pk=user.organisation_id).update(is_active=False)
    assert services.authenticate_api_key(key) is None


def test_unknown_key(world):
    assert usable_token_with_owner(ApiToken.hash_key("ipm_nothing")) is None
