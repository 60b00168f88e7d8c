"""API for organisations, people, invitations and personal tokens. Same policy and services as the pages."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ipm.access import policy
from ipm.accounts import services
from ipm.accounts.models import ApiScope, OrganisationKind, Role
from ipm.api.common import Pagination, require_two_factor, require_write

router = Router(tags=["Organisations and people"])


class OrganisationOut(Schema):
    id: int
    name: str
    kind: OrganisationKind
    country: str = Field(description="ISO 3166-1 alpha-2, empty when not relevant")
    email: str
    website: str
    require_two_factor: bool
    is_active: bool

    @staticmethod
    def resolve_country(organisation):
        return str(organisation.country or "")


class UserOut(Schema):
    id: int
    email: str
    full_name: str
    organisation_id: int
    role: Role
    is_active: bool
    language: str


class MeOut(UserOut):
    organisation: OrganisationOut


class MemberPatch(Schema):
    role: Role | None = None
    is_active: bool | None = None


class InvitationIn(Schema):
    email: str
    role: Role = Role.EDITOR


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    organisation_id: int
    expires_at: datetime


class TokenIn(Schema):
    name: str = Field(max_length=100)
    scope: ApiScope = ApiScope.READ
    expires_in_days: int | None = Field(None, ge=1)


class TokenOut(Schema):
    id: int
    name: str
    scope: ApiScope
    hint: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    key: str = Field(description="The secret; shown once, never again")


@router.get("/me", response=MeOut, summary="The signed-in user and their organisation")
def me(request):
    require_two_factor(request)
    return request.user


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations visible to you")
@paginate(Pagination)
def list_organisations(request, kind: OrganisationKind | None = None):
    require_two_factor(request)
    organisations = policy.visible_organisations(request.user).order_by("name", "pk")
    return organisations.filter(kind=kind) if kind else organisations


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request, organisation_id: int):
    require_two_factor(request)
    return get_object_or_404(policy.visible_organisations(request.user), pk=organisation_id)


@router.get("/organisations/{organisation_id}/members", response=list[UserOut], summary="Members you may see")
@paginate(Pagination)
def list_members(request, organisation_id: int):
    require_two_factor(request)
    organisation = get_object_or_404(policy.visible_organisations(request.user), pk=organisation_id)
    return policy.visible_users(request.user).filter(organisation=organisation).order_by("email")


@router.post(
    "/organisations/{organisation_id}/invitations",
    response={201: InvitationOut},
    summary="Invite a person by email (organisation admins)",
)
def create_invitation(request, organisation_id: int, payload: InvitationIn):
    require_write(request)
    organisation = get_object_or_404(policy.manageable_organisations(request.user), pk=organisation_id)
    invitation, _token = services.invite_user(
        request.user,
        organisation,
        email=payload.email,
        role=payload.role,
        base_url=request.build_absolute_uri("/"),
        request=request,
    )
    return Status(201, invitation)


@router.get("/users/{user_id}", response=UserOut)
def get_user(request, user_id: int):
    require_two_factor(request)
    return get_object_or_404(policy.visible_users(request.user), pk=user_id)


@router.patch("/users/{user_id}", response=UserOut, summary="Change a member's role or (de)activate them")
def update_user(request, user_id: int, payload: MemberPatch):
    require_write(request)
    member = get_object_or_404(policy.manageable_users(request.user), pk=user_id)
    if payload.role is not None:
        services.change_role(request.user, member, payload.role, request=request)
    if payload.is_active is not None:
        services.set_user_active(request.user, member, payload.is_active, request=request)
    return member


@router.get("/tokens", response=list[TokenOut], summary="Your personal API tokens")
@paginate(Pagination)
def list_tokens(request):
    require_two_factor(request)
    return policy.own_api_tokens(request.user)


@router.post("/tokens", response={201: NewTokenOut}, summary="Create a personal API token")
def create_token(request, payload: TokenIn):
    require_write(request)
    token, key = services.create_api_token(
        request.user,
        name=payload.name,
        scope=payload.scope,
        expires_in_days=payload.expires_in_days,
        request=request,
    )
    token.key = key
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of your tokens")
def revoke_token(request, token_id: int):
    require_write(request)
    token = get_object_or_404(policy.own_api_tokens(request.user), pk=token_id)
    services.revoke_api_token(request.user, token, request=request)
    return Status(204, None)
