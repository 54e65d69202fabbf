import tornado.web

SERVICES = ["lab.notes", "lab.reports"]


def load_handlers(name):
    module = __import__(name, fromlist=["default_handlers"])
    return module.default_handlers


def collect_handlers():
    handlers = []
    for name in SERVICES:
        handlers.extend(load_handlers(name))
    return handlers


def make_app():
    return tornado.web.Application(collect_handlers(), cookie_secret="secret", xsrf_cookies=True)
