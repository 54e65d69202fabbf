INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "clinic"]
ROOT_URLCONF = "clinic.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
