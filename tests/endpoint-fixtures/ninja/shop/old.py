from ninja import NinjaAPI
from ninja.security import django_auth

# `csrf=False` turned the check off before Django Ninja 1.0; since then `django_auth` checks CSRF itself.
old = NinjaAPI(csrf=False, auth=django_auth, urls_namespace="old")


@old.post("/ping")
def old_ping(request):  # endpoint: protected POST old/ping
    return {"pong": True}
