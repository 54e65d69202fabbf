import colander
from pyramid.threadlocal import get_current_request


def validate_csrf_token(node, value):
    if value != get_current_request().session.get_csrf_token():
        raise colander.Invalid(node, "CSRF token did not match")


class NoteSchema(colander.MappingSchema):
    csrf_token = colander.SchemaNode(colander.String(), validator=validate_csrf_token)
    text = colander.SchemaNode(colander.String())
