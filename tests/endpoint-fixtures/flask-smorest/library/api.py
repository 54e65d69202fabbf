from flask import session
from flask.views import MethodView
from flask_smorest import Blueprint

blp = Blueprint("api", __name__, url_prefix="/api")


def register_resource(resource, url, name):
    """Every method is listed so that an unanswered one is a 405, not a 404; the view class is the view."""
    blp.add_url_rule(url, endpoint=name, view_func=resource, methods=["GET", "POST", "DELETE"])


class LoanResource(MethodView):
    def get(self):  # endpoint: safe GET /api/loans
        return {"loans": session.get("loans", [])}

    def post(self):  # endpoint: protected POST /api/loans
        return {"created": True}


class ReturnResource(MethodView):
    def delete(self, loan_id):  # endpoint: protected DELETE /api/loans/<int:loan_id>
        return {"returned": loan_id}


register_resource(LoanResource, "/loans", "loans")
register_resource(ReturnResource, "/loans/<int:loan_id>", "loan")


@blp.route("/ping")
def ping():  # endpoint: safe GET /api/ping
    return {"ok": True}
