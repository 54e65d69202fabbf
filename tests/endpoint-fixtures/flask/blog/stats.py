from flask import Flask, request
from flask_wtf import FlaskForm

stats_app = Flask("blog-stats")


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
