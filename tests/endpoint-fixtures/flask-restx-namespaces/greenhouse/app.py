from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from greenhouse.api import register_api

csrf = CSRFProtect()
login = LoginManager()


def create_app():
    app = Flask(__name__)
    csrf.init_app(app)
    login.init_app(app)
    register_api(app)
    return app
