from flask import request, session
from werkzeug.exceptions import BadRequest


class RH:
    CSRF_ENABLED = True

    def _check_csrf(self):
        token = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token")
        if self.CSRF_ENABLED and request.method != "GET" and token != session.get("csrf_token"):
            raise BadRequest("bad token")

    def process(self):
        self._check_csrf()
        method = getattr(self, "_process_" + request.method, None) or self._process
        return method()

    def _process(self):
        raise NotImplementedError


class RHProtected(RH):
    def _check_access(self):
        if "user_id" not in session:
            raise BadRequest("log in")
