def configure_api_from_blueprint(blueprint, route_tuples):
    view_funcs = {}
    for path, resource in route_tuples:
        view_func = view_funcs.get(resource)
        if view_func is None:
            view_func = resource.as_view(resource.__name__)
            view_funcs[resource] = view_func
        blueprint.add_url_rule(path, view_func=view_func)
    return blueprint
