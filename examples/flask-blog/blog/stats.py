"""A small internal dashboard, served on its own port next to the blog."""
from flask import Flask, jsonify, request

from .models import Post

stats_app = Flask("blog-stats")


@stats_app.route("/reset", methods=["POST"])
def reset_counters():
    Post.query.update({"likes": 0})
    return jsonify(reset=True, by=request.remote_addr)
