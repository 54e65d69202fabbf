from flask import Blueprint

from forum.api.v2 import v2

pages = Blueprint("pages", __name__, url_prefix="/pages")


@pages.route("/<name>", methods=["GET", "POST"])
def page(name):  # endpoint: protected GET,POST /pages/<name>
    return name


class ModuleBlueprint(Blueprint):
    def __init__(self, name, import_name, **kwargs):
        kwargs.setdefault("url_prefix", "/" + name)
        super().__init__(name, import_name, **kwargs)


tools = ModuleBlueprint("tools", __name__)


@tools.route("/run", methods=["POST"])
def run_tool():  # endpoint: protected POST {prefix}/run
    return "ran"


def get_blueprints():
    return [pages, v2, tools]
