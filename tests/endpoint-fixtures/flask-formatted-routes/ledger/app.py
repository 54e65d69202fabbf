from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

from ledger.accounts import accounts

API = "/api/v1"
VERSION = 2

app = Flask(__name__)
app.secret_key = "change-me"
CSRFProtect(app)
app.register_blueprint(accounts, url_prefix=f"{API}/accounts")


@app.route(f"{API}/entries", methods=["POST"])
def add_entry():  # endpoint: protected POST /api/v1/entries
    return request.form["amount"]


@app.get(f"/v{VERSION}/health")
def health():  # endpoint: safe GET /v2/health
    return "ok"


def archive():  # endpoint: protected POST {app.config["ARCHIVE_ROOT"]}/archive
    return "archived"


app.add_url_rule(f"{app.config['ARCHIVE_ROOT']}/archive", view_func=archive, methods=["POST"])
