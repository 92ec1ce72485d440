"""Configuration for running several app instances behind nginx.

Reads need no shared state: every instance opens the same read-only database file. Writes
(suggestions and the maintainers' review) go to one writer instance, which owns the pending
queue and rebuilds the database; the readers pick the new file up on their next request.
"""

from __future__ import annotations

from pathlib import Path

#: Routes that write: suggestion forms, submission status, maintainers' login and review.
WRITER_ROUTES = r"^/(providers/new|providers/[^/]+/suggest|submissions/|review|maintainers/)"


#: MIME types of the files under /static: without them nginx sends CSS as text/plain, and
#: browsers, told "nosniff", drop it.
MIME_TYPES = {
    "text/css": "css",
    "application/javascript": "js mjs",
    "application/json": "json map",
    "image/svg+xml": "svg",
    "image/png": "png",
    "image/x-icon": "ico",
    "font/woff2": "woff2",
    "text/plain": "txt",
    "text/html": "html",
}

#: Headers on static files served by nginx, as the app sends them on its own responses.
_STATIC_HEADER_LINES = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    ),
)
STATIC_HEADERS = "\n".join(
    f'            add_header {name} "{value}" always;' for name, value in _STATIC_HEADER_LINES
)


def _mime_types() -> str:
    lines = "\n".join(f"        {kind} {extensions};" for kind, extensions in MIME_TYPES.items())
    return f"    types {{\n{lines}\n    }}"


def render_nginx_config(
    *,
    listen: str,
    readers: list[str],
    writer: str,
    static_root: Path,
    work_dir: Path,
    run_as_root: bool = False,
) -> str:
    """A complete nginx.conf: static files from disk, reads balanced, writes to the writer.

    ``readers`` and ``writer`` are ``host:port`` of gunicorn instances; ``work_dir`` holds
    nginx's pid, logs and temporary files. The access log keeps neither client addresses nor
    query strings, and its error log only critical failures (nginx writes the client's address
    and request line, with its search, into every lesser error): searches about mental health
    are sensitive. Static files get the same protective headers the app sends. nginx replaces any
    ``X-Forwarded-For`` a client sends with the address it sees, so the app (with
    ``TRUSTED_PROXIES = 1``) rate-limits each real client on its own and none can pose as another.
    """
    upstream = "\n".join(
        f"        server {address} max_fails=1 fail_timeout=2s;" for address in readers
    )
    user = "user root;\n" if run_as_root else ""
    return f"""{user}worker_processes 1;
pid {work_dir}/nginx.pid;
error_log {work_dir}/error.log crit;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {work_dir}/body;
    proxy_temp_path {work_dir}/proxy;
    fastcgi_temp_path {work_dir}/fastcgi;
    uwsgi_temp_path {work_dir}/uwsgi;
    scgi_temp_path {work_dir}/scgi;
{_mime_types()}
    default_type application/octet-stream;
    log_format private '$request_method $uri $status $body_bytes_sent $upstream_addr';
    access_log {work_dir}/access.log private;
    client_max_body_size 64k;
    gzip on;
    gzip_types application/json application/geo+json text/css application/javascript text/csv;
    upstream readers {{
{upstream}
        keepalive 16;
    }}
    upstream writer {{
        server {writer};
    }}
    server {{
        listen {listen};
        location /static/ {{
            alias {static_root}/;
            expires 7d;
            add_header Cache-Control "public" always;
{STATIC_HEADERS}
        }}
        location ~ {WRITER_ROUTES} {{
            proxy_pass http://writer;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
        location / {{
            proxy_pass http://readers;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""
