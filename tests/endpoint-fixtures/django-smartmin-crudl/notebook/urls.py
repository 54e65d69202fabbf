from django.urls import include, re_path

from notebook.views import NoteCRUDL, ShelfCRUDL, TagCRUDL

urlpatterns = NoteCRUDL().as_urlpatterns()
urlpatterns += ShelfCRUDL().as_urlpatterns()
urlpatterns += [re_path(r"^tags/", include(TagCRUDL().as_urlpatterns()))]
