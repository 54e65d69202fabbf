INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "monitor"]
ROOT_URLCONF = "monitor.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
