from flask import Flask, session

from depot import stock

app = Flask(__name__)
app.secret_key = "change-me"
app.register_blueprint(stock.blueprint)


def ping():  # endpoint: unprotected POST /ping
    return session["user"]


def reset():  # endpoint: unprotected POST /reset
    return session["user"]


ROUTES = [("/ping", ping)]
for path, view in ROUTES:
    app.add_url_rule(path, view_func=view, methods=["POST"])

for (url, handler) in [("/reset", reset)]:
    app.add_url_rule(url, view_func=handler, methods=["POST"])
