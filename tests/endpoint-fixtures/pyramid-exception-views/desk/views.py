from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config, view_config


@view_config(route_name="tickets", request_method="POST", renderer="json")
def open_ticket(request):  # endpoint: protected POST /tickets
    return {"user": request.session.get("user")}


def close_ticket(request):  # endpoint: protected DELETE /tickets
    return {"user": request.session.get("user")}


@view_config(context=HTTPNotFound, renderer="json")
def not_found_view(exc, request):
    request.response.status = 404
    return {"user": request.session.get("user")}


@view_config(context=BadCSRFToken, renderer="json")
def csrf_failed_view(exc, request):
    request.response.status = 403
    return {}


@exception_view_config(ValueError, renderer="json")
def value_error_view(exc, request):
    return {}


@notfound_view_config(renderer="json")
def missing_view(request):
    return {}


@forbidden_view_config(renderer="json")
def forbidden_view(request):
    return {}


def bad_payload_view(exc, request):
    return {"error": str(exc)}


def invalid_view(exc, request):
    return exc.asdict()


def crash_view(exc, request):
    return {"user": request.session.get("user")}
