from flask import Flask

from forum.api.views import BLUEPRINTS
from forum.extensions import csrf, login_manager, plugins
from forum.helpers import register_blueprints
from forum.pages import get_blueprints
from forum.watch import add_watch_api


def create_app():
    return build_app("forum", blueprints=BLUEPRINTS)


def build_app(name, blueprints):
    app = Flask(name)
    app.config["USER_URL_PREFIX"] = "/user"
    csrf.init_app(app)
    login_manager.init_app(app)
    plugins.hook.forum_load_blueprints(app=app)
    register_blueprints(app, blueprints)
    for blueprint in get_blueprints():
        app.register_blueprint(blueprint)
    add_watch_api(app)
    return app
