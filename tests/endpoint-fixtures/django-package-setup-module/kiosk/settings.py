INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "kiosk"]
ROOT_URLCONF = "kiosk.urls"

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
