from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    default_site = "pages.sites.PageSite"
