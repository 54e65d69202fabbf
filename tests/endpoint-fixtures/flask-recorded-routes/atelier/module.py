import flask

ROUTES_ATTRIBUTE = "_atelier_routes"


class AtelierModule(flask.Blueprint):
    """A section of the site as a class: its methods say where they are served, the class adds them."""

    def __init__(self, name, import_name, url_prefix=None):
        super().__init__(name, import_name, url_prefix=url_prefix)
        for attribute in dir(self):
            method = getattr(self, attribute)
            for args, kwargs in getattr(method, "_atelier_routes", []):
                self.route(*args, **kwargs)(method)


def serve(*args, **kwargs):
    def record(method):
        recorded = getattr(method, "_atelier_routes", [])
        recorded.append((args, kwargs))
        setattr(method, "_atelier_routes", recorded)
        return method

    return record


def cached(key):
    def remember(method):
        setattr(method, "_cache_key", key)
        return method

    return remember
