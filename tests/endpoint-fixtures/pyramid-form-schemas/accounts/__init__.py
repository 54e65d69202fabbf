from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.set_session_factory(SignedCookieSessionFactory("secret"))
    config.add_route("reset", "/account/reset")
    config.add_route("profile", "/account/profile")
    config.add_route("notes", "/account/notes")
    config.add_route("team", "/teams/{id}")
    config.add_route("team.delete", "/teams/{id}/delete")
    config.scan(".views")
    return config.make_wsgi_app()
