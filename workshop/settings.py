"""Gyakusan's one settings file, driven by the environment (see .env.example).

With no variables set it runs the embedded default: SQLite and the in-memory channel layer,
one process. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and channels-redis, so that
several server processes can serve one workshop.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from workshop.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # daphne first, so that runserver serves WebSockets too.
    "daphne",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "csp",
    "django_htmx",
    "template_partials",
    "sessions.apps.WorkshopSessionsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages and htmx answers gzipped for browsers that accept it (a board of a hundred notes is
    # hundreds of KB, a tenth of that compressed). Django's GZip pads each answer at random
    # against BREACH; static files come precompressed from WhiteNoise's storage instead.
    "django.middleware.gzip.GZipMiddleware",
    # The Content-Security-Policy on every answer, static files included (workshop/csp.py).
    "workshop.csp.ContentSecurityPolicyMiddleware",
    # Static files from the app itself, under daphne or uvicorn alike.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A stranger's lookups by join code are rate-limited: too many answer 429, whatever the code.
    "sessions.views.join.ThrottledMiddleware",
]

ROOT_URLCONF = "workshop.urls"
ASGI_APPLICATION = "workshop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL (or any dj-database-url) with DATABASE_URL ---
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # Writers queue for the lock instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Browser tests serve the app from another process: it must see the test database.
            "TEST": {"NAME": env_str("SQLITE_TEST_PATH") or None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channels and cache: in-memory by default, Redis with REDIS_URL ---
REDIS_URL = env_str("REDIS_URL")
# channels_redis waits for a socket's next message with BZPOPMIN, up to 5 s at a time, and the
# redis client (8.x) gives up on any read after 5 s by default: an empty wait turned into a
# TimeoutError and closed every idle socket with 1011, which the ws extension never retries.
# A read may now outlast the 5 s wait; a Redis that is really gone still shows within 15 s.
REDIS_LAYER_READ_TIMEOUT_S = 15
REDIS_CONNECT_TIMEOUT_S = 5
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": REDIS_LAYER_READ_TIMEOUT_S,
                        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_S,
                    }
                ],
                "capacity": 1500,
                "expiry": 30,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gyakusan",
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 1500, "expiry": 30},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Django's database sessions, refusing keys it could not have made (workshop/session_store.py).
SESSION_ENGINE = "workshop.session_store"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # a returning participant is recognised for a month

# --- Languages: Japanese first ---
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Tokyo")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development static files are read where they live; in production from collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
if not DEBUG:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# --- Security: ``check --deploy`` is clean with the production values of .env.example ---
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Scripts only from our own static files: no inline script, no eval (htmx is told so in
# base.html's htmx-config), no event-handler attribute. Styles from our files, and the one
# <style> of a participant's room page (the rules for "you", room.html) by its nonce. The live
# room's socket is added to connect-src by its own address (workshop/csp.py). QR codes are
# inline <svg> elements, fonts are the system's: nothing else is loaded.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Gyakusan ---
# Join attempts per client address (join forms sent, and any page or action asked for by code
# by a browser that does not belong to that workshop): enough for a room of 30 behind one
# office address, each trying twice; browsers in the workshop are never counted.
JOIN_ATTEMPTS_PER_MINUTE = env_int("JOIN_ATTEMPTS_PER_MINUTE", 60)
# Wrong codes an address may type before each further one locks it out (views/ratelimit.py):
# an office's typos pass, and the first lockout (doubling with every wrong code after it, up to
# 30 minutes) is short enough that a colleague typing the right code waits, not gives up.
JOIN_WRONG_CODES_ALLOWED = env_int("JOIN_WRONG_CODES_ALLOWED", 10)
JOIN_LOCKOUT_SECONDS = env_int("JOIN_LOCKOUT_SECONDS", 30)
# New seats a minute, per address and per workshop: a script must not fill the room before the
# facilitator sees it and closes joining. A room of 20 behind one office address (the deck plans
# 3–6 people, the app about 30) gets in within the minute; a room of 30 from its phones and
# laptops too. One address then takes at most 20 seats a minute, and even many addresses need
# 4 minutes to fill the 120 seats a workshop has (services/participants.py, MAX_PARTICIPANTS).
JOINS_PER_ADDRESS_PER_MINUTE = env_int("JOINS_PER_ADDRESS_PER_MINUTE", 20)
JOINS_PER_WORKSHOP_PER_MINUTE = env_int("JOINS_PER_WORKSHOP_PER_MINUTE", 30)
# Trust X-Forwarded-For for the client address only behind a proxy that sets it.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
# A participant counts as online while a socket of theirs has sent a heartbeat this recently.
# live.js beats every 10 s (±10 %), in a background tab too (its timers are chained from the
# server's answers, which Chrome does not throttle to once a minute), so two beats may be late
# before a participant lapses; the console and projector sweep every ~4 s, so a participant
# whose server process died is shown offline within 30 s.
PRESENCE_TIMEOUT_SECONDS = env_int("PRESENCE_TIMEOUT_SECONDS", 25)
# The largest request body, refused with 413 before it is read (workshop/limits.py): the
# largest workshop file to import (5 MB, sessions/exports/portable_reader.py) and the form
# around it. Every other form posts a few KB.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 6 * 1024 * 1024)
# permessage-deflate on the room's sockets (workshop/server.py; uvicorn negotiates it itself).
# Measured with bench_storm (30 participants, a 100-note board): a note's push is 858 bytes on
# the wire per socket without it and 83 with it, for about 9 ms more server CPU per note.
WEBSOCKET_DEFLATE = env_bool("WEBSOCKET_DEFLATE", True)
# Where the QR code points; defaults to the address the facilitator's browser used.
PUBLIC_URL = env_str("PUBLIC_URL").rstrip("/")

LOG_LEVEL = env_str("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One handler for every record, with a filter that masks the facilitator's secret links
    # (workshop/logs.py): a handler's filter sees every record it handles, from any logger.
    "filters": {"secret_links": {"()": "workshop.logs.SecretLinkFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["secret_links"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's default handlers on its own loggers would print "Not Found: /f/<token>/" unmasked
    # while developing (and every warning twice): its records go to the handler above instead,
    # at INFO while developing as by default. (Its mail_admins handler goes too: no ADMINS.)
    "loggers": {"django": {"handlers": [], "level": "INFO" if DEBUG else LOG_LEVEL}},
}
