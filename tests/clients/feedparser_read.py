"""Reads each feed URL given on the command line with feedparser, as Python feed readers do,
and prints one JSON line per feed: what feedparser shows of every item."""
import calendar
import json
import sys

import feedparser


def when(entry):
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return calendar.timegm(parsed) if parsed else None


for url in sys.argv[1:]:
    feed = feedparser.parse(url)
    items = [
        {
            "link": entry.get("link"),
            "id": entry.get("id"),
            "title": entry.get("title"),
            "published": when(entry),
            "authors": [a.get("name", "") for a in entry.get("authors", [])],
            "author": entry.get("author"),
        }
        for entry in feed.entries
    ]
    print(json.dumps({"url": url, "error": str(feed.get("bozo_exception") or ""), "items": items}))
