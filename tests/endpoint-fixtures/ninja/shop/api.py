from ninja import NinjaAPI
from ninja.security import django_auth

from shop.orders import router as orders_router

api = NinjaAPI(auth=django_auth)
api.add_router("/orders", orders_router)
api.add_router("/tokens", "shop.tokens.router")

legacy = NinjaAPI(csrf=True, urls_namespace="legacy")


@api.get("/status", auth=None)
def status(request):  # endpoint: safe GET api/status
    return {"ok": True}


@api.post("/cart")
def add_to_cart(request, item: int):  # endpoint: protected POST api/cart
    request.session["cart"] = item
    return {"added": item}


@legacy.post("/ping")
def ping(request):  # endpoint: protected POST legacy/ping
    return {"pong": True}
