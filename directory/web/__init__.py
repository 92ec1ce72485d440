"""Web plumbing every response passes through: compression, self-hosted static assets,
security headers, error pages in the site's words, and trusted reverse proxies."""
