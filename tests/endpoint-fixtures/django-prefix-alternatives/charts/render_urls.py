from django.urls import re_path

from charts import views

urlpatterns = [
    re_path(r"^/?$", views.render_chart),
]
