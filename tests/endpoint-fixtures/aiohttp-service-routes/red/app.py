from aiohttp import web

from red.apis import AgentApi, PlanApi


def make_app(services):
    app = web.Application()
    AgentApi(services).add_routes(app)
    PlanApi(services).add_routes(app)
    return app
