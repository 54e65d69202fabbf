INSTALLED_APPS = ["django.contrib.sessions", "relay"]
ROOT_URLCONF = "relay.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
