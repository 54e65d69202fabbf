from django.urls import path

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
