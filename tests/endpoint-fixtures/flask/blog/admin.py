from flask import Flask, session

admin_app = Flask("blog-admin")


@admin_app.route("/ban", methods=["POST"])
def ban_user():  # endpoint: unprotected POST /ban
    if session.get("admin"):
        return "banned"
    return "no"
