INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "pages"]
ROOT_URLCONF = "pages.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
