from flask import Blueprint, request
from flask.views import MethodView

from blog.extensions import csrf

posts = Blueprint("posts", __name__)


@posts.route("/posts/new", methods=["GET", "POST"])
def new_post():  # endpoint: protected GET,POST /posts/new
    return "form"


@posts.post("/posts/<int:post_id>/like")
@csrf.exempt
def like_post(post_id):  # endpoint: exempt POST /posts/<int:post_id>/like
    return "liked"


class CommentApi(MethodView):
    def post(self, post_id):  # endpoint: protected POST /posts/<int:post_id>/comments
        return request.form["text"]


posts.add_url_rule("/posts/<int:post_id>/comments", view_func=CommentApi.as_view("comments"))
