import aiohttp_session
from aiohttp import web

from red.app import make_app
from red.service import AppService


def main(services):
    app_svc = AppService(application=web.Application())
    aiohttp_session.setup(app_svc.application, aiohttp_session.SimpleCookieStorage())
    app_svc.register_subapp("/api/v2", make_app(services))
    return app_svc.application
