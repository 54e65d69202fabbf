import os

from flask import Flask, request, session
from flask_wtf.csrf import CSRFProtect

from shelf.blueprints import ShelfBlueprint

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
csrf = CSRFProtect(app)

books = ShelfBlueprint("books", "/books")
authors = ShelfBlueprint("authors", prefix="/authors")
shelf = ShelfBlueprint("shelf")
mounted = ShelfBlueprint("mounted", os.environ["MOUNT_POINT"])


@books.post("/add")
def add_book():  # endpoint: protected POST /books/add
    session["last"] = request.form["title"]
    return "added"


@authors.get("/")
def list_authors():  # endpoint: safe GET /authors/
    return "authors"


@shelf.route("/sort", methods=["POST"])
def sort_shelf():  # endpoint: protected POST /shelf/sort
    return "sorted"


@mounted.route("/tidy", methods=["POST"])
def tidy():  # endpoint: protected POST {os.environ["MOUNT_POINT"]}/tidy
    return "tidied"


for section in (books, authors, shelf, mounted):
    app.register_blueprint(section)
