from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from clinic.models import Visit


@require_GET
@login_required
def cancel_visit(request, pk):  # endpoint: writes-on-get GET visits/<int:pk>/cancel/
    Visit.objects.filter(pk=pk).delete()
    return redirect("/visits/")


# A page that marks the visit seen as it shows it.
class VisitView(TemplateView):  # endpoint: writes-on-get GET visits/<int:pk>/
    template_name = "visit.html"

    def get(self, request, pk):
        visit = Visit.objects.get(pk=pk)
        visit.note = visit.note + " (seen)"
        visit.save()
        return render(request, self.template_name, {"visit": visit})


@require_GET
@login_required
def visits(request):  # endpoint: safe GET visits/
    return HttpResponse(", ".join(visit.note for visit in Visit.objects.all()))
