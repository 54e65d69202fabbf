from flask import Flask, request
from flask_httpauth import HTTPBasicAuth
from flask_wtf import FlaskForm

stats_app = Flask("blog-stats")
basic_auth = HTTPBasicAuth()


class ResetForm(FlaskForm):
    pass


@stats_app.route("/reset", methods=["POST"])
def reset_counters():  # endpoint: unprotected POST /reset
    return "reset"


@stats_app.route("/reset-form", methods=["POST"])
def reset_with_form():  # endpoint: protected POST /reset-form
    form = ResetForm()
    if form.validate_on_submit():
        return "reset"
    return "invalid"


@stats_app.route("/counters")
def counters():  # endpoint: safe GET /counters
    return request.args.get("name", "")


# Trades the password for a token: nothing is checked, and nothing a forged request mints can be read.
@stats_app.route("/tokens", methods=["POST"])
@basic_auth.login_required
def issue_token():  # endpoint: unprotected POST /tokens
    return {"token": "new"}
