from flask import request, session

from atelier.module import AtelierModule, cached, serve


class StudioModule(AtelierModule):
    def __init__(self, store):
        super().__init__("studio", __name__, url_prefix="/studio")
        self.store = store

    @serve("/", methods=["GET"])
    def show(self):  # endpoint: safe GET /studio/
        return "studio"

    @serve("/paint", methods=["POST"])
    @cached("paint")
    def paint(self):  # endpoint: protected POST /studio/paint
        session["colour"] = request.form["colour"]
        return "painted"

    @serve("/canvas/<int:canvas_id>", methods=["DELETE"])
    def drop_canvas(self, canvas_id):  # endpoint: protected DELETE /studio/canvas/<int:canvas_id>
        self.store.pop(canvas_id)
        return "dropped"

    @cached("palette")
    def palette(self):
        return ["red"]


class LobbyPages(AtelierModule):
    def __init__(self):
        super().__init__("lobby", __name__)

    @serve("/welcome")
    def welcome(self):  # endpoint: safe GET /welcome
        return "welcome"

    @serve("/sign", methods=["POST"])
    def sign_guestbook(self):  # endpoint: protected POST /sign
        session["signed"] = True
        return "signed"
