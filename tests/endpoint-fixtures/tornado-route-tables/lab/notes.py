import tornado.web

note_id = r"(?P<note_id>\w+)"


class NotesHandler(tornado.web.RequestHandler):  # endpoint: protected GET,POST /api/notes
    def get(self):
        self.write("notes")

    def post(self):
        self.write("added")


class NoteHandler(tornado.web.RequestHandler):  # endpoint: protected GET,DELETE /api/notes/(?P<note_id>\w+) ; protected GET,DELETE /api/n/(?P<note_id>\w+)
    def get(self, note_id):
        self.write(note_id)

    def delete(self, note_id):
        self.write("deleted")


class CopyHandler(tornado.web.RequestHandler):  # endpoint: protected POST /api/notes/(?P<note_id>\w+)/copy
    def post(self, note_id):
        self.write("copied")


class DraftHandler(tornado.web.RequestHandler):  # endpoint: protected POST -
    def post(self):
        self.write("drafted")


default_handlers = [
    (r"/api/notes", NotesHandler),
    (r"/api/notes/%s" % note_id, NoteHandler),
    (r"/api/n/%s" % (note_id,), NoteHandler),
    (rf"/api/notes/{note_id}/copy", CopyHandler),
]
