from flask import Blueprint

from forum.api.v2 import v2

pages = Blueprint("pages", __name__, url_prefix="/pages")


@pages.route("/<name>", methods=["GET", "POST"])
def page(name):  # endpoint: protected GET,POST /pages/<name>
    return name


def get_blueprints():
    return [pages, v2]
