from django.conf import settings
from django.urls import path, re_path

from atlas import views


def grouped(decorators, *patterns):
    """Marks each pattern with the decorators its view is wrapped in when resolved."""
    for pattern in patterns:
        pattern.wrapped_by = list(decorators)
    return patterns


def feed_patterns():
    patterns = [path("feed/", views.feed)]
    patterns.append(path("feed/read/", views.mark_read))
    return patterns


def api_url(*args, **kwargs):
    """A URL pattern under the API prefix the settings name."""
    prefixed = list(args)
    prefixed[0] = settings.ATLAS_API_PREFIX + args[0].lstrip("^")
    return re_path(*prefixed, **kwargs)


def plain_url(*args, **kwargs):
    return re_path(*args, **kwargs)
