#!/usr/bin/env python3
"""Latency from a file write to the new ETag being served, while `syndic serve` runs.

Usage:
    cargo build --release
    python3 scripts/watch-latency.py [--config PATH] [--edits N] [--feed PATH]

It starts `target/release/syndic serve` on a free loopback port for the corpus of PATH
(default: the sample `config.toml`; generate a larger one with
`cargo run --release --example gen-corpus -- DIR N`), waits until every document is compressed,
then edits the newest English post N times (default 50; the edit changes a word of its body),
and after each write polls the feed (default `/feeds/en.atom`) until its ETag changes. It prints
p50, p90, p99 and max of those latencies, and the configured quiet period, which is part of
every figure (the watcher waits that long for a burst of events to end). The post is restored
at the end. Only 127.0.0.1 is contacted; every wait is bounded.
"""

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "syndic")


def etag(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.getheader("ETag")
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", default=os.path.join(ROOT, "config.toml"))
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--feed", default="/feeds/en.atom")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one change")
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build first: cargo build --release")

    posts = json.loads(
        subprocess.run(
            [BINARY, "--config", args.config, "posts", "--format", "json"],
            check=True, capture_output=True, text=True, timeout=600,
        ).stdout
    )
    english = [p for p in posts if p["lang"] == "en"]
    if not english:
        sys.exit("no English post in the corpus")
    config_dir = os.path.dirname(os.path.abspath(args.config))
    content_dir = os.path.join(config_dir, "content")
    with open(args.config, encoding="utf-8") as f:
        for line in f:
            if line.strip().startswith("content_dir"):
                value = line.split("=", 1)[1].split("#", 1)[0].strip().strip('"')
                content_dir = value if os.path.isabs(value) else os.path.join(config_dir, value)
    post_path = os.path.join(content_dir, english[0]["path"])
    with open(post_path, encoding="utf-8") as f:
        original = f.read()

    env = dict(os.environ, SYNDIC_LOG="warn,syndic=info,syndic::http=warn")
    server = subprocess.Popen(
        [BINARY, "--config", args.config, "serve", "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    latencies = []
    try:
        line = server.stdout.readline()
        if not line.startswith("listening on http://"):
            sys.exit(f"server did not start: {line!r}")
        port = int(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
        started = time.monotonic()
        for log in server.stderr:
            if "every document compressed" in log:
                break
            if time.monotonic() - started > 600:
                sys.exit("documents not compressed after 600 s")
        for n in range(args.edits):
            before = etag(port, args.feed)
            marker = f"edit{n}x{os.getpid()}"
            lines = original.split("\n")
            # The last non-empty line of the body gets a changed word.
            for i in range(len(lines) - 1, -1, -1):
                if lines[i].strip():
                    lines[i] = lines[i] + f" {marker}"
                    break
            written = time.monotonic()
            with open(post_path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            while True:
                now = etag(port, args.feed)
                if now != before:
                    latencies.append((time.monotonic() - written) * 1000)
                    break
                if time.monotonic() - written > args.timeout:
                    sys.exit(f"edit {n}: the feed did not change within {args.timeout} s")
                time.sleep(0.002)
    finally:
        with open(post_path, "w", encoding="utf-8") as f:
            f.write(original)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"{len(posts)} posts, {len(latencies)} edits of {english[0]['path']}, feed {args.feed}")
    print(
        f"write -> new ETag served: p50 {statistics.median(latencies):.0f} ms, "
        f"p90 {pick(0.90):.0f} ms, p99 {pick(0.99):.0f} ms, max {latencies[-1]:.0f} ms "
        f"(quiet period included)"
    )


if __name__ == "__main__":
    main()
