from flask import Blueprint
from flask_restful import Api, Resource

items = Blueprint("items", __name__)


class OrgApi(Api):
    def add_org_resource(self, resource, *urls, **kwargs):
        return self.add_resource(resource, *urls, **kwargs)


api = OrgApi(items, prefix="/api")


class ItemList(Resource):
    def get(self):  # endpoint: safe GET /v1/api/items
        return []

    def post(self):  # endpoint: protected POST /v1/api/items
        return {}, 201


class Item(Resource):
    def put(self, item_id):  # endpoint: protected PUT /v1/api/items/<int:item_id>
        return {}

    def delete(self, item_id):  # endpoint: protected DELETE /v1/api/items/<int:item_id>
        return "", 204


api.add_org_resource(ItemList, "/items")
api.add_org_resource(Item, "/items/<int:item_id>", endpoint="item")

BLUEPRINTS = (items,)
