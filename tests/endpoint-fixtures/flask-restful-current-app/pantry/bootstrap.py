from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.config.from_envvar("PANTRY_SETTINGS")
csrf = CSRFProtect(app)
login = LoginManager(app)
