from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.set_session_factory(SignedCookieSessionFactory("secret"))
    config.add_route("home", "/")
    config.add_route("edit", "/pages/{name}/edit")
    config.add_route("hook", "/hook")
    config.add_route("api", "/api/pages")
    config.scan(".views")
    config.add_view("wiki.views.pages_api", route_name="api", request_method=("POST", "PUT"))
    return config.make_wsgi_app()
