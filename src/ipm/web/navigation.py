"""The navigation bar, by role. Each entry is shown only when the access policy lets the user use it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ipm.access import policy


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool


def navigation_for(request) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not policy.is_active_member(user):
        return []
    entries = [(_("Home"), reverse("home"), "house")]
    if policy.is_secretariat(user):
        entries.append((_("Organisations"), reverse("organisation_list"), "buildings"))
    else:
        entries.append((_("My organisation"), reverse("organisation_detail", args=[user.organisation_id]), "building"))
    if policy.may_scan(user):  # the officer's main path, first after home
        entries.append((_("Scan"), reverse("scans:scan"), "qr-code-scan"))
    if policy.is_officer(user) or policy.is_secretariat(user):
        entries.append((_("Products"), reverse("catalog:product_list"), "upc-scan"))
    if policy.catalogue_right_holders(user).exists():
        entries.append((_("Catalogue"), reverse("catalog:manage_home"), "box-seam"))
    if policy.is_provider_member(user) or policy.is_secretariat(user) or policy.link_right_holders(user).exists():
        entries.append((_("Connected"), reverse("connected:service_list"), "plug"))
    if policy.may_read_audit_log(user):
        entries.append((_("Audit log"), reverse("audit_log"), "journal-text"))
    entries.append((_("API tokens"), reverse("api_tokens"), "key"))
    entries.append((_("Security"), reverse("mfa_index"), "shield-lock"))
    if policy.may_use_admin_site(user):
        entries.append((_("Admin site"), reverse("admin:index"), "gear"))
    path = request.path
    home = reverse("home")
    # The active entry is the most specific one whose address starts the current path (/products/manage/ is the
    # catalogue, not the product list), and home only on the home page itself.
    matches = [url for _label, url, _icon in entries if (path == url if url == home else path.startswith(url))]
    active = max(matches, key=len, default=None)
    return [NavItem(str(label), url, icon, url == active) for label, url, icon in entries]
