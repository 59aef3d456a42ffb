#!/usr/bin/env bash
# Load benchmark: `syndic serve` against nginx serving the same feeds built by `syndic build`.
#
# Usage:
#   scripts/load.sh [--config PATH] [--path FEED] [--duration 10s] [--connections 64]
#                   [--threads 2] [--warmup 2] [--nginx-port 18481] [--start-timeout 300]
#                   [--build-timeout 900] [--raw]
#
#   --config PATH       corpus configuration (default: the repository's sample, ./config.toml
#                       with content/); e.g. one made by
#                       `cargo run --release --example gen-corpus -- /tmp/c10k 10000`
#   --path FEED         document of the feed tree to request (default en.atom), served by both
#                       at /feeds/FEED
#   --duration D        length of each measured wrk run (wrk syntax: 10s, 1m; default 10s)
#   --connections N     wrk connections (default 64); --threads N: wrk threads (default 2)
#   --warmup S          seconds of unmeasured wrk load before each measured run (default 2; 0: none)
#   --nginx-port N      first port tried for nginx (default 18481; the next free one is used)
#   --start-timeout S   how long syndic may take to load, listen and compress (default 300)
#   --build-timeout S   how long `syndic build` of the static tree may take (default 900)
#   --raw               also print wrk's own output for each run
#
# What it does: installs wrk and nginx from Debian packages if they are missing, builds syndic
# (`cargo build --release`), writes the static tree with `syndic build` into a temporary folder
# and serves it with nginx (2 workers, sendfile, gzip_static: the prebuilt .gz files, no
# compression per request, no access log), and starts `syndic serve` on the same corpus (request
# logging off). Both listen on 127.0.0.1 only; nothing else is ever a target. For the same
# document it then measures, with wrk, two cases on each server:
#   200  a full answer with `Accept-Encoding: gzip` (the precompressed body);
#   304  a revalidation: `If-None-Match: <the gzip ETag that server gave>` with
#        `Accept-Encoding: gzip`, as a feed reader polling an unchanged feed sends it.
# Before each run curl checks that the server answers what the case expects (status, and
# Content-Encoding: gzip for 200) and the script stops with a message if not. It prints
# requests/s, latency p50 and p99 (wrk --latency) and transfer/s, per server and case.
#
# The machine has 2 cores, shared by wrk and the server under test (and the idle other server):
# the figures are not absolute capacity, only a comparison of the two servers side by side in
# one run, on one machine, under the same client. Compare figures from the same run, and only
# when the machine was otherwise idle: the script measures how busy it is before the runs
# (servers idle), prints it with the table and warns above 15%.
#
# Size: the static tree is written under /tmp. The sample corpus gives 6 MB; a 10,000-post
# corpus about 5 GB (3.2 GB of documents plus .gz and .br, archives included) and takes a few
# minutes to write, and `syndic serve` needs about 1.5 minutes there to compress everything.
#
# Everything is bounded: wrk runs last --duration (with a hard timeout above it), every wait has
# a timeout, and on exit (normal, error or Ctrl-C) both servers are stopped and the temporary
# folder is removed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST=127.0.0.1 # loopback only: never change this to another address

CONFIG="$ROOT/config.toml"
FEED=en.atom
DURATION=10s
CONNECTIONS=64
THREADS=2
WARMUP=2
NGINX_PORT=18481
START_TIMEOUT=300
BUILD_TIMEOUT=900
RAW=0

die() {
  echo "load.sh: $*" >&2
  exit 1
}
warn() { echo "load.sh: warning: $*" >&2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    --config) CONFIG=${2:?--config needs a path}; shift 2 ;;
    --path) FEED=${2:?--path needs a feed path}; shift 2 ;;
    --duration) DURATION=${2:?--duration needs a value}; shift 2 ;;
    --connections) CONNECTIONS=${2:?--connections needs a number}; shift 2 ;;
    --threads) THREADS=${2:?--threads needs a number}; shift 2 ;;
    --warmup) WARMUP=${2:?--warmup needs seconds}; shift 2 ;;
    --nginx-port) NGINX_PORT=${2:?--nginx-port needs a port}; shift 2 ;;
    --start-timeout) START_TIMEOUT=${2:?--start-timeout needs seconds}; shift 2 ;;
    --build-timeout) BUILD_TIMEOUT=${2:?--build-timeout needs seconds}; shift 2 ;;
    --raw) RAW=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

[[ $CONNECTIONS =~ ^[0-9]+$ && $THREADS =~ ^[0-9]+$ && $CONNECTIONS -ge $THREADS && $THREADS -ge 1 ]] ||
  die "--connections and --threads must be whole numbers, connections >= threads >= 1"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "--warmup must be whole seconds"
[[ $START_TIMEOUT =~ ^[0-9]+$ && $BUILD_TIMEOUT =~ ^[0-9]+$ ]] || die "--start-timeout and --build-timeout must be whole seconds"
[[ $NGINX_PORT =~ ^[0-9]+$ && $NGINX_PORT -ge 1024 && $NGINX_PORT -lt 65000 ]] || die "--nginx-port must be 1024..64999"
# wrk duration in seconds, for the hard timeout around it.
case "$DURATION" in
  *[0-9]s) DUR_S=${DURATION%s} ;;
  *[0-9]m) DUR_S=$((${DURATION%m} * 60)) ;;
  *[0-9]) DUR_S=$DURATION ;;
  *) die "--duration: use e.g. 10s, 30, 1m" ;;
esac
[[ $DUR_S =~ ^[0-9]+$ && $DUR_S -ge 1 && $DUR_S -le 3600 ]] || die "--duration must be 1s..1h"
FEED=${FEED#/}
FEED=${FEED#feeds/}
[[ -n $FEED && $FEED != *..* && $FEED =~ ^[A-Za-z0-9._/-]+$ ]] || die "--path: a document of the feed tree, such as en.atom"
[[ -f $CONFIG ]] || die "no configuration at $CONFIG"
CONFIG=$(realpath "$CONFIG")

# --- 1. tools -----------------------------------------------------------------------------
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
if ((${#need[@]})); then
  echo "installing ${need[*]} (Debian packages)"
  ((EUID == 0)) || die "${need[*]} missing and not root: apt-get install -y ${need[*]}"
  timeout 600 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v curl >/dev/null 2>&1 || die "curl is required"

echo "building syndic (cargo build --release)"
(cd "$ROOT" && timeout 1800 cargo build --release --quiet) || die "cargo build --release failed"
SYNDIC="$ROOT/target/release/syndic"

# --- 2. temporary folder, cleanup ---------------------------------------------------------
TMP=$(mktemp -d /tmp/syndic-load.XXXXXX)
NGINX_PID=
SYNDIC_PID=
CHILD=
# run_child CMD...: runs CMD in the background and waits for it, so that a signal to this script
# is acted on at once (bash defers traps while a foreground command runs) and stops CMD too.
run_child() {
  local rc=0
  "$@" &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=
  return "$rc"
}
stop() { # stop PID, politely then not, bounded
  local pid=$1 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 120; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop "$CHILD"
  stop "$SYNDIC_PID"
  stop "$NGINX_PID"
  wait 2>/dev/null || true
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# --- 3a. static tree and nginx ------------------------------------------------------------
echo "corpus: $CONFIG"
echo "building the static tree (syndic build)"
SYNDIC_LOG=warn run_child timeout "$BUILD_TIMEOUT" "$SYNDIC" --config "$CONFIG" build --out "$TMP/tree" >"$TMP/build.out" 2>"$TMP/build.err" ||
  { cat "$TMP/build.err" >&2; die "syndic build failed or took over ${BUILD_TIMEOUT}s"; }
sed 's/^/  /' "$TMP/build.out"
# A big tree leaves gigabytes of dirty pages: write them out now, not during the measurements.
run_child timeout 600 sync || warn "sync did not finish in 600s"
[[ -f $TMP/tree/$FEED && -f $TMP/tree/$FEED.gz ]] || die "the built tree has no $FEED (or no $FEED.gz): choose another --path"

for ((p = NGINX_PORT; p < NGINX_PORT + 50; p++)); do
  if port_free "$p"; then NGINX_PORT=$p; break; fi
done
port_free "$NGINX_PORT" || die "no free port from $NGINX_PORT"
mkdir -p "$TMP/nginx"
user_line=""
((EUID == 0)) && user_line="user root;" # workers must read $TMP (mode 700)
cat >"$TMP/nginx/nginx.conf" <<EOF
# Written by scripts/load.sh: the static feed tree, precompressed, as plainly as nginx serves it.
$user_line
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  server_tokens off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  types {
    application/atom+xml  atom;
    application/rss+xml   rss;
    application/feed+json json;
    text/x-opml           opml;
    text/html             html;
  }
  default_type application/octet-stream;
  charset utf-8;
  charset_types application/atom+xml application/rss+xml application/feed+json text/x-opml;
  gzip off;
  gzip_static on;
  gzip_vary on;
  etag on;
  server {
    listen $HOST:$NGINX_PORT;
    root $TMP/tree;
    location /feeds/ {
      alias $TMP/tree/;
      index index.html;
    }
  }
}
EOF
"$NGINX" -t -q -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" ||
  die "nginx rejects the configuration (see above)"
"$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' \
  >"$TMP/nginx/stdout" 2>&1 &
NGINX_PID=$!
NGINX_URL="http://$HOST:$NGINX_PORT"
for ((i = 0; i < 100; i++)); do
  curl -fsS -o /dev/null --max-time 1 "$NGINX_URL/feeds/$FEED" 2>/dev/null && break
  kill -0 "$NGINX_PID" 2>/dev/null || { cat "$TMP/nginx/error.log" >&2; die "nginx exited"; }
  sleep 0.1
done
curl -fsS -o /dev/null --max-time 2 "$NGINX_URL/feeds/$FEED" || die "nginx does not answer on $NGINX_URL"
echo "nginx:  $NGINX_URL/feeds/ (pid $NGINX_PID)"

# --- 3b. syndic serve ---------------------------------------------------------------------
# Request logs off (they are info-level events of syndic::http), but the lines that say the
# server is ready (`snapshot built`, `every document compressed`, info-level events of the
# binary) kept: plain `SYNDIC_LOG=warn` would hide the compression line this script waits for.
echo "starting syndic serve (loading the corpus; up to ${START_TIMEOUT}s)"
SYNDIC_LOG='warn,syndic=info,syndic::http=warn' \
  "$SYNDIC" --config "$CONFIG" serve --listen "$HOST:0" >"$TMP/syndic.out" 2>"$TMP/syndic.err" &
SYNDIC_PID=$!
started=$SECONDS
wait_for() { # wait_for FILE REGEX WHAT: until FILE matches, syndic alive, within the start timeout
  while ! grep -qE "$2" "$1" 2>/dev/null; do
    kill -0 "$SYNDIC_PID" 2>/dev/null || { tail -20 "$TMP/syndic.err" >&2; die "syndic exited before $3"; }
    ((SECONDS - started < START_TIMEOUT)) || { tail -20 "$TMP/syndic.err" >&2; die "timed out (${START_TIMEOUT}s) waiting for $3"; }
    sleep 0.2
  done
}
wait_for "$TMP/syndic.out" 'listening on http://' "'listening on'"
SYNDIC_URL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$TMP/syndic.out" | head -1)
[[ $SYNDIC_URL == "http://$HOST:"* ]] || die "syndic listens somewhere unexpected: $SYNDIC_URL"
until curl -fsS -o /dev/null --max-time 2 "$SYNDIC_URL/healthz" 2>/dev/null; do
  kill -0 "$SYNDIC_PID" 2>/dev/null || die "syndic exited"
  ((SECONDS - started < START_TIMEOUT)) || die "timed out waiting for $SYNDIC_URL/healthz"
  sleep 0.2
done
echo "syndic: $SYNDIC_URL/feeds/ (pid $SYNDIC_PID), listening after $((SECONDS - started))s"
wait_for "$TMP/syndic.err" 'every document compressed' "'every document compressed'"
echo "syndic: every document compressed after $((SECONDS - started))s"
echo "  $(curl -fsS --max-time 2 "$SYNDIC_URL/healthz")"

# --- 4. checks and runs -------------------------------------------------------------------
# head URL [curl headers...] -> response headers, lower-cased names, no CR, in $TMP/head
head_of() {
  local url=$1
  shift
  : >"$TMP/body" # curl writes no file for an empty body
  curl -sS --max-time 5 -o "$TMP/body" -D - "$@" "$url" | tr -d '\r' |
    awk 'BEGIN{FS=OFS=":"} /^HTTP\//{print; next} NF>1{ $1=tolower($1); print }' >"$TMP/head"
}
header() { # header NAME -> value from $TMP/head (last one)
  awk -v n="$1" -F': *' 'tolower($1)==n { sub(/^[^:]*: */, ""); v=$0 } END { print v }' "$TMP/head"
}
status() { awk '/^HTTP\//{ s=$2 } END { print s }' "$TMP/head"; }

declare -A ETAG
check_200() { # check_200 NAME URL
  head_of "$2" -H 'Accept-Encoding: gzip'
  local st ce
  st=$(status)
  ce=$(header content-encoding)
  [[ $st == 200 ]] || { cat "$TMP/head" >&2; die "$1: GET $2 with Accept-Encoding: gzip answered $st, expected 200"; }
  [[ $ce == gzip ]] || { cat "$TMP/head" >&2; die "$1: GET $2 with Accept-Encoding: gzip has Content-Encoding '${ce}', expected gzip"; }
  ETAG[$1]=$(header etag)
  [[ -n ${ETAG[$1]} ]] || { cat "$TMP/head" >&2; die "$1: no ETag on the gzip answer"; }
  gzip -t "$TMP/body" 2>/dev/null || die "$1: the gzip body does not decompress"
  local len size
  len=$(header content-length)
  size=$(stat -c %s "$TMP/body")
  [[ -z $len || $len == "$size" ]] || warn "$1: Content-Length $len but $size bytes received"
  for h in vary content-type; do
    [[ -n $(header "$h") ]] || warn "$1: 200 without ${h}"
  done
  printf '  %-6s 200: %s bytes gzip (%s decompressed), %s, ETag %s\n' "$1" "$size" \
    "$(gzip -dc "$TMP/body" | wc -c)" "$(header content-type)" "${ETAG[$1]}"
}
check_304() { # check_304 NAME URL
  head_of "$2" -H "If-None-Match: ${ETAG[$1]}" -H 'Accept-Encoding: gzip'
  local st
  st=$(status)
  [[ $st == 304 ]] || { cat "$TMP/head" >&2; die "$1: GET $2 with If-None-Match: ${ETAG[$1]} answered $st, expected 304"; }
  [[ $(stat -c %s "$TMP/body") == 0 ]] || die "$1: the 304 has a body"
  [[ $(header etag) == "${ETAG[$1]}" ]] || warn "$1: 304 ETag '$(header etag)', expected ${ETAG[$1]}"
}

declare -A RESULT
run_wrk() { # run_wrk NAME CASE URL [wrk -H args...]
  local name=$1 kase=$2 url=$3
  shift 3
  if ((WARMUP > 0)); then
    run_child timeout $((WARMUP + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$@" "$url" >/dev/null ||
      die "$name $kase: wrk warm-up failed"
  fi
  local out="$TMP/wrk-$name-$kase.txt"
  run_child timeout $((DUR_S + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$out" 2>&1 ||
    { cat "$out" >&2; die "$name $kase: wrk failed"; }
  ((RAW)) && { echo "--- wrk $name $kase"; cat "$out"; }
  local rps p50 p99 tps reqs errs
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  tps=$(awk '/^Transfer\/sec:/ { print $2 }' "$out")
  p50=$(awk '$1 == "50%" { print $2 }' "$out")
  p99=$(awk '$1 == "99%" { print $2 }' "$out")
  reqs=$(awk '/ requests in / { print $1 }' "$out")
  errs=$(awk '/Socket errors:/ { gsub(/,/, ""); e = $4 + $6 + $8 + $10 } /Non-2xx or 3xx/ { n = $NF } END { print e + n }' "$out")
  [[ -n $rps && -n $p50 && -n $p99 ]] || { cat "$out" >&2; die "$name $kase: cannot read wrk's output"; }
  RESULT[$name,$kase]="$rps|$p50|$p99|$tps|$reqs|$errs"
  printf '  %-6s %-4s %12s req/s\n' "$name" "$kase" "$rps"
}

# How busy the machine is with both servers idle: other work here skews every figure.
cpu_busy() { # percent of all CPU time not idle over 1 s, from /proc/stat
  local a b
  read -r -a a < <(grep '^cpu ' /proc/stat)
  sleep 1
  read -r -a b < <(grep '^cpu ' /proc/stat)
  local total=0 idle i
  for ((i = 1; i < ${#b[@]}; i++)); do total=$((total + b[i] - a[i])); done
  idle=$((b[4] - a[4] + b[5] - a[5]))
  ((total > 0)) && echo $((100 * (total - idle) / total)) || echo 0
}
BUSY=$(cpu_busy)
((BUSY < 15)) || warn "the machine is ${BUSY}% busy with both servers idle: other work is running, the figures will be noisy"

echo "checks (curl), document /feeds/$FEED:"
check_200 nginx "$NGINX_URL/feeds/$FEED"
check_200 syndic "$SYNDIC_URL/feeds/$FEED"
check_304 nginx "$NGINX_URL/feeds/$FEED"
check_304 syndic "$SYNDIC_URL/feeds/$FEED"

echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per run (after ${WARMUP}s warm-up)"
for name in nginx syndic; do
  [[ $name == nginx ]] && url="$NGINX_URL/feeds/$FEED" || url="$SYNDIC_URL/feeds/$FEED"
  check_200 "$name" "$url" >/dev/null
  run_wrk "$name" 200 "$url" -H 'Accept-Encoding: gzip'
done
for name in nginx syndic; do
  [[ $name == nginx ]] && url="$NGINX_URL/feeds/$FEED" || url="$SYNDIC_URL/feeds/$FEED"
  check_304 "$name" "$url"
  run_wrk "$name" 304 "$url" -H "If-None-Match: ${ETAG[$name]}" -H 'Accept-Encoding: gzip'
done
kill -0 "$SYNDIC_PID" 2>/dev/null || die "syndic died during the runs"
kill -0 "$NGINX_PID" 2>/dev/null || die "nginx died during the runs"

# --- 5. table -----------------------------------------------------------------------------
echo
echo "/feeds/$FEED, corpus $CONFIG"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION on 127.0.0.1; 2 cores shared by wrk and the server: compare within this run only"
echo "CPU busy before the runs, servers idle: ${BUSY}%"
row() { printf '%-7s %-24s %12s %10s %10s %12s %10s %7s\n' "$@"; }
row server case requests/s p50 p99 transfer/s requests errors
row ------ ---- ---------- --- --- ---------- -------- ------
for kase in 200 304; do
  for name in nginx syndic; do
    IFS='|' read -r rps p50 p99 tps reqs errs <<<"${RESULT[$name,$kase]}"
    [[ $kase == 200 ]] && label="200 gzip" || label="304 If-None-Match (gzip)"
    row "$name" "$label" "$rps" "$p50" "$p99" "$tps" "$reqs" "$errs"
  done
done
