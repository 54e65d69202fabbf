from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route
from starlette_csrf import CSRFMiddleware


async def rotate(request):  # endpoint: protected POST /keys/rotate
    return None


async def status(request):  # endpoint: safe GET /status
    return None


internal = Starlette(
    routes=[Mount("/keys", routes=[Route("/rotate", rotate, methods=["POST"])]), Route("/status", status)],
    middleware=[Middleware(SessionMiddleware, secret_key="s"), Middleware(CSRFMiddleware, secret="s")],
)
