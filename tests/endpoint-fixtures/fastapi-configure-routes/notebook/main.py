import os

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from notebook.configure import configure_routes

if os.environ.get("NOTEBOOK_DEBUG"):
    app = FastAPI(debug=True)
else:
    app = FastAPI(docs_url=None)

app.add_middleware(SessionMiddleware, secret_key=os.environ["NOTEBOOK_SECRET"])

configure_routes(app)
