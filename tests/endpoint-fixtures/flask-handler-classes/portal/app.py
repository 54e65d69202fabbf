from flask import Flask

from portal.discovery import discover_blueprints


class PortalFlask(Flask):
    pass


def make_app():
    app = PortalFlask("portal")
    app.secret_key = "change me"
    # Blueprints are found by walking the package: the scan cannot name them here.
    for blueprint in discover_blueprints():
        app.register_blueprint(blueprint)
    return app
