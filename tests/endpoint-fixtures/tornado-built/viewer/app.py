import tornado.web

from viewer.handlers import init_handlers

NAMES = {"index": "viewer.handlers.IndexHandler", "create": "viewer.handlers.CreateHandler"}


def make_app(base_url):
    handlers = init_handlers(base_url, NAMES)
    return tornado.web.Application(handlers, cookie_secret="secret", xsrf_cookies=True)
