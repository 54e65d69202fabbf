from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.set_session_factory(SignedCookieSessionFactory("secret"))
    config.set_default_csrf_options(require_csrf=True)
    config.add_route("tickets", "/tickets")
    config.scan(".views")
    config.add_view("desk.views.bad_payload_view", context="desk.errors.PayloadError", renderer="json")
    config.add_view("desk.views.invalid_view", context="colander.Invalid", renderer="json")
    config.add_view("desk.views.crash_view", context=Exception, renderer="json")
    config.add_view("desk.views.close_ticket", route_name="tickets", request_method="DELETE")
    return config.make_wsgi_app()
