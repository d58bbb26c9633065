//! Cursor and scroll offset of a list pane, and the `/` filter over loaded rows.
//!
//! Both work on indices only, so a frame builds rows for the visible window and nothing
//! else, whatever the number of loaded items.

use std::ops::Range;

/// Selected row and first visible row of a list, in row indices of what the pane shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListView {
    pub selected: usize,
    pub offset: usize,
}

impl ListView {
    /// Keep the selection inside `len` rows and visible in a window of `height` rows.
    pub fn clamp(&mut self, len: usize, height: usize) {
        if len == 0 {
            self.selected = 0;
            self.offset = 0;
            return;
        }
        self.selected = self.selected.min(len - 1);
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        // Do not leave empty space at the bottom when rows above could fill it.
        let max_offset = len.saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// Move the selection by `delta` rows (negative is up).
    pub fn move_by(&mut self, delta: isize, len: usize, height: usize) {
        self.selected = if delta < 0 {
            self.selected.saturating_sub(delta.unsigned_abs())
        } else {
            self.selected.saturating_add(delta as usize)
        };
        self.clamp(len, height);
    }

    pub fn top(&mut self, len: usize, height: usize) {
        self.selected = 0;
        self.clamp(len, height);
    }

    pub fn bottom(&mut self, len: usize, height: usize) {
        self.selected = len.saturating_sub(1);
        self.clamp(len, height);
    }

    /// The rows to draw for a window of `height`.
    pub fn window(&self, len: usize, height: usize) -> Range<usize> {
        let start = self.offset.min(len);
        start..(start + height).min(len)
    }
}

/// A case-insensitive substring filter over loaded rows, kept incrementally: new rows are
/// scanned as they arrive, so filtering while pages load costs one pass per page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowFilter {
    query: String,
    needle: String,
    /// Indices (into the loaded items) of the rows that match, in order.
    indices: Vec<usize>,
    /// How many loaded items have been looked at.
    scanned: usize,
    /// Filter even without a query (the pane adds a condition of its own).
    forced: bool,
}

impl RowFilter {
    pub fn new(query: &str) -> Self {
        RowFilter {
            query: query.to_string(),
            needle: query.to_lowercase(),
            indices: Vec::new(),
            scanned: 0,
            forced: false,
        }
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn is_empty(&self) -> bool {
        self.needle.is_empty() && !self.forced
    }

    /// Change the query; matches are rebuilt on the next `sync`.
    pub fn set_query(&mut self, query: &str) {
        let forced = self.forced;
        *self = RowFilter::new(query);
        self.forced = forced;
    }

    /// Filter even with no query (the pane's own condition decides); rebuilt on `sync`.
    pub fn force(&mut self, on: bool) {
        self.forced = on;
        self.invalidate();
    }

    /// Forget what was scanned (the items were replaced or changed).
    pub fn invalidate(&mut self) {
        self.indices.clear();
        self.scanned = 0;
    }

    /// Scan items not looked at yet. `text_of` gives the searchable texts of a row.
    pub fn sync<T>(&mut self, items: &[T], mut matches: impl FnMut(&T, &str) -> bool) {
        self.sync_by_index(items.len(), |i, needle| matches(&items[i], needle));
    }

    /// `sync` over `len` items known by their index (rows that are not one slice).
    pub fn sync_by_index(&mut self, len: usize, mut matches: impl FnMut(usize, &str) -> bool) {
        if len < self.scanned {
            self.invalidate();
        }
        if self.is_empty() {
            self.scanned = len;
            return;
        }
        for i in self.scanned..len {
            if matches(i, &self.needle) {
                self.indices.push(i);
            }
        }
        self.scanned = len;
    }

    /// Number of rows shown: all loaded rows without a query, else the matches.
    pub fn visible_len(&self, loaded: usize) -> usize {
        if self.is_empty() {
            loaded
        } else {
            self.indices.len()
        }
    }

    /// Map a shown row to the index of the loaded item.
    pub fn item_index(&self, row: usize) -> Option<usize> {
        if self.is_empty() {
            Some(row)
        } else {
            self.indices.get(row).copied()
        }
    }

    /// Map a loaded item index back to the shown row (exact match only).
    pub fn row_of(&self, item: usize) -> Option<usize> {
        if self.is_empty() {
            Some(item)
        } else {
            self.indices.binary_search(&item).ok()
        }
    }
}

/// Does `haystack` contain the (already lower-case) `needle`, ignoring case?
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        haystack
            .as_bytes()
            .windows(needle.len().max(1))
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
            || needle.is_empty()
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_keeps_selection_visible() {
        let mut v = ListView::default();
        v.move_by(15, 100, 10);
        assert_eq!((v.selected, v.offset), (15, 6));
        v.move_by(-10, 100, 10);
        assert_eq!((v.selected, v.offset), (5, 5));
        v.bottom(100, 10);
        assert_eq!((v.selected, v.offset), (99, 90));
        assert_eq!(v.window(100, 10), 90..100);
        v.clamp(3, 10);
        assert_eq!((v.selected, v.offset), (2, 0));
        v.move_by(-5, 0, 10);
        assert_eq!((v.selected, v.offset), (0, 0));
    }

    #[test]
    fn filter_scans_incrementally() {
        let mut f = RowFilter::new("Ab");
        let items = vec!["xab", "zz", "ABC"];
        f.sync(&items, |s, n| contains_folded(s, n));
        assert_eq!(f.visible_len(items.len()), 2);
        assert_eq!(f.item_index(1), Some(2));
        let more = vec!["xab", "zz", "ABC", "nope", "cab"];
        f.sync(&more, |s, n| contains_folded(s, n));
        assert_eq!(f.visible_len(more.len()), 3);
        assert_eq!(f.row_of(4), Some(2));
        assert_eq!(f.row_of(1), None);
        f.set_query("");
        f.sync(&more, |s, n| contains_folded(s, n));
        assert_eq!(f.visible_len(more.len()), 5);
    }

    #[test]
    fn folded_contains() {
        assert!(contains_folded("Member.0042", "member.00"));
        assert!(!contains_folded("abc", "abcd"));
        assert!(contains_folded("Über", "über"));
        assert!(contains_folded("x", ""));
    }
}
