from importlib import import_module

from django.apps import apps


def plugin_viewsets():
    """Every viewset class found in the `viewsets` module of each installed app."""
    found = []
    for config in apps.get_app_configs():
        module = import_module(f"{config.name}.viewsets")
        for name in dir(module):
            found.append(getattr(module, name))
    return found
