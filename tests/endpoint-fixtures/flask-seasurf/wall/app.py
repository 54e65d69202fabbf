from flask import Flask, session
from flask_seasurf import SeaSurf

app = Flask(__name__)
app.secret_key = "change-me"
csrf = SeaSurf(app)


@app.route("/posts", methods=["POST"])
def add_post():  # endpoint: protected POST /posts
    return session["user"]
