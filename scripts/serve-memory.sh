#!/usr/bin/env bash
# Memory of `syndic serve`: how long it takes to answer, how much it holds once its background
# compression is done, and how much once every document was asked for in each coding.
#
# Usage:
#   scripts/serve-memory.sh [--config PATH] [--port N] [--settle S]
#
#   --config PATH   corpus configuration (default: the repository's sample, ./config.toml); e.g.
#                   one made by `cargo run --release --example gen-corpus -- DIR 10000`
#   --port N        where syndic listens, on 127.0.0.1 only (default 18500)
#   --settle S      seconds to wait after the first answer, for the background compression
#                   (default 15)
#
# What it does: builds syndic (`cargo build --release`), starts `syndic serve` on a copy of the
# configuration that listens on 127.0.0.1:PORT (request logging off), waits for /healthz,
# prints the resident memory (VmRSS), waits SETTLE seconds and prints it again, then fetches
# every document the OPML list names (every feed in every format) over one keep-alive
# connection, uncompressed, then gzip, then brotli, printing the bytes, the time and the
# resident memory after each pass. Linux only (reads /proc). The server is stopped at the end.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
config="$root/config.toml"
port=18500
settle=15
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
config="$(cd "$(dirname "$config")" && pwd)/$(basename "$config")"

(cd "$root" && cargo build --release --quiet)
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The same configuration beside the original (so relative paths resolve the same), listening
# where this script says. A [server] table in it gets the address; otherwise one is added.
copy="$(dirname "$config")/.serve-memory-$port.toml"
if grep -q '^\[server\]' "$config"; then
  grep -v '^listen *=' "$config" | sed "s/^\[server\]\$/[server]\nlisten = \"127.0.0.1:$port\"/" > "$copy"
else
  { cat "$config"; printf '\n[server]\nlisten = "127.0.0.1:%s"\n' "$port"; } > "$copy"
fi
trap 'cleanup; rm -f "$copy"' EXIT

started=$(date +%s.%N)
SYNDIC_LOG=warn "$root/target/release/syndic" --config "$copy" serve > "$work/log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/healthz" > /dev/null; do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "syndic stopped:" >&2; cat "$work/log" >&2; exit 1
  fi
  sleep 0.2
done
rss() { awk '/^VmRSS/ { printf "%.2f GB", $2 / 1048576 }' "/proc/$server/status"; }
echo "answering after $(echo "$(date +%s.%N) - $started" | bc) s: $(rss) resident"
sleep "$settle"
echo "after $settle s more: $(rss) resident"

curl -s "http://127.0.0.1:$port/feeds/all.opml" \
  | grep -o 'xmlUrl="[^"]*"' | sed 's/^xmlUrl="//; s/"$//; s#^[a-z]*://[^/]*##' > "$work/paths"
for coding in identity gzip br; do
  python3 - "$port" "$coding" "$work/paths" <<'EOF'
import http.client, sys, time
port, coding, listing = int(sys.argv[1]), sys.argv[2], sys.argv[3]
paths = [line.strip() for line in open(listing) if line.strip()]
connection = http.client.HTTPConnection("127.0.0.1", port)
total, started = 0, time.time()
for path in paths:
    connection.request("GET", path, headers={"Accept-Encoding": coding})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        sys.exit(f"{path}: {response.status}")
    total += len(body)
print(f"{coding}: {len(paths)} documents, {total / 1e9:.2f} GB in {time.time() - started:.1f} s", end="")
EOF
  echo ", then $(rss) resident"
done
