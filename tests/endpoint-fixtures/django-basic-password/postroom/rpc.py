import base64

from django.contrib.auth import authenticate


class RemoteCalls:
    """Answers remote procedure calls; the callers log in with HTTP Basic on each call."""

    def handle(self, request):
        user = self._caller(request)
        return self._run(user, request.body)

    def _caller(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            raise PermissionError("no password given")
        username, password = base64.b64decode(header[len("Basic "):]).decode().split(":", 1)
        return authenticate(username=username, password=password)

    def _run(self, user, body):
        return b"done for " + user.username.encode()


remote_calls = RemoteCalls()


def form_password_user(request):
    return authenticate(username=request.POST["username"], password=request.POST["password"])
