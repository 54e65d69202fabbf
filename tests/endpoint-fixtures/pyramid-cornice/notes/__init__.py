from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.set_session_factory(SignedCookieSessionFactory("secret"))
    config.include("cornice")
    config.scan("notes.views")
    return config.make_wsgi_app()
