"""Gunicorn settings for ./scripts/serve: two workers, an access log without query strings."""

from __future__ import annotations

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
keepalive = 5
timeout = 30
graceful_timeout = 10
# Searches about mental health are sensitive: log neither the client address nor the query.
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms'
