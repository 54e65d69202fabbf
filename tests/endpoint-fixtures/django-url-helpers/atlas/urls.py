from django.conf.urls.i18n import i18n_patterns
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from atlas import views
from atlas.decorators import members_only
from atlas.routing import api_url, feed_patterns, grouped, plain_url

urlpatterns = [
    path("health/", members_only(views.health)),
    api_url(r"^maps/(?P<pk>\d+)/pin/$", views.pin_map, name="pin-map"),
    plain_url(r"^maps/(?P<pk>\d+)/star/$", views.star_map, name="star-map"),
]

localized = [
    path("welcome/", views.landing),
]
localized += grouped([members_only], path("maps/<int:pk>/rename/", views.RenameMap.as_view()))
editing = [
    path("maps/<int:pk>/save/", views.save_map),
    path("maps/<int:pk>/hook/", csrf_exempt(views.import_hook)),
]
localized += grouped([members_only], *editing)
localized.append(path("maps/<int:pk>/share/", views.share))

urlpatterns += i18n_patterns(*localized)
urlpatterns += feed_patterns()
