INSTALLED_APPS = ["django.contrib.sessions", "rest_framework", "depot", "catalog"]
ROOT_URLCONF = "depot.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
