from flask import Blueprint
from flask_restx import Api, Namespace, Resource

v2 = Blueprint("v2", __name__, url_prefix="/api/v2")
api_v2 = Api(v2)

users = Namespace("users")


@users.route("/")
class UserList(Resource):
    def get(self):  # endpoint: safe GET /api/v2/users/
        return []

    def post(self):  # endpoint: protected POST /api/v2/users/
        return {}, 201


@users.route("/<int:user_id>")
class UserDetail(Resource):
    def patch(self, user_id):  # endpoint: protected PATCH /api/v2/users/<int:user_id>
        return {}


api_v2.add_namespace(users, "/users")
