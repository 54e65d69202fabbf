from flask_restx import Resource

from greenhouse.api import api

ns_sensor = api.namespace("sensors", description="Sensor readings")


@ns_sensor.route("/")
class SensorList(Resource):
    def get(self):  # endpoint: safe GET /api/sensors/
        return []


@ns_sensor.route("/<string:sensor_id>/calibrate")
class SensorCalibration(Resource):
    def post(self, sensor_id):  # endpoint: protected POST /api/sensors/<string:sensor_id>/calibrate
        return {"calibrated": sensor_id}
