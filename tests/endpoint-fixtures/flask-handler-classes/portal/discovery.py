import importlib

BLUEPRINT_MODULES = ["portal.notes.blueprint"]


def discover_blueprints():
    return [importlib.import_module(name)._bp for name in BLUEPRINT_MODULES]
