from pyramid.view import view_config, view_defaults


@view_defaults(route_name="flag_form", renderer="json")
class FlagFormViews:
    def __init__(self, request):
        self.request = request

    @view_config(request_method="GET")
    def show(self):  # endpoint: safe GET /flags
        return {"user": self.request.session.get("user")}

    @view_config(request_method="POST")
    def save(self):  # endpoint: unprotected POST /flags
        return {"user": self.request.session.get("user")}


@view_defaults(route_name="flag_api", request_method="POST", require_csrf=True, renderer="json")
class FlagApiViews:
    def __init__(self, request):
        self.request = request

    @view_config()
    def create(self):  # endpoint: protected POST /api/flags
        return {"user": self.request.session.get("user")}

    @view_config(route_name="flag_export", request_method="GET")
    def export(self):  # endpoint: safe GET /api/flags/export
        return {"user": self.request.session.get("user")}
