#!/usr/bin/env bash
# Sets everything up and serves Gyakusan on the embedded default: SQLite and the in-memory
# channel layer, in one daphne process. Participants on the same network join at the printed
# address. PORT (default 8000) and ALLOWED_HOSTS can be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

port="${PORT:-8000}"
mkdir -p var
# A secret key made once for this machine and kept out of git.
[ -s var/secret_key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
lan_ips=$(hostname -I 2>/dev/null || true)
hosts="localhost,127.0.0.1,[::1]"
for ip in $lan_ips; do hosts="$hosts,$ip"; done

export DEBUG=false
export SECRET_KEY="${SECRET_KEY:-$(cat var/secret_key)}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-$hosts}"
# The QR code and the links to share point where the other devices in the room can reach.
first_lan_ip=""
for ip in $lan_ips; do case "$ip" in *:*) ;; *) first_lan_ip="$ip"; break ;; esac; done
[ -n "$first_lan_ip" ] && export PUBLIC_URL="${PUBLIC_URL:-http://$first_lan_ip:$port}"
.venv/bin/python manage.py collectstatic --noinput -v0

printf '\n  Gyakusan is running. Open http://127.0.0.1:%s/ in your browser.\n' "$port"
for ip in $lan_ips; do
  case "$ip" in *:*) ;; *) printf '  Participants on this network join at http://%s:%s/join/\n' "$ip" "$port" ;; esac
done
printf '  Stop with Ctrl+C.\n\n'
# daphne through workshop.server: the same server, with the secret links masked in its access log.
exec .venv/bin/python -m workshop.server -b 0.0.0.0 -p "$port" workshop.asgi:application
