def test_home_page_for_anonymous_offers_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b"/accounts/login/" in response.content


def test_every_world_user_sees_their_home(world, client_for):
    for key, user in world.users.items():
        response = client_for(user).get("/")
        assert response.status_code == 200, key
        assert user.organisation.name.encode() in response.content, key
