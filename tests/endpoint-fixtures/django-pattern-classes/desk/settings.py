INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "desk"]
ROOT_URLCONF = "desk.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
