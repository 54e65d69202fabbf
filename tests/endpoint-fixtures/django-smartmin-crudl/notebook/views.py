from django.views.decorators.csrf import csrf_exempt
from smartmin.views import SmartCreateView, SmartCRUDL, SmartFormView, SmartListView, SmartModelActionView, SmartTemplateView, SmartUpdateView

from notebook.models import Note, Tag


class NoteCRUDL(SmartCRUDL):  # endpoint: safe GET ^note/read/(?P<pk>\d+)/$
    model = Note
    actions = ("create", "read", "list", "archive", "import")

    class Create(SmartCreateView):  # endpoint: protected GET,POST ^note/create/$
        fields = ("text",)

    class List(SmartListView):  # endpoint: safe GET ^note/$
        paginate_by = 20

    class Archive(SmartModelActionView):  # endpoint: protected GET,POST ^note/archive/(?P<uuid>[^/]+)/$
        slug_url_kwarg = "uuid"

    class Import(SmartFormView):  # endpoint: exempt GET,POST ^note/import/$
        @csrf_exempt
        def dispatch(self, *args, **kwargs):
            return super().dispatch(*args, **kwargs)


class TagCRUDL(SmartCRUDL):
    model = Tag
    path = "labels"
    actions = ("update", "summary")

    class Update(SmartUpdateView):  # endpoint: protected GET,POST ^tags/labels/update/(?P<slug>[a-z]+)/$
        @classmethod
        def derive_url_pattern(cls, path, action):
            return r"^%s/%s/(?P<slug>[a-z]+)/$" % (path, action)

    class Summary(SmartTemplateView):  # endpoint: safe GET ^tags/labels/summary/$
        template_name = "tags/summary.html"


class ShelfCRUDL(SmartCRUDL):  # endpoint: safe GET ^shelf/$
    model = Note
    model_name = "Shelf"
    actions = ("list",)
