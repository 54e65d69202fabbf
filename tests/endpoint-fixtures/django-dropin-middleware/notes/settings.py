ROOT_URLCONF = "notes.urls"
INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.auth", "notes"]

# A middleware package from the requirements, not in the scanned tree.
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "audited_csrf.middleware.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
