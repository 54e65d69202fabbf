from flask import Flask

from blog.extensions import csrf
from blog.posts import posts


def create_app():
    app = Flask(__name__)
    csrf.init_app(app)
    app.register_blueprint(posts)

    @app.route("/")
    def index():  # endpoint: safe GET /
        return "home"

    return app
