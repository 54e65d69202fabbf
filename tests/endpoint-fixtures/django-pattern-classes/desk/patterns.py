from django.urls import URLPattern
from django.urls.resolvers import RegexPattern


# A pattern that remembers who may open it: the project's functions make it as `re_path` makes Django's.
class StaffPattern(URLPattern):
    def __init__(self, regex, callback, default_args=None, name=None, permissions=()):
        self.permissions = tuple(permissions)
        super().__init__(RegexPattern(regex), callback, default_args, name)


def staff_url(regex, view, kwargs=None, name=None, permissions=()):
    return StaffPattern(regex, view, kwargs, name, permissions=permissions)
