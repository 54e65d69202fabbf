from flask import Flask, session
from flask_wtf import FlaskForm
from wtforms import StringField

app = Flask(__name__)
app.secret_key = "change-me"


class NoteForm(FlaskForm):
    title = StringField()


class QuickNoteForm(FlaskForm):
    title = StringField()

    class Meta:
        csrf = False


@app.route("/notes", methods=["POST"])
def add_note():  # endpoint: protected POST /notes
    form = NoteForm()
    if form.validate_on_submit():
        return session["user"]
    return "invalid"


@app.route("/notes/quick", methods=["POST"])
def add_quick_note():  # endpoint: unprotected POST /notes/quick
    form = QuickNoteForm()
    if form.validate_on_submit():
        return session["user"]
    return "invalid"
