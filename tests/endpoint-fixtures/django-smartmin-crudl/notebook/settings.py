INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "notebook"]
ROOT_URLCONF = "notebook.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
