"""Newsroom settings, read from the environment (see README and .env.example).

SQLite is the zero-install default; set ``DATABASE_URL`` for PostgreSQL.
``DEBUG`` is off unless set, and with it off a ``SECRET_KEY`` is required and
the site assumes HTTPS (``HTTPS=false`` to serve plain http locally).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from newsroom import logging as newsroom_logging

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.apps.NewsroomAdminConfig",  # Django's admin, asking staff for a second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "taggit",
    "corsheaders",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "reversion",
    "django_prose_editor",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # One app per job; only content has models, and it imports none of the others.
    "content",  # articles and everything they are made of (app label "articles")
    "search",  # search documents' backends, the query language, ranking
    "reader",  # the public site, its page cache and outgoing feeds
    "desk",  # the editors' admin
    "ingest",  # posts and feeds coming in, posts going out as files
    "stories",  # the copies of one story from many outlets, found by near-duplicate text
    "api",  # the content API, webhooks and WebSub
    "accounts",  # staff accounts: lockout, second factor, password reset
    "edge",  # the edge cache (Varnish, Fastly, Cloudflare), purged after every change
]

# RequestLogMiddleware stays first (before any cache middleware too), so its
# line and X-Request-ID cover every response, cached or static.
MIDDLEWARE = [
    "newsroom.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "edge.middleware.EdgeHeadersMiddleware",
    # Cached reader pages go out from here, before sessions and everything after them (reader/middleware.py).
    "reader.middleware.CachedPageMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reader.context_processors.navigation",
                "reader.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"


def _database(url: str) -> dict:
    config = env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work during an import; IMMEDIATE avoids "database is locked"
        # when two writers start a transaction at the same time.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        # Keep connections between requests, test them before reuse (so the site
        # recovers by itself after a database restart), and give up quickly on an
        # unreachable server: readers then get the 503 page, not a hung worker.
        config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3))
    return config


DATABASES = {"default": _database(env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
if DATABASE_REPLICA_URL := env.str("DATABASE_REPLICA_URL", default=""):
    # A replica holds the same data as default: tests use default for both.
    DATABASES["replica"] = {**_database(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["newsroom.db_routers.ReplicaRouter"]

# Without Redis the processes of one machine share a cache in files
# (CACHE_DIR), so an import run in another process reaches a running site at
# once; several nodes need REDIS_URL.
if REDIS_URL := env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            # A cache that is slow to answer is worse than none.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.path("CACHE_DIR", default=BASE_DIR / ".cache"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# How long the reader's page cache keeps a page; 0 turns the page cache off.
READER_CACHE_SECONDS = env.int("READER_CACHE_SECONDS", default=300)
# How long an article card, rendered once per change, is kept for list pages (reader/fragments.py); 0: never.
READER_FRAGMENT_SECONDS = env.int("READER_FRAGMENT_SECONDS", default=24 * 3600)
# A page built while one of its keys was forgotten is not kept (reader/caching.py); with web
# processes on several machines, how far apart their clocks may be (ms).
READER_CACHE_CLOCK_SKEW_MS = env.int("READER_CACHE_CLOCK_SKEW_MS", default=0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# -- Staff accounts (accounts/, README "Staff accounts") --------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user and address before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# Proxies in front of the site that append the client's address to X-Forwarded-For
# (newsroom/clients.py): 0 reads only the connection's own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Wrong passwords for one user from one address before that pair is refused, and for how long.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=30)
AXES_COOLOFF_TIME = LOGIN_COOLOFF_MINUTES / 60  # hours
# "user_and_address": guessing from one address locks that user there only (the default);
# "user": a user is locked from every address (an attacker can then lock editors out).
LOGIN_LOCKOUT_BY = env.str("LOGIN_LOCKOUT_BY", default="user_and_address")
if LOGIN_LOCKOUT_BY not in ("user_and_address", "user"):
    raise ImproperlyConfigured("LOGIN_LOCKOUT_BY must be user_and_address or user.")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]] if LOGIN_LOCKOUT_BY == "user_and_address" else ["username"]
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no start-up banner on stdout (management commands' output is read)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Who must sign in with a second factor: none, superusers, publishers (superusers and
# whoever may publish), or staff (accounts/policy.py).
SECOND_FACTOR_FOR = env.str("SECOND_FACTOR_FOR", default="publishers")
if SECOND_FACTOR_FOR not in ("none", "superusers", "publishers", "staff"):
    raise ImproperlyConfigured("SECOND_FACTOR_FOR must be none, superusers, publishers or staff.")
# A signed-in user's session ends after this long without a request (and on a password change).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=120)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # each request restarts the idle clock; readers have no session to save
# Password reset mails: EMAIL_URL (smtp+tls://user:password@host:587) or the console in development.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Files browsers ask for at the site root: /favicon.ico, /apple-touch-icon.png.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names, so WhiteNoise can send them with a ten-year, immutable Cache-Control.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if MEDIA_S3_BUCKET := env.str("MEDIA_S3_BUCKET", default=""):
    # Several app servers share one media store. boto3 reads the credentials
    # itself (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role).
    MEDIA_S3_CUSTOM_DOMAIN = env.str("MEDIA_S3_CUSTOM_DOMAIN", default=None)
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("MEDIA_S3_REGION", default=None),
            "custom_domain": MEDIA_S3_CUSTOM_DOMAIN,
            # A public-read bucket: plain URLs that browsers and CDNs can cache.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    if MEDIA_S3_CUSTOM_DOMAIN:
        MEDIA_URL = f"https://{MEDIA_S3_CUSTOM_DOMAIN}/"

# HTTPS: on by default in production. Browsers get redirected to https and told
# to stay there (HSTS), and cookies are never sent over plain http.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
# Load balancers probe over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    # Only behind a proxy that sets this header itself (and strips one sent by clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts and styles only from this site. Images: articles show pictures hot-
# linked from dozens of publishers' hosts, and new sources bring new hosts, so
# an allow-list would break pictures silently; an image cannot run script, and
# the sanitiser already sends them no referrer. CSP_IMG_SRC narrows it.
# On an https site, http:// images in imported bodies are fetched over https
# (upgrade-insecure-requests). Django's debug pages (DEBUG only) need inline
# styles and scripts.
CSP_IMG_SRC = env.str("CSP_IMG_SRC", default="'self' https: http:")
CSP_INLINE = " 'unsafe-inline'" if DEBUG else ""
# Hosts whose players an article may embed (click to load, in a sandboxed frame):
# the CSP frame-src allows these alone. YouTube plays from its no-cookie host.
EMBED_HOSTS = env.list(
    "EMBED_HOSTS",
    default=[
        "www.youtube-nocookie.com",
        "player.bilibili.com",
        "player.vimeo.com",
        "embed.nicovideo.jp",
        "v.qq.com",
        "player.youku.com",
        "open.spotify.com",
    ],
)
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self'{CSP_INLINE}",
        f"style-src 'self'{CSP_INLINE}",
        f"img-src {CSP_IMG_SRC}",
        "frame-src " + (" ".join(f"https://{host}" for host in EMBED_HOSTS) or "'none'"),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        *(["upgrade-insecure-requests"] if HTTPS else []),
    ]
)

LOGGING = newsroom_logging.config(env.str("LOG_LEVEL", default="INFO"))

TAGGIT_CASE_INSENSITIVE = True

# The site's name and tagline, as pages, feeds and meta tags show them.
SITE_NAME = env.str("SITE_NAME", default="Newsroom")
OTP_TOTP_ISSUER = SITE_NAME  # what authenticator apps call the account
SITE_TAGLINE = env.str("SITE_TAGLINE", default="每日科技新闻与行业观察")

# How many articles a list page shows.
ARTICLES_PER_PAGE = 20

# Search ranks, counts and pages the newest this many matches of a query (search.results).
SEARCH_RESULTS_WINDOW = env.int("SEARCH_RESULTS_WINDOW", default=500)
# A query of only one-character terms looks through the newest this many articles.
SEARCH_ONE_CHARACTER_DOCUMENTS = env.int("SEARCH_ONE_CHARACTER_DOCUMENTS", default=10_000)
# Relevance is divided by 1 + age / this many days: a year-old article counts half as much as a fresh one.
SEARCH_RECENCY_DAYS = env.int("SEARCH_RECENCY_DAYS", default=365)
# Changes of more articles than this at once (an import's batches of 200) are
# indexed for search by the worker; smaller ones (a save, a feed item) at once.
SEARCH_INLINE_LIMIT = env.int("SEARCH_INLINE_LIMIT", default=100)

# Stories (the stories app): an article is compared with those published within
# this many days of it; two bodies whose estimated Jaccard similarity (of their
# 5-character shingles) reaches the threshold tell one story. Changes of more
# articles than STORIES_INLINE_LIMIT at once (an import) are filed by the worker.
STORIES_WINDOW_DAYS = env.int("STORIES_WINDOW_DAYS", default=7)
STORIES_THRESHOLD = env.float("STORIES_THRESHOLD", default=0.5)
STORIES_INLINE_LIMIT = env.int("STORIES_INLINE_LIMIT", default=20)
# Articles published within this many days keep their LSH band rows (the window
# and a margin as long again); older ones are compared by their stored signatures.
STORIES_BANDS_KEPT_DAYS = env.int("STORIES_BANDS_KEPT_DAYS", default=2 * STORIES_WINDOW_DAYS)

# Uploaded head images (admin): the largest file and the most pixels accepted.
ARTICLE_IMAGE_MAX_BYTES = env.int("ARTICLE_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
ARTICLE_IMAGE_MAX_PIXELS = env.int("ARTICLE_IMAGE_MAX_PIXELS", default=50_000_000)

# Imported posts whose visible text is shorter than this (or only the title
# again) are kept as drafts, listed under 疑似空文 in the admin.
IMPORT_JUNK_MIN_TEXT_LENGTH = env.int("IMPORT_JUNK_MIN_TEXT_LENGTH", default=30)
# Revisions kept per article by `prune_revisions` (older ones are deleted).
ARTICLE_REVISIONS_KEEP = env.int("ARTICLE_REVISIONS_KEEP", default=50)

# Your RSSHub instance (http://127.0.0.1:1200 beside Newsroom): feed config routes (/ofweek/news) are fetched from it.
# No default: the public rsshub.app is a demo, rate-limited and blocked by many sources. Its host is trusted even at a
# private address (it runs beside Newsroom), unlike other feeds' hosts.
RSSHUB_BASE_URL = env.str("RSSHUB_BASE_URL", default="")
# Live feeds (fetch_feeds): seconds per feed, connecting and downloading; the
# largest response accepted; redirects followed; feeds claimed by a fetcher at a
# time; the longest wait after repeated failures (seconds).
FEEDS_TIMEOUT = env.int("FEEDS_TIMEOUT", default=10)
FEEDS_MAX_BYTES = env.int("FEEDS_MAX_BYTES", default=5 * 1024 * 1024)
FEEDS_MAX_REDIRECTS = env.int("FEEDS_MAX_REDIRECTS", default=3)
FEEDS_BATCH_SIZE = env.int("FEEDS_BATCH_SIZE", default=5)
FEEDS_MAX_BACKOFF = env.int("FEEDS_MAX_BACKOFF", default=24 * 60 * 60)
# Let the feed fetcher reach private, loopback and link-local addresses (never in production).
FEEDS_ALLOW_PRIVATE_HOSTS = env.bool("FEEDS_ALLOW_PRIVATE_HOSTS", default=False)
# Source health (ingest/feeds/health.py): a feed is flagged on the desk after this many failures in a row, or
# this many days without a new item; FEEDS_ALERT_EMAILS (comma-separated) are e-mailed once per flagged episode.
FEEDS_ALERT_FAILURES = env.int("FEEDS_ALERT_FAILURES", default=5)
FEEDS_SILENT_DAYS = env.int("FEEDS_SILENT_DAYS", default=7)
FEEDS_ALERT_EMAILS = env.list("FEEDS_ALERT_EMAILS", default=[])
# Full text (ingest/feeds/fulltext.py): seconds and bytes allowed for an item's page; past either, the summary stays.
FULL_TEXT_TIMEOUT = env.int("FULL_TEXT_TIMEOUT", default=10)
FULL_TEXT_MAX_BYTES = env.int("FULL_TEXT_MAX_BYTES", default=2 * 1024 * 1024)
# WebSub subscriber (ingest/feeds/websub.py): subscribe to the hub a feed advertises, so it pushes changes (the
# callback is under SITE_URL, which the hub must reach); leases asked for, renewed by the fetcher a day before the end.
WEBSUB_SUBSCRIBE = env.bool("WEBSUB_SUBSCRIBE", default=False)
WEBSUB_LEASE_SECONDS = env.int("WEBSUB_LEASE_SECONDS", default=10 * 24 * 60 * 60)

# Images copied by import_posts / fetch_feeds --download-images: seconds per
# image, the largest file and the most pixels accepted (decompression bombs).
IMPORT_IMAGE_TIMEOUT = env.int("IMPORT_IMAGE_TIMEOUT", default=10)
IMPORT_IMAGE_MAX_BYTES = env.int("IMPORT_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_IMAGE_MAX_PIXELS = env.int("IMPORT_IMAGE_MAX_PIXELS", default=50_000_000)
# The same as FEEDS_ALLOW_PRIVATE_HOSTS, for image downloads (never in production).
IMPORT_IMAGE_ALLOW_PRIVATE_HOSTS = env.bool("IMPORT_IMAGE_ALLOW_PRIVATE_HOSTS", default=False)

# 热门 (most read): a read is counted once per client and article in this many
# seconds; the 24-hour and 7-day lists are computed again at most this often.
READ_REPEAT_SECONDS = env.int("READ_REPEAT_SECONDS", default=1800)
MOST_READ_REFRESH_SECONDS = env.int("MOST_READ_REFRESH_SECONDS", default=600)

# The site's own address (https://news.example.com), for links in what leaves a
# request: webhook payloads and WebSub pings. Empty: payloads carry paths only.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")

# The content API (/api/v1/, see api/): any site may read it from a browser
# (GET only, no cookies); writing needs a token and is meant for servers.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]
# Seconds an edge or browser may keep an anonymous API answer (then revalidate with ETag).
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=60)
# Articles per API page: the default, and the most a caller may ask for.
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
# -- The edge cache (edge/, README "The edge") ---------------------------------------------------
# Which edge caches reader pages and is purged by surrogate key after every change:
# varnish (deploy/varnish/newsroom.vcl), fastly, cloudflare, or none.
EDGE_PURGE_URL = env.str("EDGE_PURGE_URL", default="")  # Varnish: where PURGE requests go
EDGE_BACKEND = env.str("EDGE_BACKEND", default="varnish" if EDGE_PURGE_URL else "")
if EDGE_BACKEND not in ("", "varnish", "fastly", "cloudflare"):
    raise ImproperlyConfigured("EDGE_BACKEND must be varnish, fastly, cloudflare or empty.")
# How long the edge keeps a page (it is purged when it changes); seconds per purge request;
# attempts before a failed purge is given up (the worker retries, the wait doubling from the last).
EDGE_CACHE_SECONDS = env.int("EDGE_CACHE_SECONDS", default=6 * 3600)
EDGE_PURGE_TIMEOUT = env.int("EDGE_PURGE_TIMEOUT", default=5)
EDGE_PURGE_MAX_ATTEMPTS = env.int("EDGE_PURGE_MAX_ATTEMPTS", default=6)
EDGE_PURGE_RETRY_SECONDS = env.int("EDGE_PURGE_RETRY_SECONDS", default=10)
FASTLY_API_URL = env.str("FASTLY_API_URL", default="https://api.fastly.com").rstrip("/")
FASTLY_SERVICE_ID = env.str("FASTLY_SERVICE_ID", default="")
FASTLY_API_TOKEN = env.str("FASTLY_API_TOKEN", default="")
CLOUDFLARE_API_URL = env.str("CLOUDFLARE_API_URL", default="https://api.cloudflare.com/client/v4").rstrip("/")
CLOUDFLARE_ZONE_ID = env.str("CLOUDFLARE_ZONE_ID", default="")
CLOUDFLARE_API_TOKEN = env.str("CLOUDFLARE_API_TOKEN", default="")

# Requests per address without a token, and per token (api/throttles.py): N/s, N/m, N/h or N/d.
API_RATE_ANONYMOUS = env.str("API_RATE_ANONYMOUS", default="120/m")
API_RATE_TOKEN = env.str("API_RATE_TOKEN", default="600/m")

# Background work (django-tasks): the queue is a table in our own database;
# `python manage.py run_worker` runs it (make serve starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Webhooks: seconds per delivery; attempts before a delivery is given up (the
# wait doubles after each failure, from WEBHOOK_RETRY_SECONDS); whether webhook
# URLs may point at private and loopback addresses (never in production).
WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", default=10)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_RETRY_SECONDS = env.int("WEBHOOK_RETRY_SECONDS", default=30)
WEBHOOK_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", default=False)

# A WebSub hub (https://pubsubhubbub.appspot.com/): the site's feeds advertise
# it, and publishing pings it. Empty: no hub.
WEBSUB_HUB_URL = env.str("WEBSUB_HUB_URL", default="")
# Search engines told of published and updated articles (api/indexing.py), each only when configured: IndexNow
# (the key, 8-128 of a-zA-Z0-9-, is served at /<key>.txt) and Baidu's push API (the token from 百度搜索资源平台).
INDEXNOW_KEY = env.str("INDEXNOW_KEY", default="")
INDEXNOW_ENDPOINT = env.str("INDEXNOW_ENDPOINT", default="https://api.indexnow.org/indexnow")
BAIDU_PUSH_TOKEN = env.str("BAIDU_PUSH_TOKEN", default="")
BAIDU_PUSH_ENDPOINT = env.str("BAIDU_PUSH_ENDPOINT", default="http://data.zz.baidu.com/urls")
