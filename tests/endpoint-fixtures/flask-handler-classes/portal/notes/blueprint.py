from portal.notes import api, controllers, manage
from portal.wrappers import PortalBlueprint

_bp = PortalBlueprint("notes", __name__, url_prefix="/notes")

_bp.add_url_rule("/", "list", controllers.RHNoteList)
_bp.add_url_rule("/create", "create", controllers.RHNoteCreate, methods=("GET", "POST"))
_bp.add_url_rule("/<int:note_id>/delete", "delete", manage.RHNoteDelete, methods=("POST",))
_bp.add_url_rule("/count", "count", controllers.note_count)
_bp.add_url_rule("/import", "import", controllers.RHNoteImport, methods=("POST",))
_bp.add_url_rule("/api/<path:path>", "api", api.api_call, methods=("GET", "POST"))
_bp.add_url_rule("/api-ping", "api_ping", api.api_ping, methods=("POST",))
