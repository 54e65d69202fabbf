import os

import flask_smorest
from flask import Flask
from flask_wtf.csrf import CSRFProtect

from library.api import blp

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
csrf = CSRFProtect(app)
api = flask_smorest.Api(app)
api.register_blueprint(blp)
