from django.conf import settings
from django.urls import include, path, re_path

from charts import views

chart_urls = [
    path("render", include("charts.render_urls")),
    re_path(r"^s/(?P<path>.*)", views.shorten),
]

url_prefix = settings.URL_PREFIX.strip("/")
if url_prefix:
    urlpatterns = [re_path(f"^{url_prefix}/", include(chart_urls))]
else:
    urlpatterns = chart_urls
