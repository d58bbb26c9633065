//! `PagedList<T, C>`: a lazily loaded list with a next-page cursor.
//!
//! The list owns its items, the cursor of the next page and its load state
//! (Idle / Loading / Failed / Exhausted). Every fetch is tagged with the list's
//! generation; resetting or refreshing the list bumps the generation, so results of
//! fetches started before are recognised as stale and dropped. At most one fetch is in
//! flight per list: `begin_fetch` refuses while one is outstanding.
//!
//! A refresh keeps the loaded items on screen until the first page of the new
//! generation arrives (then it replaces them); a failure never removes items.
//!
//! Every page passes a [`PageGuard`] before it is added: a page larger than asked, a page
//! that adds nothing yet says more follow, a repeated cursor, or a list past its
//! [`Bounds`] stops the list in the failed state, so a misbehaving service can neither
//! keep the dashboard calling nor grow its memory. Items seen before are dropped.

use std::fmt::Debug;
use std::hash::Hash;

use crate::api::pager::{PageGuard, PagingFault};

/// What identifies an item of a list (so repeats can be dropped).
pub trait Keyed {
    type Key: Eq + Hash;
    fn key(&self) -> Self::Key;
}

impl Keyed for String {
    type Key = String;
    fn key(&self) -> String {
        self.clone()
    }
}

impl Keyed for u32 {
    type Key = u32;
    fn key(&self) -> u32 {
        *self
    }
}

/// The size of the pages a list asks for, and the most items it may ever hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub page_size: usize,
    pub max_items: u64,
    /// Where `max_items` comes from, for the error that names it.
    pub why: &'static str,
}

/// Load state of a paged list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageState {
    /// More pages may exist; nothing in flight.
    Idle,
    /// A fetch is in flight.
    Loading,
    /// The last fetch failed; items are kept. `r` retries.
    Failed(String),
    /// The server said there is nothing more.
    Exhausted,
}

/// A fetch the caller must start: the cursor to ask with and the generation to tag
/// the result with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<C> {
    pub generation: u64,
    pub cursor: C,
}

/// One page as the list consumes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T, C> {
    pub items: Vec<T>,
    /// Cursor of the following page, or `None` when this was the last page.
    pub next: Option<C>,
}

/// What happened to a result handed to [`PagedList::apply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// From an older generation (or not expected): ignored.
    Stale,
    /// Accepted; `added` items appended (or, for a refresh, the items were replaced).
    Loaded { added: usize, replaced: bool },
    /// The fetch failed; the error is recorded, the items are kept.
    Failed,
    /// The page broke a paging rule: the list stops (failed), the items are kept.
    Fault(PagingFault),
}

/// A lazily paged list.
#[derive(Debug, Clone)]
pub struct PagedList<T: Keyed, C> {
    items: Vec<T>,
    first_cursor: C,
    cursor: C,
    state: PageState,
    generation: u64,
    /// A refresh is under way: the next accepted page replaces the items.
    replacing: bool,
    /// Total size reported by the server, when known.
    total: Option<u64>,
    bounds: Bounds,
    /// Checks the pages of the current generation.
    guard: PageGuard<T::Key>,
    /// Repeats were already reported for this generation.
    repeats_reported: bool,
}

impl<T: Keyed, C: Clone + Debug> PagedList<T, C> {
    /// An empty list whose first page is fetched with `first_cursor`, held to `bounds`.
    pub fn new(first_cursor: C, bounds: Bounds) -> Self {
        PagedList {
            items: Vec::new(),
            cursor: first_cursor.clone(),
            first_cursor,
            state: PageState::Idle,
            generation: 0,
            replacing: false,
            total: None,
            bounds,
            guard: PageGuard::new(bounds.max_items, bounds.why),
            repeats_reported: false,
        }
    }

    fn new_guard(&mut self) {
        self.guard = PageGuard::new(self.bounds.max_items, self.bounds.why);
        self.repeats_reported = false;
    }

    /// Hold the current generation to a size the service reported for this list.
    pub fn report_size(&mut self, generation: u64, size: u64, what: &str) {
        if generation == self.generation {
            self.guard.reported(size, what);
        }
    }

    /// Replace the items with a complete list, as if every page had arrived, without the
    /// page checks: for measuring how drawing scales with a list no service may send (the
    /// render benchmark and its test draw 100,000 members). Listings never use it.
    pub fn set_loaded(&mut self, items: Vec<T>) {
        self.items = items;
        self.state = PageState::Exhausted;
        self.replacing = false;
    }

    /// How many repeated items were dropped in this generation, the first time there are
    /// any (so the caller says so once).
    pub fn take_repeats_report(&mut self) -> Option<u64> {
        let n = self.guard.duplicates();
        (n > 0 && !std::mem::replace(&mut self.repeats_reported, true)).then_some(n)
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }

    pub fn items_mut(&mut self) -> &mut [T] {
        &mut self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&T> {
        self.items.get(index)
    }

    pub fn state(&self) -> &PageState {
        &self.state
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn total(&self) -> Option<u64> {
        self.total
    }

    pub fn set_total(&mut self, total: Option<u64>) {
        self.total = total;
    }

    pub fn is_loading(&self) -> bool {
        self.state == PageState::Loading
    }

    pub fn is_exhausted(&self) -> bool {
        self.state == PageState::Exhausted
    }

    pub fn error(&self) -> Option<&str> {
        match &self.state {
            PageState::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// True while a refresh is pending and the items shown are the old ones.
    pub fn is_refreshing(&self) -> bool {
        self.replacing
    }

    /// Start fetching the next page if the list is idle. Returns the request to run, or
    /// `None` when a fetch is already in flight, the list is exhausted or it failed (a
    /// failed list only fetches again after [`PagedList::retry`]).
    pub fn begin_fetch(&mut self) -> Option<PageRequest<C>> {
        if self.state != PageState::Idle {
            return None;
        }
        self.state = PageState::Loading;
        Some(PageRequest {
            generation: self.generation,
            cursor: self.cursor.clone(),
        })
    }

    /// After a failure: become idle again so the next `begin_fetch` retries the same page.
    /// Returns false when the list was not in the failed state.
    pub fn retry(&mut self) -> bool {
        if matches!(self.state, PageState::Failed(_)) {
            self.state = PageState::Idle;
            true
        } else {
            false
        }
    }

    /// Should the next page be fetched now? True when the list is idle and the reader
    /// (at `position`, counted in loaded items) is within `threshold` items of the end.
    pub fn wants_more(&self, position: usize, threshold: usize) -> bool {
        self.state == PageState::Idle && self.items.len().saturating_sub(position) <= threshold
    }

    /// Forget everything and start over (a different message, filter, group...). Any
    /// fetch in flight becomes stale.
    pub fn reset(&mut self, first_cursor: C) {
        self.items.clear();
        self.first_cursor = first_cursor.clone();
        self.cursor = first_cursor;
        self.state = PageState::Idle;
        self.generation = self.generation.wrapping_add(1);
        self.replacing = false;
        self.total = None;
        self.new_guard();
    }

    /// Reload from the first page, keeping the current items visible until the first
    /// new page arrives. Any fetch in flight becomes stale. Returns the request to run.
    pub fn refresh(&mut self) -> PageRequest<C> {
        self.generation = self.generation.wrapping_add(1);
        self.cursor = self.first_cursor.clone();
        self.replacing = true;
        self.new_guard();
        self.state = PageState::Loading;
        PageRequest {
            generation: self.generation,
            cursor: self.cursor.clone(),
        }
    }

    /// Hand a fetch result back. Results of another generation, or arriving when no
    /// fetch is in flight, are stale and change nothing.
    pub fn apply<E: ToString>(
        &mut self,
        generation: u64,
        result: Result<Page<T, C>, E>,
    ) -> Applied {
        if generation != self.generation || self.state != PageState::Loading {
            return Applied::Stale;
        }
        match result {
            Ok(page) => {
                let next_key = page.next.as_ref().map(|c| format!("{c:?}"));
                let items = match self.guard.accept(
                    self.bounds.page_size,
                    page.items,
                    T::key,
                    next_key.as_deref(),
                ) {
                    Ok(items) => items,
                    Err(fault) => {
                        self.state = PageState::Failed(fault.to_string());
                        return Applied::Fault(fault);
                    }
                };
                let added = items.len();
                let replaced = self.replacing;
                if replaced {
                    self.items = items;
                    self.replacing = false;
                } else {
                    self.items.extend(items);
                }
                match page.next {
                    Some(next) => {
                        self.cursor = next;
                        self.state = PageState::Idle;
                    }
                    None => self.state = PageState::Exhausted,
                }
                Applied::Loaded { added, replaced }
            }
            Err(e) => {
                self.state = PageState::Failed(e.to_string());
                Applied::Failed
            }
        }
    }
}

#[cfg(test)]
#[path = "paged_tests.rs"]
mod tests;
