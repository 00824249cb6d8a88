#!/usr/bin/env bash
# CI: back up a PostgreSQL database holding the demo data, restore it into a fresh database, and compare the
# row count of every table; the restored audit log must verify. Needs PostgreSQL (PGHOST/PGPORT/PGUSER, or
# 127.0.0.1:5432 as postgres). Cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER
base="postgres://$PGUSER@$PGHOST:$PGPORT"
src_db="congso_bk_src_$$" dst_db="congso_bk_dst_$$"
work="$(mktemp -d)"
cleanup() {
  dropdb --if-exists "$src_db" >/dev/null 2>&1 || true
  dropdb --if-exists "$dst_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

createdb "$src_db"
export CONGSO_VAR_DIR="$work/var" DATABASE_URL="$base/$src_db"
mkdir -p "$CONGSO_VAR_DIR/media/dossiers"
echo "a scanned document" >"$CONGSO_VAR_DIR/media/dossiers/giay-to.pdf"
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py demo_load >/dev/null
.venv/bin/python manage.py shell -c "from congso.audit.chain import audit_record; [audit_record(action='backup_check', data={'i': i}) for i in range(20)]"

backup="$(scripts/backup.sh "$work/backups")"
scripts/restore.sh "$backup" "$base/$dst_db" "$work/restored-media" >/dev/null

counts() {
  psql -d "$1" -tAc "
    select table_name, (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I',
           table_schema, table_name), false, true, '')))[1]::text
    from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name"
}
counts "$src_db" >"$work/source.txt"
counts "$dst_db" >"$work/restored.txt"
if ! diff -u "$work/source.txt" "$work/restored.txt"; then
  echo "backup_check: row counts differ after restore" >&2
  exit 1
fi
tables=$(wc -l <"$work/source.txt")
rows=$(awk -F'|' '{s += $2} END {print s}' "$work/source.txt")
cmp "$CONGSO_VAR_DIR/media/dossiers/giay-to.pdf" "$work/restored-media/dossiers/giay-to.pdf"
DATABASE_URL="$base/$dst_db" .venv/bin/python manage.py audit_verify
echo "backup_check: $tables tables, $rows rows restored identically; media and audit chain intact"
