import aiohttp_csrf
import aiohttp_session
from aiohttp import web

from board.admin import create_admin

posts = web.RouteTableDef()


@posts.get("/")
async def list_posts(request):  # endpoint: safe GET /posts/
    return web.Response(text="posts")


@posts.post("/{post_id}/like")
async def like_post(request):  # endpoint: protected POST /posts/{post_id}/like
    return web.Response(text="liked")


async def home(request):  # endpoint: safe GET /
    return web.Response(text="home")


def make_app():
    policy = aiohttp_csrf.policy.FormPolicy("_csrf_token")
    storage = aiohttp_csrf.storage.SessionStorage("csrf")
    app = web.Application(middlewares=[aiohttp_csrf.csrf_middleware])
    aiohttp_session.setup(app, aiohttp_session.SimpleCookieStorage())
    aiohttp_csrf.setup(app, policy=policy, storage=storage)
    app.router.add_get("/", home)
    posts_app = web.Application(middlewares=[aiohttp_csrf.csrf_middleware])
    posts_app.add_routes(posts)
    app.add_subapp("/posts/", posts_app)
    app.add_subapp("/admin", create_admin())
    return app
