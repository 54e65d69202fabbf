from flask import request, session
from werkzeug.exceptions import BadRequest


def api_call(path):  # endpoint: protected GET,POST /notes/api/<path:path>
    token = request.headers.get("X-CSRF-Token")
    if request.method == "POST" and token != session.get("csrf_token"):
        raise BadRequest("bad token")
    return path


def api_ping():  # endpoint: unprotected POST /notes/api-ping
    session["pinged"] = True
    return "pong"
