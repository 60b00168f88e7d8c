"""The resolver is on a fast path: a fixed, small number of queries per request, whatever the number of links."""

import pytest

from ipm.resolver.models import ResolverLink
from tests.resolver.conftest import PUBLIC, gtin14

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["", "linkType=linkset", "linkType=gs1:pip"])
def test_queries_do_not_grow_with_links(rw, django_assert_max_num_queries, query, client):
    url = f"/01/{gtin14(PUBLIC)}/10/LOT1/21/S1?{query}"
    with django_assert_max_num_queries(4) as visitor:
        assert client.get(url).status_code in {200, 307}
    for number in range(30):
        ResolverLink.objects.create(
            right_holder=rw.orgs["brand"],
            product=rw.products["public"],
            link_type="faqs",
            target_url=f"https://x.example/{number}",
            title="FAQ",
        )
    with django_assert_max_num_queries(len(visitor.captured_queries)):
        client.get(url)
    officer = rw.client("fr_officer")
    officer.get("/healthz")
    # Six of these are the signed-in request's own (session, user, its organisation, its session record).
    with django_assert_max_num_queries(12):
        assert officer.get(url).status_code in {200, 307}
