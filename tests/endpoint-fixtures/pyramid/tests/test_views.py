from pyramid import testing


def test_edit_checks_the_token():
    config = testing.setUp()
    config.set_default_csrf_options(require_csrf=True)
    config.include("wiki")
    testing.tearDown()
