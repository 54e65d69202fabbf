from fastapi import APIRouter, Request

notes = APIRouter()


@notes.get("")
async def list_notes(request: Request):  # endpoint: safe GET /api/notes
    return request.session.get("notes", [])


@notes.post("/{note_id}/share")
async def share_note(request: Request, note_id: int):  # endpoint: unprotected POST /api/notes/{note_id}/share
    return {"shared": note_id, "by": request.session["user"]}
