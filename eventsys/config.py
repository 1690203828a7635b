"""Default settings. Environment variables (EVENTSYS_*) and test dicts override them in create_app."""

from pathlib import Path

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - refused outside debug/testing
PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled_or_checkout(name: str) -> str:
    """An installed package carries its compiled catalogues and migrations inside (setup.py puts
    them there when the wheel is built); a checkout has them beside the package."""
    bundled = PACKAGE_DIR / name
    return str(bundled if bundled.is_dir() else PACKAGE_DIR.parent / name)


TRANSLATIONS_DIR = _bundled_or_checkout("translations")
MIGRATIONS_DIR = _bundled_or_checkout("migrations")


class Config:
    """Defaults for a laptop: SQLite in the instance folder, no other service."""

    SECRET_KEY = DEV_SECRET_KEY
    DATABASE_URL: str | None = None  # EVENTSYS_DATABASE_URL; None means SQLite in the instance folder
    # Connections are checked before use only after sitting idle (DB_PING_AFTER_IDLE_S, see
    # extensions._ping_when_idle): SQLAlchemy's pool_pre_ping checks on every request, a round
    # trip that was 7 % of a registration's time under load. Renewed every 5 minutes.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": False, "pool_recycle": 300}
    DB_PING_AFTER_IDLE_S = 2.0
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    BABEL_TRANSLATION_DIRECTORIES = TRANSLATIONS_DIR
    # Interface languages, in the order of the language switch (French is the reference).
    LANGUAGES = ["fr", "en", "de", "es", "it"]
    DEFAULT_TIMEZONE = "Europe/Paris"
    # Pattern for codes generated when an organiser leaves the session code empty.
    # {kind}: JA (training day), CN (conference), RR (network meeting); {yy}: year; {seq}: number.
    SESSION_CODE_PATTERN = "{kind}{yy}EV {seq:03d}"
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Public registration form: accepted submissions per client address (a town hall behind one
    # NAT address registers its 30 agents in a row) and per e-mail address, all servers together;
    # every submission, accepted or not, per client address (a flood guard); the private link
    # e-mailed again to an address already registered.
    REGISTRATION_RATE_LIMIT = "100 per hour"
    REGISTRATION_EMAIL_LIMIT = "5 per hour"
    REGISTRATION_POST_LIMIT = "60 per minute"
    DUPLICATE_NOTICE_LIMIT = "1 per hour"
    REMEMBER_DAYS = 14  # "stay logged in on this device" lasts this long (Flask-Login's default: 365)
    LOGIN_ACCOUNT_LIMIT = "10 per 15 minutes"  # failed passwords per account, all servers together
    PASSWORD_RESET_LIMIT = "3 per hour"  # noqa: S105 - reset e-mails per account, not a password
    PASSWORD_RESET_HOURS = 1  # a reset link works this long (and once)
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: limits fall back to per-process memory instead of failing the request.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    REDIS_URL: str | None = None
    # Links in e-mails, calendars and job results are built on BASE_URL; without it, only on a
    # request to one of TRUSTED_HOSTS (others get 400). One of them is required outside debug/testing.
    BASE_URL: str | None = None
    TRUSTED_HOSTS: list[str] | None = None
    # The demo mailbox (/manage/mailbox): shown in debug mode or when this is true (dev.py demo).
    DEMO_MAILBOX = False
    # flask-smorest / OpenAPI
    API_TITLE = "eventsys API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "info": {
            "description": "Events and their programme, for organisers. Authenticate with "
            "`Authorization: Bearer <token>` (tokens come from `flask --app eventsys api-token EMAIL`). "
            "Bodies are JSON; unknown fields are rejected (422 `validation_error`). Every error is "
            '`{"error": {"code": "<stable code>", "message": "…", "details": {…}}}`.'
        },
    }
    API_RATE_LIMIT = "300 per minute"  # per token, shared by every /api/v1 endpoint
    API_MAX_CONTENT_LENGTH = 1024 * 1024  # JSON bodies; larger ones get 413 payload_too_large
    STORAGE_DIR: str | None = None  # uploaded files waiting for confirmation; None means instance/storage
    IMPORT_MAX_BYTES = 5 * 1024 * 1024  # programme imports (CSV, XLSX, XML, JSON)
    IMPORT_JOB_ROWS = 200  # a programme import with more rows runs as a background job
    REGISTRATION_IMPORT_MAX_ROWS = 5000  # people in one registration CSV; more is refused
    REGISTRATION_IMPORT_JOB_ROWS = 200  # a registration import with more rows runs as a background job
    REGISTRATION_IMPORT_MAIL_CAP = 500  # confirmation e-mails of imports, per event and 24 hours
    # Production: HTTPS behind a proxy (HSTS, secure cookies), JSON logs, background jobs.
    PROXIES = 0  # EVENTSYS_PROXIES=1: trust one reverse proxy's X-Forwarded-For/-Proto/-Host
    HTTPS = False  # EVENTSYS_HTTPS=true: the site is served over HTTPS (secure cookies, HSTS)
    LOG_JSON: bool | None = None  # None: JSON logs except in debug/testing
    LOG_LEVEL = "INFO"
    JOBS_QUEUE = "eventsys"  # the RQ queue name (several sites can share one Redis)
    JOBS_INPROCESS: str | None = None  # no Redis: "thread" (default) or "sync" (default in testing)
    JOB_RETRIES = 3  # a failed job is tried again this many times (RQ Retry) …
    JOB_RETRY_INTERVALS = [10, 60, 300]  # … after these delays, in seconds
    JOB_TIMEOUT = 1800  # seconds before RQ kills a job
    JOB_RESULT_DAYS = 7  # finished files are kept this long
    JOB_STALE_SECONDS = 300  # a running job silent this long lost its worker: re-queued or failed
    REDIS_TIMEOUT = 2.0  # seconds to connect to Redis before falling back
