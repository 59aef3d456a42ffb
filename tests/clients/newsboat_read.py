"""Reads each feed URL given on the command line with newsboat (`newsboat -x reload`, as a
person's terminal reader fetches it), and prints one JSON line per feed: what newsboat stored
of every item. Each feed gets a cache of its own: newsboat keeps one item per id across all
feeds, and the same post is in several. Items come in the order newsboat stored them, not the
feed's: newsboat sorts them itself when it shows them."""
import concurrent.futures
import json
import os
import sqlite3
import subprocess
import sys
import tempfile


def read(url):
    with tempfile.TemporaryDirectory() as home:
        urls = os.path.join(home, "urls")
        cache = os.path.join(home, "cache.db")
        config = os.path.join(home, "config")
        with open(urls, "w", encoding="utf-8") as f:
            f.write(url + "\n")
        open(config, "w").close()
        env = dict(os.environ, HOME=home, LANG="C.UTF-8", LC_ALL="C.UTF-8")
        run = subprocess.run(
            ["newsboat", "-u", urls, "-c", cache, "-C", config, "-x", "reload"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        error = "" if run.returncode == 0 else f"exit {run.returncode}: {run.stderr.strip()}"
        items = []
        if os.path.exists(cache):
            db = sqlite3.connect(cache)
            rows = db.execute(
                "SELECT url, guid, title, pubDate, author FROM rss_item WHERE feedurl = ? ORDER BY id",
                (url,),
            )
            for link, guid, title, published, author in rows:
                items.append(
                    {
                        "link": link,
                        "id": guid,
                        "title": title,
                        "published": int(published) if published is not None else None,
                        "authors": [],
                        "author": author,
                    }
                )
            db.close()
        if not items and not error:
            error = run.stderr.strip() or "no item stored"
        return {"url": url, "error": error, "items": items}


# Several at once: each run waits mostly on newsboat's own start and its database.
with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
    for result in pool.map(read, sys.argv[1:]):
        print(json.dumps(result))
