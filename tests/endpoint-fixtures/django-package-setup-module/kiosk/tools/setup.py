# A module of the package that helps set a kiosk up, not a project's setup script.
def default_greeting():
    return "Welcome"
