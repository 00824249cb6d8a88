#!/usr/bin/env bash
# Back up congso: the database (PostgreSQL: pg_dump custom format; SQLite: an online copy) and the media
# files (a tar), into one dated folder with SHA-256 sums. Usage:
#   scripts/backup.sh [DEST_DIR]            (default: $CONGSO_BACKUP_DIR or var/backups)
# Reads DATABASE_URL and CONGSO_MEDIA_ROOT / CONGSO_VAR_DIR like the application. Keeps the last
# $CONGSO_BACKUP_KEEP backups (default 14). Prints the folder it wrote. See docs/backup.md.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077  # backups hold personal data: readable by the service account only

var_dir="${CONGSO_VAR_DIR:-var}"
media_root="${CONGSO_MEDIA_ROOT:-$var_dir/media}"
dest_root="${1:-${CONGSO_BACKUP_DIR:-$var_dir/backups}}"
keep="${CONGSO_BACKUP_KEEP:-14}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dest="$dest_root/congso-$stamp"
mkdir -p "$dest"

url="${DATABASE_URL:-}"
case "$url" in
  postgres://*|postgresql://*)
    # Custom format: compressed, restorable table by table, into a database of another name.
    pg_dump --format=custom --no-owner --no-privileges --file="$dest/database.pgdump" "$url"
    echo "postgresql" >"$dest/engine"
    ;;
  ""|sqlite://*)
    db="${url#sqlite:///}"
    [ -n "$url" ] || db="$var_dir/congso.sqlite3"
    # SQLite's online backup API: a consistent copy while the site runs (WAL included).
    .venv/bin/python - "$db" "$dest/database.sqlite3" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
source.close(); target.close()
PY
    echo "sqlite" >"$dest/engine"
    ;;
  *)
    echo "backup.sh: unsupported DATABASE_URL scheme: ${url%%:*}" >&2
    exit 2
    ;;
esac

if [ -d "$media_root" ]; then
  tar -C "$media_root" -czf "$dest/media.tar.gz" .
else
  tar -czf "$dest/media.tar.gz" --files-from /dev/null
fi
(cd "$dest" && sha256sum -- * >SHA256SUMS)

# Rotation: the newest $keep backups stay.
ls -1d "$dest_root"/congso-* 2>/dev/null | sort | head -n -"$keep" | while read -r old; do
  rm -rf -- "$old"
done
echo "$dest"
