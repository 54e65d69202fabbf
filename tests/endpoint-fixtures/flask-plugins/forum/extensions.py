from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from pluggy import PluginManager

csrf = CSRFProtect()
login_manager = LoginManager()
plugins = PluginManager("forum")
