"""Settings for the in-store kiosks, which run the same shop with a trimmed stack."""
from .settings import *  # noqa: F401,F403

KIOSK_MODE = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
