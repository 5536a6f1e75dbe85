"""Settings shared by every environment; values come from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
env.read_env(BASE_DIR / ".env")

# GENERAL
DEBUG = env.bool("DJANGO_DEBUG", default=False)
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# locale_overrides rewords Django's and allauth's own Chinese to the site's copy (您, 退出登录,
# 验证码; scripts/reword_third_party_zh.py); locale fills what Wagtail leaves untranslated.
LOCALE_PATHS = [BASE_DIR / "locale_overrides", BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
SITE_ID = 1

# DATABASES
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHES
# A real cache, never the dummy one: allauth's login rate limits count in it.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://yunfu")}
# The public pages (whole, for visitors not logged in; in fragments for those who are)
# are kept this long at most: publishing renews them at once (courses.caching). 0 turns
# the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Sessions are read from the cache and written through to the database, so a lost cache
# logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# URLS
ROOT_URLCONF = "yunfu.urls"
WSGI_APPLICATION = "yunfu.wsgi.application"

# APPS
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "csp",
]
LOCAL_APPS = [
    "yunfu",
    "sheets",
    "accounts",
    "regions",
    "courses",
    "classes",
    "learning",
    "coverage",
    "mentors",
    "matching",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["phone", "real_name", "email"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ALLAUTH: villagers sign up and log in with a mainland mobile number and a password;
# the number is confirmed by a 6-digit code sent by SMS. Email is optional. A forgotten
# password is reset by a code texted to the phone (allauth's login by code, then a new
# password: accounts.views.set_new_password).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_LOGIN_METHODS = {"phone"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "email", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"length": 6, "numeric": True, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
# An SMS can take a minute or two to arrive in a village (allauth's default is 3 minutes).
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# A class signs up together behind one village Wi-Fi or one phone hotspot: every limit
# that guards a phone number (texts sent to it, wrong passwords for it) is keyed on the
# number ("key"), and the per-address ("ip") ceilings let 60 people sign up, log in and
# verify within 10 minutes. Per session, allauth caps resends and wrong codes of each
# verification (PHONE_VERIFICATION_MAX_RESEND_COUNT, …_MAX_ATTEMPTS). A limit reached
# shows the 429 page (accounts.middleware.RateLimitedMiddleware catches the rest).
ACCOUNT_RATE_LIMITS = {
    "signup": "150/10m/ip",
    "login": "300/10m/ip",
    "login_failed": "5/5m/key,300/10m/ip",
    # Texts: one every 30 s and five an hour to one number; 150 per address in 10 minutes.
    "verify_phone": "1/30s/key,5/h/key,150/10m/ip",
    "request_login_code": "1/30s/key,5/h/key,150/10m/ip",
    "change_phone": "3/10m/user",
    # Wrong guesses at the shared password of a private page or document collection
    # (accounts.wagtail_logins).
    "page_password_failed": "20/10m/ip",
}
# Proxies of our own in front of the app (1 behind the README's nginx): every limit
# counts per client address, read from X-Forwarded-For this many entries from the right
# (accounts.client_address). 0 trusts no header: the address is the connection's own.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# allauth reads the address through our adapter; this keeps any of its own code that
# reads the header directly in agreement.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Which class sends text messages; a real provider subclasses accounts.sms.SMSBackend.
SMS_BACKEND = env("SMS_BACKEND", default="accounts.sms.LogSMSBackend")
PHONENUMBER_DEFAULT_REGION = "CN"

# ID-card numbers are matched across apps by a keyed hash; this key must stay stable
# for the life of the data (changing it orphans every stored hash).
ID_HASH_KEY = env("ID_HASH_KEY", default="dev-only-id-hash-key-change-me")

# STUDY TIME AND CLASSES
# A lesson page beats every STUDY_HEARTBEAT_SECONDS while visible; one beat credits at
# most STUDY_MAX_CREDIT_SECONDS of wall time, so a stalled or sleeping tab earns little.
STUDY_HEARTBEAT_SECONDS = env.int("STUDY_HEARTBEAT_SECONDS", default=30)
STUDY_MAX_CREDIT_SECONDS = env.int("STUDY_MAX_CREDIT_SECONDS", default=60)
# A class's QR check-in link works from this long before the start to after the end.
CLASS_CHECKIN_MARGIN_MINUTES = env.int("CLASS_CHECKIN_MARGIN_MINUTES", default=30)

# COVERAGE (the 50% figure; see DESIGN.md)
# 劳动技能 values that count as labour capacity, and 务工状况 values that mark a migrant
# (working outside the county), in the national system's words (coverage.vocabulary);
# a system check refuses any other spelling.
COVERAGE_CAPACITY_CATEGORIES = env.list(
    "COVERAGE_CAPACITY_CATEGORIES", default=["技能劳动力", "普通劳动力", "弱劳动力或半劳动力"]
)
COVERAGE_MIGRANT_STATUSES = env.list(
    "COVERAGE_MIGRANT_STATUSES", default=["县外省内务工", "省外务工"]
)
# The poverty-alleviation plan's period (2018–2020): the report's default period, and
# the years its period presets offer.
COVERAGE_PLAN_START = env.str("COVERAGE_PLAN_START", default="2018-01-01")
COVERAGE_PLAN_END = env.str("COVERAGE_PLAN_END", default="2020-12-31")
# A period's dates lie within this many years of the plan's (or of this year, when later):
# anything further, like 0001-01-01 – 9999-12-31, is refused as a typing slip.
COVERAGE_PERIOD_MARGIN_YEARS = env.int("COVERAGE_PERIOD_MARGIN_YEARS", default=5)
# The share of the eligible registry that training must reach (DESIGN.md: 50%), as a
# decimal string so the report compares exact fractions.
COVERAGE_TARGET = env.str("COVERAGE_TARGET", default="0.5")
# Fernet keys for registry members' full ID numbers: the first encrypts, all decrypt.
REGISTRY_ENCRYPTION_KEYS = env.list(
    "REGISTRY_ENCRYPTION_KEYS", default=["ZGV2LW9ubHkta2V5LWZvci1yZWdpc3RyeS1pZHMtMDA="]
)

# MIDDLEWARE
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yunfu.middleware.ContentSecurityPolicyMiddleware",
    # A NUL or other control character in the address is a 400, before any view.
    "yunfu.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RateLimitedMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: it needs the user and the messages, and every middleware above still sees a
    # page from the cache on its way out.
    "courses.caching.AnonymousPageCacheMiddleware",
]

# STATIC AND MEDIA
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded sheets (the registry, sign-in sheets) hold ID-card and phone numbers: they are
# kept outside MEDIA_ROOT, encrypted, never served, and deleted once imported unless
# KEEP_IMPORTED_FILES says to keep them.
PRIVATE_UPLOAD_ROOT = env.path("PRIVATE_UPLOAD_ROOT", default=BASE_DIR / "private")
KEEP_IMPORTED_FILES = env.bool("KEEP_IMPORTED_FILES", default=False)
# An upload waiting this long with no task at work on it has its task queued again
# (sheets.reaping); after twice the task time limit it is failed with a reason.
SHEETS_REQUEUE_AFTER_MINUTES = env.int("SHEETS_REQUEUE_AFTER_MINUTES", default=10)
# What a sheet upload or import may hold; a file beyond any of these is refused with a
# message naming the limit, before it can fill a worker's memory. The registry comes one
# county per file (benchmark_coverage models the whole city as 60,000 members), and no
# sheet needs a cell longer than an expert's introduction. An XLSX is a zip whose parts
# may unpack to SHEETS_MAX_UNCOMPRESSED_BYTES together (100,000 registry rows written
# with inline strings unpack to ~150 MB).
SHEETS_MAX_UPLOAD_BYTES = env.int("SHEETS_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
SHEETS_MAX_UNCOMPRESSED_BYTES = env.int("SHEETS_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024)
SHEETS_MAX_ROWS = env.int("SHEETS_MAX_ROWS", default=100_000)
SHEETS_MAX_COLUMNS = env.int("SHEETS_MAX_COLUMNS", default=256)
SHEETS_MAX_CELL_CHARS = env.int("SHEETS_MAX_CELL_CHARS", default=5_000)
# Filled cells of a whole sheet: 100,000 rows of the national export's 26 columns fit.
SHEETS_MAX_CELLS = env.int("SHEETS_MAX_CELLS", default=3_000_000)
# A refused file's report lists this many problems and counts the rest.
SHEETS_MAX_ERRORS_KEPT = env.int("SHEETS_MAX_ERRORS_KEPT", default=200)
# Without a Celery broker the check runs inside the upload's request; beyond this size
# a file is refused there rather than tie up (or kill) a web worker.
SHEETS_INLINE_MAX_BYTES = env.int("SHEETS_INLINE_MAX_BYTES", default=1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# TEMPLATES
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's templates override the apps' (allauth's layout among them).
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SECURITY
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the heartbeat script reads the CSRF token
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview runs in an iframe
# Content-Security-Policy (django-csp): scripts come only from the site's own files, so an
# injected <script> or onclick never runs. Styles may be inline: the report's bars and a
# lesson's responsive video frame set their size in a style attribute, and CSS runs no
# code. Lessons frame videos from Bilibili (courses.embeds) and the video sites Wagtail's
# oEmbed finder knows. Documents are files, not pages: a PDF opens in the browser's viewer,
# which object-src 'none' would block.
VIDEO_FRAME_SOURCES = [
    "https://player.bilibili.com",
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/documents/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "frame-src": [SELF, *VIDEO_FRAME_SOURCES],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Wagtail's admin (/cms/) still writes inline scripts (inline panels, date pickers), shows
# an upload before it is saved (blob:, data:), asks releases.wagtail.org for a new version
# and gravatar.com for faces: its own policy (yunfu.middleware).
CMS_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": CONTENT_SECURITY_POLICY["DIRECTIVES"]
    | {
        "script-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", "https://www.gravatar.com"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF, "https://releases.wagtail.org"],
    },
}

# CELERY
# Without a broker the tasks run in-process, so one machine needs no other service.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Long tasks are acknowledged when done, so a worker that dies leaves them to another.
# Redis hands an unacknowledged task out again after the visibility timeout, which must
# exceed the longest task or a task still running would be started twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT}
# When Redis goes away mid-task, a task running with late acknowledgement cannot be
# acknowledged on the lost connection: without this the worker crashed for good
# ("Unrecoverable error: AttributeError ... 'hostname'"). With it the task is cancelled,
# Redis gives it out again, and the worker reconnects, retrying for as long as it takes.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A worker child that has grown past this (KiB) is replaced after its task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=600_000)
# Texts go to a queue of their own with its own worker, so a long import never holds
# back a verification code.
CELERY_TASK_ROUTES = {"accounts.tasks.send_sms_task": {"queue": "sms"}}
# Events would copy each task's arguments into Redis for monitors; nobody here reads them.
CELERY_WORKER_SEND_TASK_EVENTS = env.bool("CELERY_WORKER_SEND_TASK_EVENTS", default=False)
CELERY_TASK_SEND_SENT_EVENT = env.bool("CELERY_TASK_SEND_SENT_EVENT", default=False)
# `celery -A yunfu beat` runs these; times are CELERY_TIMEZONE's.
CELERY_BEAT_SCHEDULE = {
    "flag-quiet-mentoring-groups": {
        "task": "matching.tasks.flag_quiet_groups_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Uploads and matching runs whose task was lost (a worker killed, Redis emptied)
    # are started again, or failed with a reason, so nothing waits forever.
    "reap-stuck-uploads": {
        "task": "sheets.tasks.reap_stuck_uploads_task",
        "schedule": crontab(minute="*/5"),
    },
    "reap-stuck-matching-runs": {
        "task": "matching.tasks.reap_stuck_runs_task",
        "schedule": crontab(minute="*/5"),
    },
}

# CMS SPREADSHEET EXPORTS: a CSV streams however long; an XLSX is written whole before
# its first byte, so one of more rows than this is refused with a link to the CSV
# (30,000 entrepreneurs take 16–24 s on PostgreSQL, against gunicorn's 30 s timeout).
EXPORT_XLSX_MAX_ROWS = env.int("EXPORT_XLSX_MAX_ROWS", default=10_000)

# MENTORING: a member who has not met their mentor for this many days (counted from
# when they joined if never) flags their group yellow, then red.
MENTORING_YELLOW_DAYS = env.int("MENTORING_YELLOW_DAYS", default=45)
MENTORING_RED_DAYS = env.int("MENTORING_RED_DAYS", default=60)
# A coordinator may text a quiet group's expert (提醒) once in this many hours.
MENTORING_REMINDER_HOURS = env.int("MENTORING_REMINDER_HOURS", default=24)
# Up to this many entrepreneur-expert pairs a matching run holds every score (8 bytes
# each) and solves exactly; beyond, it scores on demand and prunes to candidate lists.
MATCHING_DENSE_PAIRS = env.int("MATCHING_DENSE_PAIRS", default=20_000_000)
# Beyond that, a run may stop once its certified gap (1 - total / upper bound) is this
# small; 0 runs until it proves its assignment optimal.
MATCHING_MAX_GAP = env.float("MATCHING_MAX_GAP", default=0.001)
# Balanced runs (均衡分配): an expert's k-th entrepreneur costs this × (k - 1) × the largest
# score a pair can reach (the sum of the weights), so a 6th mentee costs 0.1 of a perfect
# pair. On synthetic data this takes the busiest expert from 104 to 29 mentees and leaves
# nobody idle, for about 6% of the total score. 0 switches balancing off.
MATCHING_BALANCE_PENALTY = env.float("MATCHING_BALANCE_PENALTY", default=0.02)

# WAGTAIL
WAGTAIL_SITE_NAME = _("Yunfu Rural E-commerce Training")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# Every login goes through allauth's, with its limits: Wagtail's own login pages only
# redirect there (accounts.wagtail_logins).
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Course handouts, plus the video formats phones play in <video> (the uploaded-video block).
WAGTAILDOCS_EXTENSIONS = [
    *["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "zip"],
    *["mp4", "m4v", "webm"],
]
# Wagtail's oEmbed list knows no Chinese video site; courses.embeds adds Bilibili.
WAGTAILEMBEDS_FINDERS = [
    {"class": "courses.embeds"},
    {"class": "wagtail.embeds.finders.oembed"},
]
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = True

# LOGGING
# The SMS backend logs messages at INFO; ID-card numbers never reach a log record.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail logs two INFO lines per saved object from its reference-index task.
        "django_tasks": {"level": "WARNING"},
    },
}
