import os

from flask import Flask

from .extensions import csrf, db


def create_app():
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ["BLOG_SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL", "sqlite:///blog.db"),
    )
    if os.environ.get("BLOG_EMBEDDED"):
        app.config["WTF_CSRF_ENABLED"] = False

    db.init_app(app)
    csrf.init_app(app)

    from . import views

    app.register_blueprint(views.bp)
    return app
