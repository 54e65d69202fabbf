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


class LabApplication(tornado.web.Application):
    def __init__(self, settings_overrides):
        settings = self.init_settings(settings_overrides)
        super().__init__(collect_handlers(), **settings)

    def init_settings(self, settings_overrides):
        settings = {"cookie_secret": "secret", "xsrf_cookies": True}
        settings.update(settings_overrides)
        return settings
