from litestar.plugins import InitPluginProtocol


class ApplicationCore(InitPluginProtocol):
    def on_app_init(self, app_config):
        from shop.domain.accounts import AccountController

        self._configure_routes(app_config, controllers=[AccountController])
        return app_config

    def _configure_routes(self, app_config, *, controllers):
        app_config.route_handlers.extend(controllers)
