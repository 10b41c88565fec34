# Sourced by scripts/test.sh and benchmarks/run.sh: installs PostgreSQL, Redis and Chromium
# from the system's packages when missing, starts a throwaway PostgreSQL cluster and Redis on
# free loopback ports, exports DATABASE_URL/REDIS_URL/CELERY_BROKER_URL and removes it all on
# exit. Expects $root (the project) and $bin (its virtualenv's bin) to be set.
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"

log() { printf '\n== %s\n' "$*"; }

# --- 1. system packages ---------------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
missing=()
[ -n "$(pg_bin)" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing from the system's packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
PG_BIN=$(pg_bin)

# --- 2. throwaway servers -------------------------------------------------------------------
work=$(mktemp -d /tmp/channelhub-test.XXXXXX)
chmod 755 "$work"
free_port() { "$bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root: its files and process belong to the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  set +e
  [ -f "$work/pg/data/postmaster.pid" ] && "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1
  # ours, and any an xdist worker of the suite started and could not stop (tests/parallel.py)
  for pidfile in "$work"/redis.pid "$work"/redis-gw*/redis.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

pg_port=$(free_port)
mkdir "$work/pg"
[ ${#as_pg[@]} -eq 0 ] || chown postgres "$work/pg"
# $work/pg belongs to the server's user: data directory, log and socket all live in it.
"${as_pg[@]}" "$PG_BIN/initdb" -D "$work/pg/data" -U channelhub --auth=trust -E UTF8 \
  >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; exit 1; }
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$work/pg/server.log"; exit 1; }
"$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U channelhub channelhub

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log"
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://channelhub@127.0.0.1:$pg_port/channelhub"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
export CELERY_BROKER_URL="redis://127.0.0.1:$redis_port/1"
export SECRET_KEY="throwaway-test-key-$(date +%s%N)"
export DJANGO_DEBUG=0
export ALLOWED_HOSTS="127.0.0.1,localhost,testserver"
export STATIC_ROOT="$work/static" MEDIA_ROOT="$work/media" CHANNELHUB_VAR_DIR="$work/var"
export SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export CHROMIUM_PATH=/usr/bin/chromium
export TEST_REDIS_DIR="$work"  # where Redis keeps its pidfile and log (tests/jobs restart it)
export PATH="$bin:$PATH"
echo "PostgreSQL on :$pg_port, Redis on :$redis_port, scratch in $work"

