from ninja import NinjaAPI
from ninja.security import django_auth

internal = NinjaAPI(urls_namespace="internal", auth=django_auth)


@internal.post("/reindex")
def reindex(request):  # endpoint: protected POST
    return {"queued": True}
