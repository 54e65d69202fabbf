INSTALLED_APPS = ["django.contrib.sessions", "atlas"]
ROOT_URLCONF = "atlas.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
