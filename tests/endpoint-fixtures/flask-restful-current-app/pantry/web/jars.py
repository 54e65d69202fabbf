from flask import current_app, request
from flask_restful import Api, Resource

from pantry.bootstrap import csrf
from pantry.web.common import StoredResource


class JarAPI(StoredResource):
    def delete(self, item_id):  # endpoint: exempt DELETE /api/jar/<int:item_id>
        return None, 204


class NewJarAPI(Resource):
    def post(self):  # endpoint: exempt POST /api/jar
        return request.get_json(), 201


api = Api(current_app, prefix="/api", decorators=[csrf.exempt])
api.add_resource(NewJarAPI, "/jar", endpoint="jar_new")
api.add_resource(JarAPI, "/jar/<int:item_id>", endpoint="jar")
