from portal.handler import RHProtected


class RHNoteDelete(RHProtected):  # endpoint: protected POST /notes/<int:note_id>/delete
    def _process(self):
        return "deleted"
