from flask import Flask, redirect, render_template
from flask_login import LoginManager, login_required
from flask_wtf.csrf import CSRFProtect

from tally.models import Settings, Tag, db, rename_tag

app = Flask(__name__)
app.secret_key = "change-me"
csrf = CSRFProtect(app)
db.init_app(app)
login_manager = LoginManager(app)


# A link deletes: any page can embed it as an image, and no CSRF token is checked on GET.
@app.route("/tags/<int:tag_id>/delete", methods=["GET"])
@login_required
def delete_tag(tag_id):  # endpoint: writes-on-get GET /tags/<int:tag_id>/delete
    db.session.delete(Tag.query.get(tag_id))
    db.session.commit()
    return redirect("/tags")


# The write is in the project's helper it calls.
@app.route("/tags/<int:tag_id>/upper")
@login_required
def upper_tag(tag_id):  # endpoint: writes-on-get GET /tags/<int:tag_id>/upper
    tag = Tag.query.get(tag_id)
    rename_tag(tag, tag.name.upper())
    return redirect("/tags")


# Only reads: safe.
@app.route("/tags")
@login_required
def list_tags():  # endpoint: safe GET /tags
    return render_template("tags.html", tags=Tag.query.all())


# The same write behind POST: the token check covers it.
@app.route("/tags/<int:tag_id>/remove", methods=["POST"])
@login_required
def remove_tag(tag_id):  # endpoint: protected POST /tags/<int:tag_id>/remove
    db.session.delete(Tag.query.get(tag_id))
    db.session.commit()
    return redirect("/tags")


# Its getter saves the settings row the first time it is missing: a default, no change a forged request chooses.
@app.route("/settings")
@login_required
def show_settings():  # endpoint: safe GET /settings
    return render_template("settings.html", settings=Settings.get())
