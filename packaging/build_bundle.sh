#!/usr/bin/env bash
# Build Atelier's one-folder bundle with PyInstaller (Linux, CPU torch), then check it:
#   packaging/build_bundle.sh [OUT_DIR]        (default: /tmp/atelier-bundle)
# It makes its own virtual environment (torch first, then Atelier and PyInstaller), so the
# checkout's .venv is untouched. The bundle is OUT_DIR/dist/atelier/; the checks run it
# from an empty folder with a clean environment (no PYTHONPATH, no venv on the PATH) and,
# where xvfb-run exists, open the window on a virtual screen and save a screenshot.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-/tmp/atelier-bundle}"
PY=${PYTHON:-python3}
mkdir -p "$OUT"
start=$(date +%s)
if [ ! -x "$OUT/venv/bin/python" ]; then
  "$PY" -m venv "$OUT/venv"
  "$OUT/venv/bin/python" -m pip install --quiet --upgrade pip
  "$OUT/venv/bin/python" -m pip install --quiet "torch==2.13.0"
fi
"$OUT/venv/bin/python" -m pip install --quiet "$ROOT" "pyinstaller>=6.10"
echo "bundle: environment ready after $(( $(date +%s) - start )) s" >&2
"$OUT/venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work" "$ROOT/packaging/atelier.spec"
built=$(date +%s)
BIN="$OUT/dist/atelier/atelier"
size=$(du -sm "$OUT/dist/atelier" | cut -f1)
echo "bundle: built in $(( built - start )) s, $size MB in $OUT/dist/atelier" >&2

# The checks: from an empty folder, with nothing of this machine's Python in reach.
check=$(mktemp -d)
cd "$check"
run() { env -i HOME="$check/home" PATH=/usr/bin:/bin LANG=C.UTF-8 ATELIER_STUDIO="$check/studio" \
          ATELIER_CONFIG="$check/config" ATELIER_CACHE="$check/cache" "$@"; }
run "$BIN" --version
run "$BIN" interpret --json "smile a bit more" > interpret.json
run "$BIN" models --json > models.json
run "$BIN" board new smoke > /dev/null
run "$BIN" generate --board smoke --prompt "a model in a red coat" --model demo --steps 2 \
    --size 64x64 --json > generate.json
echo "bundle: interpret, models, board new and generate ran from the bundle" >&2
if command -v xvfb-run > /dev/null; then
  run xvfb-run -a -s "-screen 0 1920x1080x24" "$BIN" --screenshot "$OUT/bundle-window.png"
  echo "bundle: the window opened under Xvfb; screenshot $OUT/bundle-window.png" >&2
else
  echo "bundle: xvfb-run not found; window not checked" >&2
fi
printf '{"build_seconds": %d, "size_mb": %d, "bundle": "%s"}\n' "$(( built - start ))" "$size" "$OUT/dist/atelier"
