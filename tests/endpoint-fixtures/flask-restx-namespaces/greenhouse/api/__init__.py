from flask import Blueprint
from flask_restx import Api

api_blueprint = Blueprint("api", __name__, url_prefix="/api")
api = Api(api_blueprint, version="1.0", title="Greenhouse API")


def register_api(app):
    import greenhouse.api.sensors
    import greenhouse.api.valves

    app.register_blueprint(api_blueprint)
