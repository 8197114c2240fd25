#!/usr/bin/env bash
# Executes every notebook in notebooks/ top to bottom against a quickstart's output folder,
# failing on the first cell that raises:
#
#   .ci/notebooks.sh DEMO_DIR [OUT_DIR]
#
# DEMO_DIR holds run/, baseline/, scores/ and samples/ (jobs/quickstart.sh's layout); the
# notebooks read them through TASN_DEMO_DIR. The executed copies (with their outputs) go to
# OUT_DIR (default target/notebooks); the notebooks in notebooks/ stay without outputs.
# Installs Debian's jupyter, nbconvert, pandas and matplotlib first when they are missing
# (needs root or sudo).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-}" in
  -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
  "") echo "notebooks.sh: give the demo folder: .ci/notebooks.sh DEMO_DIR [OUT_DIR] (see --help)" >&2; exit 2 ;;
esac
[[ $# -le 2 ]] || { echo "notebooks.sh: too many arguments (see --help)" >&2; exit 2; }
[[ -d "$1" ]] || { echo "notebooks.sh: $1 is not a folder: run jobs/quickstart.sh --output $1 first" >&2; exit 2; }
DEMO="$(cd "$1" && pwd)"
OUT="${2:-$ROOT/target/notebooks}"

# Debian's packages live in /usr/bin/python3: put it first, ahead of any pyenv or venv python.
export PATH="/usr/bin:$PATH"
packages_present() {
  command -v jupyter >/dev/null && jupyter nbconvert --version >/dev/null 2>&1 \
    && /usr/bin/python3 -c 'import pandas, matplotlib, ipykernel' 2>/dev/null
}
if ! packages_present; then
  echo "notebooks.sh: installing jupyter, nbconvert, pandas, matplotlib (Debian packages)" >&2
  SUDO=""; [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q jupyter python3-nbconvert python3-ipykernel \
    python3-pandas python3-matplotlib >&2
  packages_present || { echo "notebooks.sh: jupyter, pandas or matplotlib still missing after apt-get" >&2; exit 1; }
fi

mkdir -p "$OUT"
export TASN_DEMO_DIR="$DEMO" PYDEVD_DISABLE_FILE_VALIDATION=1
status=0
for notebook in "$ROOT"/notebooks/*.ipynb; do
  name="$(basename "$notebook")"
  echo "== $name against $DEMO"
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
       --ExecutePreprocessor.kernel_name=python3 --output-dir "$OUT" "$notebook"; then
    echo "   ok: $OUT/$name"
  else
    echo "notebooks.sh: $name failed (the error is above)" >&2
    status=1
  fi
done
exit $status
