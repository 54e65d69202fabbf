import colander
from pyramid.csrf import check_csrf_token


class CSRFSchema(colander.Schema):
    csrf_token = colander.SchemaNode(colander.String(), missing=None)

    def validator(self, node, value):
        check_csrf_token(node.bindings["request"])


class ResetSchema(CSRFSchema):
    password = colander.SchemaNode(colander.String())


class ProfileSchema(CSRFSchema):
    name = colander.SchemaNode(colander.String())


class NotesSchema(colander.Schema):
    text = colander.SchemaNode(colander.String())


class TeamSchema(CSRFSchema):
    name = colander.SchemaNode(colander.String())
