INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "postroom"]
ROOT_URLCONF = "postroom.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
