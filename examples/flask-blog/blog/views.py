from flask import Blueprint, redirect, render_template, request, url_for

from .extensions import csrf, db
from .forms import CommentForm, PostForm
from .models import Comment, Post

bp = Blueprint("blog", __name__)


@bp.route("/posts/new", methods=["GET", "POST"])
def new_post():
    form = PostForm()
    if form.validate_on_submit():
        post = Post(title=form.title.data, body=form.body.data)
        db.session.add(post)
        db.session.commit()
        return redirect(url_for("blog.show_post", post_id=post.id))
    return render_template("new_post.html", form=form)


@bp.route("/posts/<int:post_id>/comments", methods=["POST"])
def add_comment(post_id):
    form = CommentForm()
    if form.validate_on_submit():
        db.session.add(Comment(post_id=post_id, author=form.author.data, text=form.text.data))
        db.session.commit()
    return redirect(url_for("blog.show_post", post_id=post_id))


@bp.route("/posts/<int:post_id>/like", methods=["POST"])
@csrf.exempt
def like_post(post_id):
    Post.query.get_or_404(post_id).likes += 1
    db.session.commit()
    return {"likes": Post.query.get(post_id).likes}


@bp.route("/posts/<int:post_id>")
def show_post(post_id):
    return render_template("post.html", post=Post.query.get_or_404(post_id))
