from ninja import NinjaAPI
from ninja.security import django_auth

# Mounted by the sites that install shop; in this repository only the tests' URL conf mounts it.
reports = NinjaAPI(urls_namespace="reports", auth=django_auth)


@reports.post("/rebuild")
def rebuild_report(request):  # endpoint: protected POST
    return {"queued": True}
