//! Bounds for every paged listing: the dashboard's panes, the CLI's drains and exports.
//!
//! A service (or anything standing in for one) can page forever: an empty page that says
//! more will follow, a cursor that comes back, pages of repeats, pages far larger than
//! asked for, lists longer than the documented maximum. [`PageGuard`] checks each page as
//! it arrives and stops the listing with a [`PagingFault`] that says which rule it broke.
//!
//! The guarantee: a listing checked by a guard ends. Every page that does not finish the
//! list must add at least one item not seen before, and the items are capped at the
//! guard's limit, so at most `limit + 1` pages are ever accepted; the memory a listing
//! holds is bounded by the limit too (the items and one key each). Items seen before are
//! dropped and counted ([`PageGuard::duplicates`]) so the caller can say so once.

use std::collections::HashSet;
use std::hash::Hash;

use super::error::ApiError;

/// The documented maxima a listing is held to (vendor's pages; see README → Limits).
pub mod limits {
    pub use crate::vendor::limits::{COMMUNITY_MEMBERS_MAX, GROUP_MEMBERS_MAX, RECEIPT_LIST_MAX};
}

pub use super::error::PagingFault;

/// The error a stopped listing reports.
pub fn fault_error(api: &'static str, fault: PagingFault) -> ApiError {
    ApiError::Paging { api, fault }
}

/// Checks the pages of one listing. `K` is what identifies an item (an account ID, a
/// group ID).
#[derive(Debug, Clone)]
pub struct PageGuard<K> {
    max: u64,
    max_why: String,
    limit: u64,
    why: String,
    seen: HashSet<K>,
    cursors: HashSet<String>,
    duplicates: u64,
    pages: u64,
}

impl<K: Eq + Hash> PageGuard<K> {
    /// A guard for a list of at most `limit` items; `why` says where the limit comes from
    /// ("the documented maximum for a receipt list").
    pub fn new(limit: u64, why: impl Into<String>) -> Self {
        let why = why.into();
        PageGuard {
            max: limit,
            max_why: why.clone(),
            limit,
            why,
            seen: HashSet::new(),
            cursors: HashSet::new(),
            duplicates: 0,
            pages: 0,
        }
    }

    /// Hold the list to a size the service reported for it (a `TotalCount`, a `MemberNum`,
    /// the counts of a receipt). The latest report counts, since a list may grow while it
    /// is paged, but never above the limit the guard was made with.
    pub fn reported(&mut self, total: u64, what: &str) {
        if total < self.max {
            self.limit = total;
            self.why = format!("the {total} the service reported ({what})");
        } else {
            self.limit = self.max;
            self.why = self.max_why.clone();
        }
    }

    /// Check one page: `asked` is the page size the request allowed, `items` what came,
    /// `key` identifies an item, `next` the cursor for the following page (`None` when the
    /// service said the list is complete). Returns the items not seen before, in order.
    pub fn accept<T>(
        &mut self,
        asked: usize,
        items: Vec<T>,
        key: impl Fn(&T) -> K,
        next: Option<&str>,
    ) -> Result<Vec<T>, PagingFault> {
        self.pages += 1;
        if items.len() > asked {
            return Err(PagingFault::Oversized {
                got: items.len(),
                asked,
            });
        }
        let got = items.len();
        let mut fresh = Vec::with_capacity(got);
        for item in items {
            if self.seen.insert(key(&item)) {
                fresh.push(item);
            } else {
                self.duplicates += 1;
            }
        }
        if self.seen.len() as u64 > self.limit {
            return Err(PagingFault::TooLong {
                limit: self.limit,
                why: self.why.clone(),
            });
        }
        if let Some(cursor) = next {
            if fresh.is_empty() {
                return Err(PagingFault::NoProgress {
                    page: self.pages,
                    got,
                });
            }
            if !self.cursors.insert(cursor.to_string()) {
                return Err(PagingFault::RepeatedCursor {
                    cursor: cursor.chars().take(40).collect(),
                });
            }
        }
        Ok(fresh)
    }

    /// Items that came a second time and were dropped.
    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// Distinct items accepted so far.
    pub fn loaded(&self) -> u64 {
        self.seen.len() as u64
    }

    /// Pages checked so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// The limit in force.
    pub fn limit(&self) -> u64 {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[allow(clippy::ptr_arg)] // the guard's key function takes the item, a &String
    fn id(s: &String) -> String {
        String::clone(s)
    }

    fn page(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_honest_listing_passes_and_keeps_order() {
        let mut g = PageGuard::new(10, "test");
        assert_eq!(
            g.accept(2, page(&["a", "b"]), id, Some("1")).unwrap(),
            page(&["a", "b"])
        );
        assert_eq!(g.accept(2, page(&["c"]), id, None).unwrap(), page(&["c"]));
        assert_eq!((g.loaded(), g.duplicates(), g.pages()), (3, 0, 2));
    }

    #[test]
    fn an_empty_page_that_is_not_finished_stops() {
        let mut g = PageGuard::<String>::new(199, "test");
        let e = g.accept(200, vec![], id, Some("")).unwrap_err();
        assert_eq!(e, PagingFault::NoProgress { page: 1, got: 0 });
        // An empty last page is fine.
        let mut g = PageGuard::<String>::new(199, "test");
        assert!(g.accept(200, vec![], id, None).unwrap().is_empty());
    }

    #[test]
    fn alternating_cursors_stop_at_the_first_repeat() {
        let mut g = PageGuard::new(1_000, "test");
        g.accept(2, page(&["a"]), id, Some("A")).unwrap();
        g.accept(2, page(&["b"]), id, Some("B")).unwrap();
        let e = g.accept(2, page(&["c"]), id, Some("A")).unwrap_err();
        assert!(matches!(e, PagingFault::RepeatedCursor { .. }), "{e}");
    }

    #[test]
    fn oversized_pages_and_long_lists_stop() {
        let mut g = PageGuard::new(3, "the documented maximum");
        let e = g
            .accept(2, page(&["a", "b", "c"]), id, Some("x"))
            .unwrap_err();
        assert_eq!(e, PagingFault::Oversized { got: 3, asked: 2 });

        let mut g = PageGuard::new(3, "the documented maximum");
        g.accept(2, page(&["a", "b"]), id, Some("1")).unwrap();
        let e = g.accept(2, page(&["c", "d"]), id, Some("2")).unwrap_err();
        assert!(
            e.to_string()
                .contains("passed 3 items, the documented maximum")
        );
    }

    #[test]
    fn a_reported_total_lowers_the_limit_and_says_so() {
        let mut g = PageGuard::new(199, "the documented maximum");
        g.reported(500, "above the maximum");
        assert_eq!(g.limit(), 199);
        g.reported(5, "read + unread");
        assert_eq!(g.limit(), 5);
        let e = g
            .accept(10, page(&["a", "b", "c", "d", "e", "f"]), id, Some("1"))
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("the 5 the service reported (read + unread)"),
            "{e}"
        );
    }

    #[test]
    fn duplicates_are_dropped_and_counted() {
        let mut g = PageGuard::new(10, "test");
        g.accept(3, page(&["a", "b"]), id, Some("1")).unwrap();
        assert_eq!(
            g.accept(3, page(&["b", "c", "a"]), id, Some("2")).unwrap(),
            page(&["c"])
        );
        let e = g.accept(3, page(&["a", "c"]), id, Some("3")).unwrap_err();
        assert!(matches!(e, PagingFault::NoProgress { .. }));
        assert_eq!(g.duplicates(), 4);
    }

    /// One page as a hostile service might send it.
    #[derive(Debug, Clone)]
    struct Hostile {
        items: Vec<u16>,
        cursor: Option<u8>,
    }

    fn hostile() -> impl Strategy<Value = Hostile> {
        (
            prop::collection::vec(0u16..400, 0..60),
            prop::option::weighted(0.95, any::<u8>()),
        )
            .prop_map(|(items, cursor)| Hostile { items, cursor })
    }

    proptest! {
        /// Whatever the service sends, a listing driven by the guard ends after at most
        /// `limit + 1` pages and holds at most `limit` items.
        #[test]
        fn any_page_sequence_terminates_with_bounded_items(
            pages in prop::collection::vec(hostile(), 1..40),
            limit in 1u64..300,
            asked in 1usize..50,
        ) {
            let mut g = PageGuard::new(limit, "test");
            let mut held = 0u64;
            let mut accepted = 0u64;
            // The service may repeat its sequence of pages for ever: cycle through them.
            for p in pages.iter().cycle().take(10_000) {
                let next = p.cursor.map(|c| c.to_string());
                match g.accept(asked, p.items.clone(), |v| *v, next.as_deref()) {
                    Ok(fresh) => {
                        held += fresh.len() as u64;
                        accepted += 1;
                        prop_assert!(held <= limit);
                        if next.is_none() {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
            prop_assert!(accepted <= limit + 1);
            prop_assert!(g.pages() <= limit + 2);
        }
    }
}
