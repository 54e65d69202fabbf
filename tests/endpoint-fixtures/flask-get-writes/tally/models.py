from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String)


def rename_tag(tag, name):
    tag.name = name
    db.session.commit()


class Settings(db.Model):
    id = db.Column(db.Integer, primary_key=True)

    @classmethod
    def get(cls):
        found = cls.query.get(1)
        if found is None:
            found = Settings(id=1)
            db.session.add(found)
            db.session.commit()
        return found
