"""A small internal dashboard, served on its own port next to the blog, behind HTTP Basic."""
from flask import Flask, abort, jsonify, request

from .models import Post

stats_app = Flask("blog-stats")


@stats_app.route("/reset", methods=["POST"])
def reset_counters():
    if request.authorization is None or request.authorization.password != "dashboard":
        abort(401)
    Post.query.update({"likes": 0})
    return jsonify(reset=True, by=request.authorization.username)
