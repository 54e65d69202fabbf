from django.urls import include, re_path

urlpatterns = [
    re_path(r"^", include("relay.pages")),
    re_path(r"^api/v2/", include("relay.api.urls")),
    re_path(r"^feeds/$", include("relay.feeds")),
]
