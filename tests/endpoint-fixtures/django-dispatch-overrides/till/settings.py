INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "till"]
ROOT_URLCONF = "till.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
