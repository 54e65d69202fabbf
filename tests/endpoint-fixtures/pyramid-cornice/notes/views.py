from cornice import Service
from cornice.resource import resource
from kinto.core import resource as kinto_resource

from notes.schemas import NoteSchema

NOTE_PATH = "/notes/{id}"

notes = Service(name="notes", path="/notes", description="Notes")
note = Service(name="note", path=NOTE_PATH)


@notes.get()
def list_notes(request):  # endpoint: safe GET /notes
    return {"notes": []}


@notes.post(require_csrf=True)
def create_note(request):  # endpoint: protected POST /notes
    return {"id": request.session["user"]}


@note.put(schema=NoteSchema())
def edit_note(request):  # endpoint: protected PUT /notes/{id}
    return {"saved": request.validated["text"]}


def delete_note(request):  # endpoint: unprotected DELETE /notes/{id}
    return {"deleted": request.matchdict["id"], "by": request.session["user"]}


note.add_view("DELETE", delete_note)


@resource(collection_path="/tags", path="/tags/{id}")
class Tag:
    def __init__(self, request, context=None):
        self.request = request

    def collection_get(self):  # endpoint: safe GET /tags
        return {"tags": []}

    def collection_post(self):  # endpoint: unprotected POST /tags
        return {"created": True}

    def put(self):  # endpoint: unprotected PUT /tags/{id}
        return {"saved": self.request.matchdict["id"]}


BOARDS_PATH = "/boards"


@kinto_resource.register(name="board", plural_path=BOARDS_PATH + "/{{id}}/cards", object_path=None)
class Card(kinto_resource.Resource):  # endpoint: unprotected GET,HEAD,POST,DELETE /boards/{id}/cards
    pass
