"""Reads each feed URL given on the command line with sfeed (fetched as `sfeed_update` does,
then parsed by `sfeed`), and prints one JSON line per feed: what sfeed writes of every item."""
import json
import subprocess
import sys
import urllib.request


def unescape(field):
    """sfeed's TSV escapes: \\t, \\n and \\\\."""
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            out.append({"t": "\t", "n": "\n", "\\": "\\"}.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


for url in sys.argv[1:]:
    result = {"url": url, "error": "", "items": []}
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read()
        run = subprocess.run(["sfeed"], input=body, capture_output=True, timeout=60)
        if run.returncode != 0:
            result["error"] = f"sfeed exit {run.returncode}"
        for line in run.stdout.decode("utf-8").splitlines():
            fields = [unescape(f) for f in line.split("\t")]
            fields += [""] * (9 - len(fields))
            stamp, title, link, _content, _kind, guid, author = fields[:7]
            result["items"].append(
                {
                    "link": link,
                    "id": guid,
                    "title": title,
                    "published": int(stamp) if stamp else None,
                    "authors": [],
                    "author": author,
                }
            )
    except Exception as e:  # reported per feed, as a reader would
        result["error"] = repr(e)
    print(json.dumps(result))
