#!/usr/bin/env bash
# Build the generator fixtures with the generators themselves and write what they publish.
#
# Usage:
#   scripts/fixture-expected.sh [--check]
#
#   --check   write nothing in the repository: build into a temporary folder and compare with the
#             committed expected files (exit 1 and show a diff when one differs)
#
# Needs: hugo (0.111.3 recorded), jekyll (4.3.1 recorded), Eleventy (3.1.8 recorded) and python3.
# Eleventy is found as $ELEVENTY (path to its CLI, e.g. node_modules/.bin/eleventy of a folder where
# `npm install @11ty/eleventy@3.1.8` was run), else as `eleventy` on PATH. A missing generator is an
# error naming it; nothing is built then.
#
# Each fixture under tests/fixtures/generators/ is copied to a temporary folder and built there
# (the generators write caches beside their sources), so the only files written in the repository
# are the expected*.json files:
#
#   hugo-folders/expected.json, hugo-filenames/expected.json
#       hugo --source SITE --destination OUT; then with --buildDrafts, then with --buildFuture, to
#       tell drafts from future posts in not_published. Posts are read from the home page's JSON
#       output (layouts/index.json), one per language.
#   jekyll/expected.json
#       jekyll build --source SITE --destination OUT; then with --unpublished, --drafts and
#       --future. Posts are read from posts.json (a Liquid page in the fixture).
#   jekyll/expected.{pretty,date,slug,ordinal,none,weekdate}.json
#       the same build with --config _config.yml,_config.VARIANT.yml (another permalink pattern).
#   eleventy/expected.json, eleventy/expected.toronto.json
#       eleventy --input SITE/content --output OUT, run in SITE with TZ=UTC, then with
#       TZ=America/Toronto (Eleventy has no site time zone: the process's zone is the one Liquid's
#       date filter uses in the permalink). Posts are read from posts.json (posts.json.11ty.js).
#   date-forms/expected.json
#       one single-post site per line of date-forms/forms.txt, per generator: the date each one
#       published for that front-matter `date:` value, or that the build failed.
#
# Output is sorted (posts by source file then language) and has no build times or machine paths;
# running the script twice gives the same files.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIX="$ROOT/tests/fixtures/generators"
CHECK=0
case "${1:-}" in
  "") ;;
  --check) CHECK=1 ;;
  *) echo "usage: scripts/fixture-expected.sh [--check]" >&2; exit 2 ;;
esac

missing=()
command -v hugo >/dev/null || missing+=("hugo (Debian package hugo, 0.111.3 recorded)")
command -v jekyll >/dev/null || missing+=("jekyll (Debian package jekyll, 4.3.1 recorded)")
command -v python3 >/dev/null || missing+=("python3")
ELEVENTY="${ELEVENTY:-$(command -v eleventy || true)}"
if [ -z "$ELEVENTY" ] || [ ! -x "$ELEVENTY" ]; then
  missing+=("eleventy (npm install @11ty/eleventy@3.1.8 in a folder, then ELEVENTY=FOLDER/node_modules/.bin/eleventy)")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  for m in "${missing[@]}"; do echo "fixture-expected: missing generator: $m" >&2; done
  exit 1
fi

HUGO_VERSION="$(hugo version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p')"
JEKYLL_VERSION="$(jekyll --version | sed -n 's/^jekyll //p')"
ELEVENTY_VERSION="$("$ELEVENTY" --version)"
echo "hugo $HUGO_VERSION, jekyll $JEKYLL_VERSION, eleventy $ELEVENTY_VERSION"
[ "$HUGO_VERSION" = 0.111.3 ] || echo "fixture-expected: warning: hugo $HUGO_VERSION, expected files were made with 0.111.3" >&2
[ "$JEKYLL_VERSION" = 4.3.1 ] || echo "fixture-expected: warning: jekyll $JEKYLL_VERSION, expected files were made with 4.3.1" >&2
[ "$ELEVENTY_VERSION" = 3.1.8 ] || echo "fixture-expected: warning: eleventy $ELEVENTY_VERSION, expected files were made with 3.1.8" >&2

TMP="$(mktemp -d -t fixture-expected.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
OUTDIR="$TMP/expected"   # expected files are written here first, then copied or compared
mkdir -p "$OUTDIR"

log() { echo "fixture-expected: $*"; }

# run LOG CMD...: run a build, keep its output in LOG, show it and fail when it fails.
run() {
  local logf="$1"; shift
  if ! "$@" >"$logf" 2>&1; then
    cat "$logf" >&2
    echo "fixture-expected: failed: $*" >&2
    exit 1
  fi
}

# fresh NAME: a clean copy of fixture NAME in the temporary folder; prints its path.
fresh() {
  local dst="$TMP/site-$1-$RANDOM$RANDOM"
  cp -a "$FIX/$1" "$dst"
  rm -f "$dst"/expected*.json
  echo "$dst"
}

# ---- Hugo ------------------------------------------------------------------------------------
hugo_fixture() {
  local name="$1" flag site
  for flag in default --buildDrafts --buildFuture; do
    site="$(fresh "$name")"
    local extra=()
    [ "$flag" = default ] || extra=("$flag")
    log "$name: hugo ${extra[*]:-}"
    run "$TMP/$name.$flag.log" hugo --quiet --source "$site" --destination "$site/_out" "${extra[@]}"
    echo "$site" >"$TMP/$name.$flag.site"
  done
  python3 "$TMP/shape.py" hugo "$name" "$TMP" "$OUTDIR/$name.expected.json" "$HUGO_VERSION"
}

# ---- Jekyll ----------------------------------------------------------------------------------
jekyll_fixture() {
  local name=jekyll flag site variant
  for flag in default --unpublished --drafts --future; do
    site="$(fresh "$name")"
    local extra=()
    [ "$flag" = default ] || extra=("$flag")
    log "$name: jekyll build ${extra[*]:-}"
    run "$TMP/$name.$flag.log" jekyll build --quiet --source "$site" --destination "$site/_out" "${extra[@]}"
    echo "$site" >"$TMP/$name.$flag.site"
  done
  python3 "$TMP/shape.py" jekyll "$name" "$TMP" "$OUTDIR/$name.expected.json" "$JEKYLL_VERSION"
  for variant in pretty date slug ordinal none weekdate; do
    site="$(fresh "$name")"
    log "$name: jekyll build --config _config.yml,_config.$variant.yml"
    run "$TMP/$name.$variant.log" jekyll build --quiet --source "$site" --destination "$site/_out" \
      --config "$site/_config.yml,$site/_config.$variant.yml"
    echo "$site" >"$TMP/$name.default.site"
    python3 "$TMP/shape.py" jekyll-variant "$name" "$TMP" "$OUTDIR/$name.expected.$variant.json" \
      "$JEKYLL_VERSION" "$variant"
  done
}

# ---- Eleventy --------------------------------------------------------------------------------
eleventy_fixture() {
  local name=eleventy tz site suffix
  for tz in UTC America/Toronto; do
    site="$(fresh "$name")"
    log "$name: TZ=$tz eleventy"
    (cd "$site" && run "$TMP/$name.$RANDOM.log" env TZ="$tz" "$ELEVENTY" --quiet --input=content --output=_out) </dev/null
    echo "$site" >"$TMP/$name.default.site"
    if [ "$tz" = UTC ]; then suffix=""; else suffix=".toronto"; fi
    python3 "$TMP/shape.py" eleventy "$name" "$TMP" "$OUTDIR/$name.expected$suffix.json" \
      "$ELEVENTY_VERSION" "$tz"
  done
}

# ---- Date forms ------------------------------------------------------------------------------
date_forms() {
  local n=0 form gen site rc
  : >"$TMP/forms.tsv"
  while IFS= read -r form || [ -n "$form" ]; do
    case "$form" in ""|"#"*) continue ;; esac
    n=$((n + 1))
    for gen in hugo jekyll eleventy; do
      site="$TMP/form-$gen-$n"
      cp -a "$FIX/date-forms/$gen" "$site"
      python3 - "$site" "$gen" "$form" <<'PY'
import os, sys
site, gen, form = sys.argv[1:]
posts = {"hugo": "content/posts", "jekyll": "_posts", "eleventy": "content/posts"}[gen]
name = "2001-02-03-probe.md"
os.makedirs(os.path.join(site, posts), exist_ok=True)
with open(os.path.join(site, posts, name), "w") as f:
    f.write("---\ntitle: Probe\ndate: %s\n---\nA probe.\n" % form)
PY
      rc=0
      case "$gen" in
        hugo) hugo --quiet --source "$site" --destination "$site/_out" >"$site.log" 2>&1 || rc=$? ;;
        jekyll) jekyll build --quiet --source "$site" --destination "$site/_out" >"$site.log" 2>&1 || rc=$? ;;
        eleventy) (cd "$site" && TZ=UTC "$ELEVENTY" --quiet --input=content --output=_out) </dev/null >"$site.log" 2>&1 || rc=$? ;;
      esac
      printf '%s\t%s\t%s\t%s\n' "$n" "$gen" "$rc" "$form" >>"$TMP/forms.tsv"
    done
  done <"$FIX/date-forms/forms.txt"
  log "date-forms: $n forms, 3 generators"
  python3 "$TMP/shape.py" date-forms date-forms "$TMP" "$OUTDIR/date-forms.expected.json" \
    "hugo $HUGO_VERSION, jekyll $JEKYLL_VERSION, eleventy $ELEVENTY_VERSION"
}

# ---- Shaping the generators' output into expected.json ---------------------------------------
cat >"$TMP/shape.py" <<'PY'
import glob, json, os, sys

kind, name, tmp, out, version = sys.argv[1:6]
extra = sys.argv[6] if len(sys.argv) > 6 else None

def site_of(flag):
    with open(os.path.join(tmp, "%s.%s.site" % (name, flag))) as f:
        return f.read().strip()

def dump(doc):
    with open(out, "w") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")

def sort_posts(posts):
    return sorted(posts, key=lambda p: (p["source"], p.get("lang") or ""))

def hugo_posts(site):
    posts = []
    for path in sorted(glob.glob(os.path.join(site, "_out", "**", "index.json"), recursive=True)):
        for p in json.load(open(path)):
            p["source"] = os.path.relpath(p.pop("file"), site)
            posts.append(p)
    return posts

def jekyll_posts(site):
    posts = json.load(open(os.path.join(site, "_out", "posts.json")))
    for p in posts:
        p["source"] = p.pop("file")
    return posts

def eleventy_posts(site):
    posts = json.load(open(os.path.join(site, "_out", "posts.json")))
    for p in posts:
        p["source"] = os.path.normpath(p.pop("file"))
    return posts

ORDER = ["source", "lang", "url", "date", "updated", "title", "authors", "tags", "categories",
         "summary", "translations", "slug", "file_slug", "page_url", "tag_urls", "category_urls",
         "content"]

def ordered(p):
    return {k: p[k] for k in ORDER if k in p}

def not_published(default, flagged):
    """flagged: [(flag, posts)]: posts published only with that flag."""
    seen = {(p["source"], p.get("lang")) for p in default}
    rows = {}
    for flag, posts in flagged:
        for p in posts:
            key = (p["source"], p.get("lang"))
            if key not in seen:
                rows.setdefault(key, {"source": p["source"], "lang": p.get("lang"),
                                      "published_with": []})["published_with"].append(flag)
    return sorted(rows.values(), key=lambda r: (r["source"], r["lang"] or ""))

if kind == "hugo":
    default = hugo_posts(site_of("default"))
    flagged = [(f, hugo_posts(site_of(f))) for f in ("--buildDrafts", "--buildFuture")]
    dump({"generator": "hugo " + version,
          "build": "hugo --source . --destination OUT",
          "posts": [ordered(p) for p in sort_posts(default)],
          "not_published": not_published(default, flagged)})
elif kind == "jekyll":
    default = jekyll_posts(site_of("default"))
    flagged = [(f, jekyll_posts(site_of(f))) for f in ("--unpublished", "--drafts", "--future")]
    dump({"generator": "jekyll " + version,
          "build": "jekyll build --source . --destination OUT",
          "posts": [ordered(p) for p in sort_posts(default)],
          "not_published": not_published(default, flagged)})
elif kind == "jekyll-variant":
    posts = jekyll_posts(site_of("default"))
    dump({"generator": "jekyll " + version,
          "build": "jekyll build --source . --destination OUT --config _config.yml,_config.%s.yml" % extra,
          "posts": [{"source": p["source"], "url": p["url"]} for p in sort_posts(posts)]})
elif kind == "eleventy":
    posts = eleventy_posts(site_of("default"))
    published = [p for p in posts if p["url"]]
    dump({"generator": "eleventy " + version,
          "build": "TZ=%s eleventy --input=content --output=OUT" % extra,
          "posts": [ordered(p) for p in sort_posts(published)],
          "not_published": [{"source": p["source"], "lang": p.get("lang"),
                             "published_with": [], "reason": "permalink: false"}
                            for p in sort_posts(posts) if not p["url"]]})
elif kind == "date-forms":
    rows = {}
    for line in open(os.path.join(tmp, "forms.tsv")):
        n, gen, rc, form = line.rstrip("\n").split("\t", 3)
        site = os.path.join(tmp, "form-%s-%s" % (gen, n))
        row = rows.setdefault(int(n), {"date": form})
        if rc != "0":
            row[gen] = {"build": "failed"}
            continue
        posts = json.load(open(os.path.join(site, "_out", {"hugo": "index.json", "jekyll": "posts.json",
                                                            "eleventy": "posts.json"}[gen])))
        row[gen] = {"date": posts[0]["date"], "url": posts[0]["url"]} if posts else {"published": False}
    dump({"generators": version,
          "note": "front matter `date: <date>` in a post named 2001-02-03-probe.md; site zone America/Toronto (Hugo, Jekyll), TZ=UTC (Eleventy)",
          "forms": [rows[n] for n in sorted(rows)]})
PY

hugo_fixture hugo-folders
hugo_fixture hugo-filenames
jekyll_fixture
eleventy_fixture
date_forms

# ---- Write or compare ------------------------------------------------------------------------
status=0
for f in "$OUTDIR"/*.json; do
  base="$(basename "$f")"            # NAME.expected[.VARIANT].json
  fixture="${base%%.expected*}"
  target="$FIX/$fixture/${base#"$fixture".}"
  if [ "$CHECK" = 1 ]; then
    if ! diff -u "$target" "$f" >"$TMP/diff" 2>&1; then
      echo "fixture-expected: differs: ${target#"$ROOT"/}" >&2
      cat "$TMP/diff" >&2
      status=1
    fi
  else
    cp "$f" "$target"
    log "wrote ${target#"$ROOT"/}"
  fi
done
[ "$CHECK" = 0 ] || { [ "$status" = 0 ] && log "all expected files match"; }
exit "$status"
