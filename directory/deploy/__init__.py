"""Running the app in production: gunicorn's settings and the nginx configuration for several
instances behind one load balancer."""
