"""Fetching a right holder's catalogue through the access policy, for the pages that work on one (the authoring
pages, the records pages, the resolver-link pages): one definition, so they cannot drift apart."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ipm.access import policy


def readable_holder(request, pk):
    """The right holder whose catalogue the user may read, else 404 (its existence is not revealed)."""
    return get_object_or_404(policy.readable_catalogues(request.user), pk=pk)


def authored_holder(request, pk):
    """The right holder whose catalogue the user may write: 404 when it is not readable, 403 when read-only."""
    holder = readable_holder(request, pk)
    if not policy.may_author_catalogue(request.user, holder):
        raise PermissionDenied
    return holder
