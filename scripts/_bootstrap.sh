# Shared set-up for the scripts: a virtual environment with the project installed.
# Sourced, not run. Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
EXTRAS="${EXTRAS:-}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "setting up $VENV" >&2
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
  echo "installing the project into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".${EXTRAS:+[$EXTRAS]}" >&2
  touch "$stamp"
fi
export PATH="$VENV/bin:$PATH"
export FLASK_APP=directory

# Build the database when it is missing, older than anything in data/, or of an older schema.
ensure_database() {
  flask --app directory build --if-stale
}

# Install Debian packages the tests need (a real browser, a real load balancer) when missing.
# Usage: ensure_debian_packages COMMAND=PACKAGE ...  (e.g. /usr/bin/chromium=chromium)
ensure_debian_packages() {
  local wanted=() pair
  for pair in "$@"; do
    [ -x "${pair%%=*}" ] || command -v "${pair%%=*}" >/dev/null 2>&1 || wanted+=("${pair#*=}")
  done
  [ ${#wanted[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian packages: ${wanted[*]}" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${wanted[@]}" >&2
}
