import os

INSTALLED_APPS = ["django.contrib.sessions", "beacon"]
ROOT_URLCONF = "beacon.urls"
SITE_ROOT = os.getenv("SITE_ROOT", "http://localhost:8000")

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
