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

# Build the database when it is missing or older than anything in data/.
ensure_database() {
  local db="${DIRECTORY_DATABASE:-$ROOT/instance/directory.db}"
  if [ ! -f "$db" ] || [ -n "$(find "$ROOT/data" -newer "$db" -print -quit)" ]; then
    flask --app directory build
  fi
}
