from aiohttp import web


class BaseApi:
    def __init__(self, services):
        self.services = services

    async def get_all(self, request):  # endpoint: safe GET /api/v2/agents
        return web.json_response([])


class AgentApi(BaseApi):
    def add_routes(self, app: web.Application):
        app.router.add_get("/agents", self.get_all)
        app.router.add_post("/agents", self.create_agent)

    async def create_agent(self, request):  # endpoint: unprotected POST /api/v2/agents
        return web.json_response({})


class PlanApi(BaseApi):
    def add_routes(self, app: web.Application):
        router = app.router
        router.add_get("/plans", self.get_plans)
        router.add_delete("/plans/{plan_id}", self.delete_plan)

    async def get_plans(self, request):  # endpoint: safe GET /api/v2/plans
        return web.json_response([])

    async def delete_plan(self, request):  # endpoint: unprotected DELETE /api/v2/plans/{plan_id}
        return web.json_response({})
