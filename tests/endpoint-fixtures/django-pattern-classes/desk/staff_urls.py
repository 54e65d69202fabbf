from desk import views
from desk.patterns import staff_url


def get_urls():
    urls = []
    urls.extend(
        [
            staff_url(r"^$", views.dashboard, name="dashboard"),
            staff_url(r"^tickets/(?P<pk>\d+)/archive/$", views.archive_ticket, name="archive", permissions=("tickets",)),
            staff_url(r"^set-language/$", views.set_language, name="set-language"),
        ]
    )
    return tuple(urls)


urlpatterns = get_urls()
