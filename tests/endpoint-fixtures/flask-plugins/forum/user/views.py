from flask import Blueprint, request
from flask.views import MethodView
from pluggy import HookimplMarker

from forum.extensions import csrf
from forum.helpers import register_view

impl = HookimplMarker("forum")


class ChangeEmail(MethodView):
    def get(self):  # endpoint: safe GET /user/settings/email
        return "form"

    def post(self):  # endpoint: protected POST /user/settings/email
        return "changed"


class UserProfile(MethodView):
    def get(self, username):  # endpoint: safe GET {app.config["USER_URL_PREFIX"]}/<username>
        return username


def mark_read():  # endpoint: protected POST /user/read
    return "ok"


def hook_delivery():  # endpoint: exempt POST /hooks/deliver
    return request.get_data()


@impl(tryfirst=True)
def forum_load_blueprints(app):
    user = Blueprint("user", __name__)
    register_view(user, routes=["/settings/email"], view_func=ChangeEmail.as_view("change_email"))
    register_view(user, routes=["/read"], view_func=mark_read, methods=["POST"])
    app.register_blueprint(user, url_prefix="/user")

    profile = Blueprint("profile", __name__)
    register_view(profile, routes=["/<username>"], view_func=UserProfile.as_view("profile"))
    app.register_blueprint(profile, url_prefix=app.config["USER_URL_PREFIX"])

    hooks = Blueprint("hooks", __name__, url_prefix="/hooks")
    register_view(hooks, routes=["/deliver"], view_func=hook_delivery, methods=["POST"])
    csrf.exempt(hooks)
    app.register_blueprint(hooks)
