from pyramid.view import view_config


@view_config(route_name="home", request_method="GET", renderer="string")
def home(request):  # endpoint: safe GET /
    return "home"


@view_config(route_name="edit", request_method="POST", require_csrf=True, renderer="string")
def edit_page(request):  # endpoint: protected POST /pages/{name}/edit
    return "saved"


@view_config(route_name="hook", renderer="string")
def hook(request):  # endpoint: unprotected ANY /hook
    return request.session.get("user", "")


def pages_api(request):  # endpoint: unprotected POST,PUT /api/pages
    return request.session.get("user", "")
