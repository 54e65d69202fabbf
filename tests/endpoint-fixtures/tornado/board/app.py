import json

import tornado.web


class HomeHandler(tornado.web.RequestHandler):  # endpoint: safe GET /
    def get(self):
        self.write("home")


class PostHandler(tornado.web.RequestHandler):  # endpoint: protected GET,POST /posts
    def get(self):
        self.write("posts")

    def post(self):
        self.write("saved")


class HookHandler(tornado.web.RequestHandler):  # endpoint: exempt POST /hook
    def check_xsrf_cookie(self):
        pass

    def post(self):
        self.write("ok")


class PingHandler(tornado.web.RequestHandler):  # endpoint: unprotected DELETE /ping
    def delete(self):
        self.write("gone")


class RpcHandler(tornado.web.RequestHandler):  # endpoint: protected GET,POST /rpc
    def get(self):
        self.write("result")

    post = get


class StatusHandler(tornado.web.RequestHandler):  # endpoint: safe GET,HEAD /status
    def get(self):
        self.write("up")

    head = get
    put = None


def make_app():
    return tornado.web.Application(
        [
            (r"/", HomeHandler),
            (r"/posts", PostHandler),
            (r"/rpc", RpcHandler),
            (r"/status", StatusHandler),
            tornado.web.url(r"/hook", HookHandler, name="hook"),
        ],
        cookie_secret="secret",
        xsrf_cookies=True,
    )


def make_internal_app():
    return tornado.web.Application([(r"/ping", PingHandler)], cookie_secret="secret")


class CheckedBase(tornado.web.RequestHandler):
    def prepare(self):
        self.check_xsrf_cookie()


class SaveHandler(CheckedBase):  # endpoint: protected POST /save
    def post(self):
        self.write("saved")


class DropHandler(tornado.web.RequestHandler):  # endpoint: unknown POST /drop
    def post(self):
        self.write("dropped")


def load_settings():
    with open("settings.json") as settings:
        return json.load(settings)


def make_admin_app():
    return tornado.web.Application([(r"/save", SaveHandler), (r"/drop", DropHandler)], **load_settings())


class VoteHandler(tornado.web.RequestHandler):  # endpoint: unknown POST /vote
    def post(self):
        self.write("counted")


def make_poll_app(options):
    return tornado.web.Application([(r"/vote", VoteHandler)], cookie_secret="secret", xsrf_cookies=options.check_votes)
