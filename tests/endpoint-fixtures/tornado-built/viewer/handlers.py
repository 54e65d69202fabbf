import importlib

import tornado.web


def load_handler(location):
    module_name, _, name = location.rpartition(".")
    return getattr(importlib.import_module(module_name), name)


class IndexHandler(tornado.web.RequestHandler):  # endpoint: safe GET -
    def get(self):
        self.write("index")


class CreateHandler(tornado.web.RequestHandler):  # endpoint: protected GET,POST -
    def get(self):
        self.write("form")

    def post(self):
        self.redirect("/")


def init_handlers(base_url, names):
    index = load_handler(names["index"])
    create = load_handler(names["create"])
    routes = [("/", index), ("/create", create)]
    return [(base_url + pattern, handler) for pattern, handler in routes]
