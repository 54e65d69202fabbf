from pyramid.view import view_config, view_defaults

from .schemas import NotesSchema, ProfileSchema, ResetSchema, TeamSchema


@view_defaults(route_name="reset", renderer="string")
class ResetController:
    def __init__(self, request):
        self.request = request
        self.schema = ResetSchema().bind(request=request)

    @view_config(request_method="POST")
    def post(self):  # endpoint: protected POST /account/reset
        self.schema.deserialize(self.request.POST)
        self.request.user.password = self.request.POST["password"]
        return "reset"


@view_config(route_name="profile", request_method="POST", renderer="string")
def edit_profile(request):  # endpoint: protected POST /account/profile
    appstruct = ProfileSchema().bind(request=request).deserialize(request.POST)
    request.user.name = appstruct["name"]
    return "saved"


@view_config(route_name="notes", request_method="POST", renderer="string")
def add_note(request):  # endpoint: unprotected POST /account/notes
    appstruct = NotesSchema().bind(request=request).deserialize(request.POST)
    request.user.notes.append(appstruct["text"])
    return "added"


def create_form(request, schema):
    return {"schema": schema, "request": request}


def handle_submission(request, form, on_success):
    return on_success(form["schema"].deserialize(request.POST))


# The class builds a checking schema for its form, but only the methods that validate the form check the token.
@view_defaults(route_name="team", renderer="string")
class TeamController:
    def __init__(self, request):
        self.request = request
        self.team = request.user.teams[request.matchdict["id"]]

    @property
    def form(self):
        schema = TeamSchema().bind(request=self.request)
        return create_form(self.request, schema)

    @view_config(request_method="POST")
    def update(self):  # endpoint: protected POST /teams/{id}
        return handle_submission(self.request, self.form, self.rename)

    @view_config(request_method="POST", route_name="team.delete")
    def delete(self):  # endpoint: unprotected POST /teams/{id}/delete
        self.request.user.teams.remove(self.team)
        return "deleted"

    def rename(self, appstruct):
        self.team.name = appstruct["name"]
        return "renamed"
