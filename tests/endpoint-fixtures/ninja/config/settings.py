INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "shop"]
ROOT_URLCONF = "config.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
