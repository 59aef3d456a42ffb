// Reads each feed URL given on the command line with rss-parser, as newsletter and automation
// tools do, and prints one JSON line per feed: what rss-parser shows of every item.
"use strict";
const Parser = require("rss-parser");

async function main() {
  const parser = new Parser();
  for (const url of process.argv.slice(2)) {
    const result = { url, error: "", items: [] };
    try {
      const feed = await parser.parseURL(url);
      for (const item of feed.items) {
        const published = item.isoDate ? Math.floor(Date.parse(item.isoDate) / 1000) : null;
        result.items.push({
          link: item.link ?? null,
          id: item.guid ?? item.id ?? null,
          title: item.title ?? null,
          published,
          authors: [],
          // RSS: the first dc:creator; Atom: the first author.
          author: item.creator ?? item.author ?? null,
        });
      }
    } catch (e) {
      result.error = String(e);
    }
    process.stdout.write(JSON.stringify(result) + "\n");
  }
}

main();
