from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired


class PostForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired()])
    body = TextAreaField("Body", validators=[DataRequired()])


class CommentForm(FlaskForm):
    class Meta:
        csrf = False

    author = StringField("Name")
    text = TextAreaField("Comment", validators=[DataRequired()])
