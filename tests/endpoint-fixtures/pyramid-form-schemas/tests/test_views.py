from pyramid import testing

from accounts.views import ResetController


def test_reset_under_a_short_path():
    config = testing.setUp()
    config.add_route("reset", "/reset")
    request = testing.DummyRequest(post={"password": "new"})
    ResetController(request).post()
    testing.tearDown()
