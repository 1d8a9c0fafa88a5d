"""What the web app holds for the dashboard: the keys of its stores, settings, thread pool and routes."""
from __future__ import annotations

from concurrent.futures import Executor

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.quiz.classes import Classes
from bot.review.accounts import Accounts
from bot.review.audit import AuditTrail
from bot.review.config import ReviewSettings
from bot.review.ratelimit import TokenBucket

ENGINE = web.AppKey("review_engine", Engine)
ACCOUNTS = web.AppKey("review_accounts", Accounts)
AUDIT = web.AppKey("review_audit", AuditTrail)
CLASSES = web.AppKey("review_classes", Classes)
OPTIONS = web.AppKey("review_options", dict)
SETTINGS = web.AppKey("review_settings", ReviewSettings)
EXECUTOR = web.AppKey("review_executor", Executor)
LOGIN_EXECUTOR = web.AppKey("review_login_executor", Executor)  # password checks only (views/login.py)
LOGIN_THROTTLE = web.AppKey("review_login_throttle", TokenBucket)
LOGINS_IN_FLIGHT = web.AppKey("review_logins_in_flight", list)  # one counter: logins being checked now
ROUTES = web.AppKey("review_routes", frozenset)  # the middlewares act on these alone: the web app is shared
