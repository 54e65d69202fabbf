ROOT_URLCONF = "pantry.urls"
INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.auth", "rest_framework", "pantry"]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
