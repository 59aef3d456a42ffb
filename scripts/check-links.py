#!/usr/bin/env python3
"""Checks that every relative link and anchor in Markdown files resolves.

Usage:
    scripts/check-links.py [FILE.md ...]   (default: README.md and docs/*.md)

Anchors are GitHub's: a heading in lower case, spaces to `-`, punctuation dropped, a repeated
heading suffixed `-1`, `-2`. Links in code spans and code blocks are not links. Exits 1 if any
link is broken, naming each.
"""
import glob
import os
import re
import sys

def strip_code(text):
    out, fence = [], False
    for line in text.split('\n'):
        if line.lstrip().startswith('```'):
            fence = not fence
            out.append('')
            continue
        out.append('' if fence else line)
    return out

def anchors(path):
    seen, result = {}, set()
    for line in strip_code(open(path).read()):
        m = re.match(r'(#{1,6}) +(.*)', line)
        if not m:
            continue
        h = re.sub(r'`', '', m.group(2)).strip().lower()
        h = re.sub(r'[^\w\- ]', '', h).replace(' ', '-')
        n = seen.get(h, 0)
        seen[h] = n + 1
        result.add(h if n == 0 else f'{h}-{n}')
    return result

bad = total = 0
files = sys.argv[1:] or ['README.md'] + sorted(glob.glob('docs/*.md'))
for f in files:
    lines = strip_code(open(f).read())
    text = '\n'.join(re.sub(r'``.*?``|`[^`]*`', '', l) for l in lines)
    for m in re.finditer(r'\]\(([^)\s]+)\)', text):
        t = m.group(1)
        if re.match(r'[a-z]+:', t):
            continue
        total += 1
        path, _, anchor = t.partition('#')
        target = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        line = text[:m.start()].count('\n') + 1
        if not os.path.exists(target):
            print(f'{f}:{line}: {t}: no such file'); bad += 1
        elif anchor and anchor not in anchors(target):
            print(f'{f}:{line}: {t}: no such anchor'); bad += 1
print(f'{total} relative links, {bad} broken')
sys.exit(1 if bad else 0)
