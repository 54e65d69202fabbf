from flask import Blueprint


def make_view_func(handler_class):
    def view(**kwargs):
        return handler_class().process()

    view.__name__ = handler_class.__name__
    return view


class PortalBlueprint(Blueprint):
    """Takes handler classes as views: each request makes an instance and calls its `process()`."""

    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
        if view_func is not None:
            view_func = make_view_func(view_func)
        super().add_url_rule(rule, endpoint, view_func, **options)
