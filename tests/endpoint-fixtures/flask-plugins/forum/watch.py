from flask_restx import Api, Resource

from forum.extensions import csrf


class WatchList(Resource):
    def get(self):  # endpoint: safe GET /api/watch
        return []

    def post(self):  # endpoint: exempt POST /api/watch
        return {}, 201


def add_watch_api(app):
    # Clients of this API send a key, not a cookie: its views are exempt from CSRFProtect.
    watch_api = Api(app, decorators=[csrf.exempt])
    watch_api.add_resource(WatchList, "/api/watch")
    return watch_api
