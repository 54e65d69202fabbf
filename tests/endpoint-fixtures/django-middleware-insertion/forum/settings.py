ROOT_URLCONF = "forum.urls"
PROFILE_REQUESTS = False

MIDDLEWARE = (
    "forum.middleware.CleanQueryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
)

# A profiler goes in right after the first middleware: the list keeps every entry it had.
if PROFILE_REQUESTS:
    profiler_at = MIDDLEWARE.index("forum.middleware.CleanQueryMiddleware") + 1
    MIDDLEWARE = (
        *MIDDLEWARE[:profiler_at],
        "profiling.middleware.ProfileMiddleware",
        *MIDDLEWARE[profiler_at:],
    )
