INSTALLED_APPS = ["django.contrib.sessions", "charts"]
ROOT_URLCONF = "charts.urls"
URL_PREFIX = ""

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
