from functools import wraps

from flask import Blueprint, abort, request
from flask_httpauth import HTTPBasicAuth, HTTPTokenAuth

api = Blueprint("api", __name__)
basic_auth = HTTPBasicAuth()
token_auth = HTTPTokenAuth(scheme="Bearer")


def api_key_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("Authorization") != "Bearer secret":
            abort(401)
        return view(*args, **kwargs)

    return wrapper


@api.route("/secrets", methods=["POST"])
@basic_auth.login_required
def add_secret():  # endpoint: protected POST /secrets
    return "added"


@api.route("/tokens", methods=["POST"])
@token_auth.login_required
def add_token():  # endpoint: protected POST /tokens
    return "added"


@api.route("/keys", methods=["POST"])
@api_key_required
def add_key():  # endpoint: protected POST /keys
    return "added"


class User:
    def __init__(self, name):
        self.name = name


@api.route("/users", methods=["POST"])
def add_user():  # endpoint: protected POST /users
    user = User(request.get_json()["name"])
    return {"name": user.name}


def known_agent():
    return request.cookies.get("agent") in {"a1", "a2"}


# An agent's API: the agent is known by a cookie of its own, not by the session.
@api.route("/agents/status", methods=["POST"])
def report_status():  # endpoint: protected POST /agents/status
    if not known_agent():
        abort(403)
    return {"status": request.get_json()["status"]}
