from aiohttp import web


async def purge(request):  # endpoint: protected POST /admin/purge
    return web.Response(text="purged")


def create_admin():
    admin = web.Application()
    admin.router.add_post("/purge", purge)
    return admin
