from flask_restx import Resource

from greenhouse.api import api

ns_valve = api.namespace("valves", path="/irrigation/valves")


@ns_valve.route("/<int:valve_id>")
class Valve(Resource):
    def get(self, valve_id):  # endpoint: safe GET /api/irrigation/valves/<int:valve_id>
        return {"id": valve_id}

    def put(self, valve_id):  # endpoint: protected PUT /api/irrigation/valves/<int:valve_id>
        return {"id": valve_id, "open": True}

    def delete(self, valve_id):  # endpoint: protected DELETE /api/irrigation/valves/<int:valve_id>
        return None, 204
