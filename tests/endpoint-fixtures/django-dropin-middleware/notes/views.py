from django.http import HttpResponse
from django.views.decorators.http import require_GET, require_POST


@require_POST
def archive_note(request, pk):  # endpoint: unknown POST notes/<int:pk>/archive/
    request.user.notes.filter(pk=pk).update(archived=True)
    return HttpResponse("archived")


@require_GET
def list_notes(request):  # endpoint: safe GET notes/
    return HttpResponse(", ".join(note.title for note in request.user.notes.all()))
