from litestar import Controller, Litestar, Router, get, post, route
from litestar.config.csrf import CSRFConfig
from litestar.middleware.session.client_side import CookieBackendConfig


@get("/health")
async def health() -> str:  # endpoint: safe GET /health
    return "ok"


@post("/webhooks/stripe", exclude_from_csrf=True)
async def stripe_hook() -> None:  # endpoint: exempt POST /webhooks/stripe
    return None


class Orders(Controller):
    path = "/orders"

    @post()
    async def place(self) -> None:  # endpoint: protected POST /orders
        return None

    @route("/{order_id:int}", http_method=["GET", "DELETE"])
    async def manage(self, order_id: int) -> None:  # endpoint: protected GET,DELETE /orders/{order_id:int}
        return None


@post("/items")
async def add_item() -> None:  # endpoint: protected POST /api/items
    return None


api = Router(path="/api", route_handlers=[add_item])

sessions = CookieBackendConfig(secret=b"0" * 16)
app = Litestar(
    route_handlers=[health, stripe_hook, Orders, api],
    middleware=[sessions.middleware],
    csrf_config=CSRFConfig(secret="secret"),
)
