from flask_login import login_required
from flask_restful import Resource


class StoredResource(Resource):
    method_decorators = [login_required]

    def get(self, item_id):  # endpoint: safe GET /api/jar/<int:item_id>
        return {"id": item_id}
