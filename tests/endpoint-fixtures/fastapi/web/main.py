from fastapi import APIRouter, FastAPI
from starlette.middleware.sessions import SessionMiddleware

from web.accounts import router as accounts

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="secret")
app.include_router(accounts, prefix="/accounts")

items = APIRouter()


@app.get("/")
def home():  # endpoint: safe GET /
    return {}


@app.post("/cart")
def add_to_cart():  # endpoint: unprotected POST /cart
    return {}


@items.api_route("/items/{item_id}", methods=["GET", "DELETE"])
def item(item_id: int):  # endpoint: unprotected GET,DELETE /items/{item_id}
    return {}


app.include_router(items)
