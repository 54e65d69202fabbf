from pantry.bootstrap import app

with app.app_context():
    from pantry.web import jars, shelves  # noqa: F401


@app.route("/stock", methods=["POST"])
def restock():  # endpoint: protected POST /stock
    return "", 204
