from flask import request, session

from portal.handler import RH, RHProtected


class RHNoteList(RHProtected):  # endpoint: safe GET /notes/
    def _process(self):
        return "notes"


class RHNoteCreate(RHProtected):  # endpoint: protected GET,POST /notes/create
    def _process_GET(self):
        return "form"

    def _process_POST(self):
        session["last_note"] = request.form["text"]
        return "created"


def note_count():  # endpoint: safe GET /notes/count
    return "3"


class RHNoteImport(RH):  # endpoint: exempt POST /notes/import
    CSRF_ENABLED = False

    def _process(self):
        return "imported"
