from django.conf.urls.i18n import i18n_patterns
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from atlas import views
from atlas.decorators import members_only
from atlas.routing import feed_patterns, grouped

urlpatterns = [
    path("health/", members_only(views.health)),
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
