from django.apps import apps
from django.urls import include, re_path
from django.utils.functional import LazyObject
from django.utils.module_loading import import_string


class PageSite:
    """Builds the app's URLs; a project may subclass it to swap a view."""

    def __init__(self, name="pages"):
        from pages import views

        self.name = name
        self.home_view = getattr(self, "home_view", views.HomeView.as_view())
        self.page_view = getattr(self, "page_view", views.PageView.as_view())
        self.edit_view = views.EditView.as_view()

    @property
    def urls(self):
        return self.get_urls(), "pages", self.name

    def get_urls(self):
        urlpatterns = self.get_root_urls()
        urlpatterns += self.get_page_urls()
        return urlpatterns

    def get_root_urls(self):
        return [re_path(r"^$", self.home_view, name="home")]

    def get_page_urls(self):
        by_id = [re_path(r"^edit/$", self.edit_view, name="edit")]
        return [
            re_path(r"^(?P<page_id>[0-9]+)/", include(by_id)),
            re_path(r"^(?P<slug>[a-z-]+)/$", self.page_view, name="page"),
        ]


class DefaultPageSite(LazyObject):
    def _setup(self):
        site_class = import_string(apps.get_app_config("pages").default_site)
        self._wrapped = site_class()


site = DefaultPageSite()
