INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "tracker"]
ROOT_URLCONF = "tracker.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
