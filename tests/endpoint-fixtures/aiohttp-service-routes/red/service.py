class AppService:
    def __init__(self, application):
        self.application = application

    def register_subapp(self, path, app):
        self.application.add_subapp(path, app)
