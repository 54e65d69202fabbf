import aiohttp_csrf
import aiohttp_session
from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/notes")
async def list_notes(request):  # endpoint: safe GET /notes
    return web.Response(text="notes")


@routes.post("/notes")
async def save_note(request):  # endpoint: unprotected POST /notes
    return web.Response(text="saved")


@aiohttp_csrf.csrf_protect
async def delete_note(request):  # endpoint: protected DELETE /notes/{id}
    return web.Response(text="deleted")


class Profile(web.View):  # endpoint: unprotected GET,POST /profile
    async def get(self):
        return web.Response(text="profile")

    async def post(self):
        return web.Response(text="saved")


def make_app():
    app = web.Application()
    aiohttp_session.setup(app, aiohttp_session.SimpleCookieStorage())
    app.add_routes(routes)
    app.router.add_delete("/notes/{id}", delete_note)
    app.router.add_view("/profile", Profile)
    return app
