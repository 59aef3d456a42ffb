"""One poll of a feed by a client that keeps what it fetched between polls, as readers and
newsletter tools do: `poll.py CLIENT STATE_DIR URL`. Prints one JSON line: the items the client
shows after this poll, and the HTTP status it got (where it tells).

CLIENT is one of:
- newsboat: `newsboat -x reload` with its cache in STATE_DIR (it sends If-None-Match,
  If-Modified-Since through libcurl's time condition, and A-IM: feed);
- feedparser: feedparser.parse with the ETag and Last-Modified of the last poll (it sends
  A-IM: feed too), the items merged by id into those it kept;
- curl: `curl -z` with the last Last-Modified, the body read by feedparser when one came."""
import json
import os
import sqlite3
import subprocess
import sys

import feedparser

client, state_dir, url = sys.argv[1:4]
os.makedirs(state_dir, exist_ok=True)
state_path = os.path.join(state_dir, "state.json")
state = {"items": {}, "etag": None, "modified": None}
if os.path.exists(state_path):
    with open(state_path, encoding="utf-8") as f:
        state = json.load(f)
status = None

if client == "newsboat":
    urls = os.path.join(state_dir, "urls")
    with open(urls, "w", encoding="utf-8") as f:
        f.write(url + "\n")
    config = os.path.join(state_dir, "config")
    open(config, "a").close()
    cache = os.path.join(state_dir, "cache.db")
    env = dict(os.environ, HOME=state_dir, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    subprocess.run(
        ["newsboat", "-u", urls, "-c", cache, "-C", config, "-x", "reload"],
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )
    db = sqlite3.connect(cache)
    rows = db.execute("SELECT guid, title FROM rss_item WHERE feedurl = ?", (url,))
    state["items"] = {guid: title for guid, title in rows}
    db.close()
elif client == "feedparser":
    feed = feedparser.parse(url, etag=state["etag"], modified=state["modified"])
    status = feed.get("status")
    for entry in feed.entries:
        state["items"][entry.get("id")] = entry.get("title")
    state["etag"] = feed.get("etag", state["etag"])
    state["modified"] = feed.get("modified", state["modified"])
elif client == "curl":
    headers = os.path.join(state_dir, "headers")
    args = ["curl", "-sS", "-D", headers, "-o", "-"]
    if state["modified"]:
        args += ["-z", state["modified"]]
    run = subprocess.run(args + [url], capture_output=True, check=True, timeout=60)
    with open(headers, encoding="latin-1") as f:
        lines = f.read().splitlines()
    status = int(lines[0].split()[1]) if lines else None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "last-modified":
            state["modified"] = value.strip()
    if run.stdout:
        for entry in feedparser.parse(run.stdout).entries:
            state["items"][entry.get("id")] = entry.get("title")
else:
    sys.exit(f"unknown client {client}")

with open(state_path, "w", encoding="utf-8") as f:
    json.dump(state, f)
print(json.dumps({"status": status, "items": state["items"]}))
