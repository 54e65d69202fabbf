from flask import current_app
from flask_restful import Api, Resource


class ShelfAPI(Resource):
    def get(self, shelf_id):  # endpoint: safe GET /shelves/<int:shelf_id>
        return {"id": shelf_id}

    def put(self, shelf_id):  # endpoint: protected PUT /shelves/<int:shelf_id>
        return {"id": shelf_id}


api = Api(current_app, prefix="/shelves")
api.add_resource(ShelfAPI, "/<int:shelf_id>")
