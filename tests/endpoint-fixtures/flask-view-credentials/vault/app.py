from flask import Flask, session
from flask_wtf.csrf import CSRFProtect

from vault.api import api

app = Flask(__name__)
app.secret_key = "change-me"
csrf = CSRFProtect(app)
app.register_blueprint(api)


@app.route("/notes", methods=["POST"])
def add_note():  # endpoint: protected POST /notes
    return session["user"]
