// Reads each feed URL given on the command line with gofeed, as Go aggregators do, and prints
// one JSON line per feed: what gofeed shows of every item (its universal Item, not the
// format-specific fields).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/mmcdole/gofeed"
)

type item struct {
	Link      string   `json:"link"`
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Published *int64   `json:"published"`
	Authors   []string `json:"authors"`
	Author    *string  `json:"author"`
}

type result struct {
	URL   string `json:"url"`
	Error string `json:"error"`
	Items []item `json:"items"`
}

func main() {
	parser := gofeed.NewParser()
	out := json.NewEncoder(os.Stdout)
	for _, url := range os.Args[1:] {
		res := result{URL: url, Items: []item{}}
		feed, err := parser.ParseURL(url)
		if err != nil {
			res.Error = err.Error()
		} else {
			for _, it := range feed.Items {
				one := item{Link: it.Link, ID: it.GUID, Title: it.Title, Authors: []string{}}
				if it.PublishedParsed != nil {
					t := it.PublishedParsed.Unix()
					one.Published = &t
				}
				for _, a := range it.Authors {
					one.Authors = append(one.Authors, a.Name)
				}
				// Deprecated, but what older readers built on gofeed show.
				if it.Author != nil {
					one.Author = &it.Author.Name
				}
				res.Items = append(res.Items, one)
			}
		}
		if err := out.Encode(res); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
