from flask import Blueprint, session
from flask.views import MethodView

from depot.api import configure_api_from_blueprint


class StockResource(MethodView):
    def get(self):  # endpoint: safe GET /stock
        return session["user"]

    def post(self):  # endpoint: unprotected POST /stock
        return session["user"]


class StockItemResource(MethodView):
    def delete(self, item_id):  # endpoint: unprotected DELETE /stock/<item_id>
        return session["user"]


routes = [
    ("/stock", StockResource),
    ("/stock/<item_id>", StockItemResource),
]

blueprint = Blueprint("stock", __name__)
configure_api_from_blueprint(blueprint, routes)
