from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.set_session_factory(SignedCookieSessionFactory("secret"))
    config.add_route("flag_form", "/flags")
    config.add_route("flag_api", "/api/flags")
    config.add_route("flag_export", "/api/flags/export")
    config.scan(".views")
    return config.make_wsgi_app()
