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
