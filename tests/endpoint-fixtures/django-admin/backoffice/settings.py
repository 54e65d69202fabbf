INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.sessions", "staff"]
ROOT_URLCONF = "backoffice.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
