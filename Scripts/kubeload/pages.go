package main

// The pagination check: a list read page by page (kube-apiserver's continue tokens: every page
// after the first pinned to the first page's revision and starting just after the last key
// returned) must be exactly one unpaginated read at that revision. Pure, for the tests.

import "fmt"

// Page is one Range answer of a paginated list.
type Page struct {
	KVs   []KV
	Count int64 // keys in [this page's start, prefix end) at the list's revision
	More  bool
}

// CheckPages checks the pages of one list with the given page size against the unpaginated read
// (full) of the same prefix at the same revision. nil when they agree.
func CheckPages(pages []Page, limit int64, full []KV) error {
	if len(pages) == 0 {
		return fmt.Errorf("no pages")
	}
	total := pages[0].Count
	if total != int64(len(full)) {
		return fmt.Errorf("first page's count %d, the unpaginated read has %d keys", total, len(full))
	}
	var joined []KV
	for i, p := range pages {
		consumed := int64(len(joined))
		if p.Count != total-consumed {
			return fmt.Errorf("page %d: count %d, want %d (total %d minus the %d keys of earlier pages)", i, p.Count, total-consumed, total, consumed)
		}
		last := i == len(pages)-1
		if p.More == last {
			return fmt.Errorf("page %d of %d: more=%v", i+1, len(pages), p.More)
		}
		if int64(len(p.KVs)) > limit || (!last && int64(len(p.KVs)) != limit) {
			return fmt.Errorf("page %d of %d: %d keys with limit %d", i+1, len(pages), len(p.KVs), limit)
		}
		joined = append(joined, p.KVs...)
	}
	if len(joined) != len(full) {
		return fmt.Errorf("%d pages hold %d keys, the unpaginated read %d", len(pages), len(joined), len(full))
	}
	for i := range full {
		if joined[i] != full[i] {
			return fmt.Errorf("key %d: the pages have %v, the unpaginated read %v", i, joined[i], full[i])
		}
	}
	return nil
}
