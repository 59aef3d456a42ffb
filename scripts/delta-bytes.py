#!/usr/bin/env python3
"""Bytes a frequent poller downloads over a simulated day of edits: plain conditional GET
against delta requests (RFC 3229, `A-IM: feed`).

Usage:
    cargo build --release
    python3 scripts/delta-bytes.py [--config PATH] [--feed PATH] [--polls N] [--edits N]

It copies the corpus of PATH (default: the sample `config.toml` and its `content/`) into a
temporary folder, starts `target/release/syndic serve` there on a free loopback port, and
simulates a day: before each of N polls (default 96, every quarter of an hour) it edits a few
posts (default 1 edit per poll, every fourth poll a new post as well), waits until the server
has reloaded (`loaded_at` in `/healthz`), then polls the feed (default `/feeds/all.atom`) twice
with gzip:
- a plain poller sends `If-None-Match` with the ETag it holds and gets 200 (the whole feed) or
  304;
- a delta poller sends the same plus `A-IM: feed` and gets 226 (only what changed) or 304.
It prints the bytes each downloaded (bodies and headers). Only 127.0.0.1 is contacted; every
wait is bounded.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "syndic")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, headers):
    """Returns (status, headers dict, body bytes, bytes on the wire)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        head = sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 17
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body, head + len(body)
    finally:
        conn.close()


def loaded_at(port):
    """When the snapshot being served was loaded, from `/healthz`."""
    _, _, body, _ = get(port, "/healthz", {})
    return json.loads(body).get("loaded_at")


def wait_ready(port, deadline):
    while time.monotonic() < deadline:
        try:
            status, _, _, _ = get(port, "/healthz", {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("the server did not answer within the deadline")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=os.path.join(ROOT, "config.toml"))
    parser.add_argument("--feed", default="/feeds/all.atom")
    parser.add_argument("--polls", type=int, default=96)
    parser.add_argument("--edits", type=int, default=1, help="posts edited before each poll")
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build first: cargo build --release")

    work = tempfile.mkdtemp(prefix="syndic-delta-")
    source = os.path.dirname(os.path.abspath(args.config))
    shutil.copy(args.config, os.path.join(work, "config.toml"))
    shutil.copytree(os.path.join(source, "content"), os.path.join(work, "content"))
    port = free_port()
    server = subprocess.Popen(
        [BINARY, "--config", os.path.join(work, "config.toml"), "serve", "--listen",
         f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"))
    try:
        wait_ready(port, time.monotonic() + 120)
        posts = sorted(
            os.path.join(d, f)
            for d, _, files in os.walk(os.path.join(work, "content"))
            for f in files if f.endswith(".md") and f != "_index.md"
            # Only the configured section; the sample has another one that is no feed's.
            and os.sep + "blog" + os.sep in os.path.join(d, f))
        rng = random.Random(7)
        _, headers, _, _ = get(port, args.feed, {"Accept-Encoding": "gzip"})
        plain_etag = delta_etag = headers.get("etag")
        totals = {"plain": 0, "delta": 0}
        statuses = {"plain": {}, "delta": {}}
        for poll in range(args.polls):
            before = loaded_at(port)
            for _ in range(args.edits):
                path = rng.choice(posts)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text + f"\nAn added line, edit {poll}.\n")
            if poll % 4 == 3:
                new = os.path.join(os.path.dirname(posts[0]), f"2026-11-28-poll-{poll}.md")
                with open(new, "w", encoding="utf-8") as f:
                    f.write(f"---\ntitle: Update {poll}\nauthor: Sam Chen\n"
                            f"date: 2026-11-28T{poll // 4:02d}:00:00Z\ntranslationKey: poll-{poll}\n"
                            f"---\nWhat happened in hour {poll // 4}.\n")
            deadline = time.monotonic() + 20
            while loaded_at(port) == before:
                if time.monotonic() > deadline:
                    sys.exit(f"poll {poll}: no reload within 20 s")
                time.sleep(0.02)
            for who, extra in (("plain", {}), ("delta", {"A-IM": "feed"})):
                etag = plain_etag if who == "plain" else delta_etag
                status, headers, _, wire = get(
                    port, args.feed, {"Accept-Encoding": "gzip", "If-None-Match": etag, **extra})
                totals[who] += wire
                statuses[who][status] = statuses[who].get(status, 0) + 1
                if status in (200, 226):
                    if who == "plain":
                        plain_etag = headers.get("etag")
                    else:
                        delta_etag = headers.get("etag")
        print(f"{args.polls} polls of {args.feed} (gzip), {args.edits} edit(s) before each, "
              f"a new post every fourth")
        for who in ("plain", "delta"):
            counts = ", ".join(f"{k}: {v}" for k, v in sorted(statuses[who].items()))
            print(f"  {who:5} conditional GET: {totals[who]:>9,} bytes ({counts})")
        if totals["plain"]:
            print(f"  delta downloads {100 * totals['delta'] / totals['plain']:.1f}% of plain")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        if os.environ.get("KEEP"):
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
