#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a FRESH database and media folder. Usage:
#   scripts/restore.sh BACKUP_DIR TARGET_DATABASE_URL TARGET_MEDIA_DIR
# PostgreSQL: the target database is created (it must not exist yet); SQLite: the target file must not exist.
# The sums are checked first; nothing existing is overwritten. Then run
#   DATABASE_URL=TARGET manage.py migrate && manage.py audit_verify
# (migrate adds what newer code needs; audit_verify proves the audit log came back whole).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 3 ] || { echo "usage: $0 BACKUP_DIR TARGET_DATABASE_URL TARGET_MEDIA_DIR" >&2; exit 2; }
src="$1" target="$2" media="$3"
umask 077

(cd "$src" && sha256sum --check --quiet SHA256SUMS)
engine="$(cat "$src/engine")"

case "$engine" in
  postgresql)
    case "$target" in postgres://*|postgresql://*) ;; *) echo "restore.sh: target must be postgres://" >&2; exit 2;; esac
    name="${target##*/}"; name="${name%%\?*}"
    server="${target%/*}/postgres"
    if [ "$(psql "$server" -tAc "select 1 from pg_database where datname = '$name'")" = "1" ]; then
      echo "restore.sh: database $name exists; restore into a fresh one" >&2
      exit 1
    fi
    psql "$server" -qc "create database \"$name\""
    pg_restore --no-owner --no-privileges --exit-on-error --dbname="$target" "$src/database.pgdump"
    ;;
  sqlite)
    file="${target#sqlite:///}"
    [ ! -e "$file" ] || { echo "restore.sh: $file exists; restore into a fresh file" >&2; exit 1; }
    cp "$src/database.sqlite3" "$file"
    ;;
  *) echo "restore.sh: unknown engine $engine" >&2; exit 1 ;;
esac

if [ -e "$media" ] && [ -n "$(ls -A "$media" 2>/dev/null)" ]; then
  echo "restore.sh: $media is not empty; restore into a fresh folder" >&2
  exit 1
fi
mkdir -p "$media"
tar -C "$media" -xzf "$src/media.tar.gz"
echo "restored $src into $target and $media"
