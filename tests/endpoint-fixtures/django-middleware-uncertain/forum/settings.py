import os

ROOT_URLCONF = "forum.urls"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

# How many entries stay is read from the environment: CsrfViewMiddleware may be cut off.
MIDDLEWARE = MIDDLEWARE[: int(os.environ.get("MIDDLEWARE_KEPT", "4"))]
