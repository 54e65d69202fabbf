import os

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from atelier import studio


def create_app():
    app = Flask(__name__)
    app.secret_key = os.environ["SECRET_KEY"]
    CSRFProtect(app)
    app.register_blueprint(studio.StudioModule({}))
    lobby = studio.LobbyPages()
    app.register_blueprint(lobby)
    return app
