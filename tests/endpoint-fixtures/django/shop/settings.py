INSTALLED_APPS = ["django.contrib.sessions", "rest_framework", "shop", "orders", "api"]
ROOT_URLCONF = "shop.urls"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
