//! The groups pane: group IDs paged from `get_appid_group_list`, details (names, types,
//! member counts) fetched for the visible rows.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::api::GroupInfo;
use crate::api::group_index::{GroupIndex, IndexedGroup};
use crate::tui::model::listview::{ListView, RowFilter, contains_folded};
use crate::tui::model::paged::{Bounds, PagedList};

use super::list_pane::ListPane;

/// Group IDs asked per `get_appid_group_list` page (that API allows 1 call/s, ≤ 10,000).
pub const GROUP_PAGE: u32 = 1000;
/// Group IDs: no documented maximum per app; each listing is also held to the
/// `TotalCount` the service reports.
const GROUP_BOUNDS: Bounds = Bounds {
    page_size: GROUP_PAGE as usize,
    max_items: u32::MAX as u64,
    why: "the most group IDs a listing holds",
};
/// At most this many group IDs per `get_group_info` effect (the client chunks by 50).
pub const INFO_BATCH: usize = 100;

/// Details of one group, as far as they are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupDetails {
    Loading,
    Loaded(GroupInfo),
    /// The service answered with a per-group error code (e.g. 10010: no such group).
    Missing(i64),
    Failed,
}

/// The groups pane: IDs paged from `get_appid_group_list`, details for the visible rows.
#[derive(Debug, Clone)]
pub struct GroupsPane {
    /// Group IDs; the cursor is the API's `Next` (0 first; a returned 0 ends the list).
    pub list: PagedList<String, u64>,
    pub details: HashMap<String, GroupDetails>,
    pub view: ListView,
    pub filter: RowFilter,
    pub info_in_flight: bool,
    /// Every group's name and type, once the background index is in: `/` searches it.
    index: Option<Arc<GroupIndex>>,
    /// Index position of each indexed group ID.
    index_pos: HashMap<String, usize>,
    /// Names borne by more than one group (folded): such rows show their IDs.
    shared_names: HashSet<String>,
    /// Indexed groups the list has not loaded (rows after the list's while filtering),
    /// and the list length they were worked out for.
    unlisted: Vec<String>,
    unlisted_for: Option<usize>,
}

impl Default for GroupsPane {
    fn default() -> Self {
        GroupsPane {
            list: PagedList::new(0, GROUP_BOUNDS),
            details: HashMap::new(),
            view: ListView::default(),
            filter: RowFilter::default(),
            info_in_flight: false,
            index: None,
            index_pos: HashMap::new(),
            shared_names: HashSet::new(),
            unlisted: Vec::new(),
            unlisted_for: None,
        }
    }
}

impl GroupsPane {
    pub fn info(&self, id: &str) -> Option<&GroupInfo> {
        match self.details.get(id) {
            Some(GroupDetails::Loaded(info)) => Some(info),
            _ => None,
        }
    }

    /// Put the selection back on group `id` (its row may have moved when the rows were
    /// rebuilt). False when no shown row holds it.
    pub fn reselect(&mut self, id: Option<&str>) -> bool {
        let Some(id) = id else { return false };
        let row = (0..self.visible_len()).find(|&row| {
            self.filter
                .item_index(row)
                .and_then(|i| self.row_id(i))
                .is_some_and(|g| g == id)
        });
        if let Some(row) = row {
            self.view.selected = row;
        }
        row.is_some()
    }

    /// The group index is in: a filter now searches every group, not the loaded ones only.
    pub fn set_index(&mut self, index: Arc<GroupIndex>) {
        let selected = self.selected_id().cloned();
        self.index_pos = index
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.clone(), i))
            .collect();
        let mut seen = HashSet::new();
        self.shared_names = index
            .groups
            .iter()
            .map(|g| g.name.to_lowercase())
            .filter(|n| !n.is_empty() && !seen.insert(n.clone()))
            .collect();
        self.index = Some(index);
        self.unlisted_for = None;
        self.filter.invalidate();
        self.sync_filter();
        self.reselect(selected.as_deref());
    }

    /// The index's entry for a group, if the index is in and lists it.
    pub fn indexed(&self, id: &str) -> Option<&IndexedGroup> {
        let i = *self.index_pos.get(id)?;
        self.index.as_ref()?.groups.get(i)
    }

    /// Whether the index is in (a filter then covers every group).
    pub fn has_index(&self) -> bool {
        self.index.is_some()
    }

    /// Does another group bear this name? (Its row then shows the ID.)
    pub fn name_is_shared(&self, name: &str) -> bool {
        !self.shared_names.is_empty() && self.shared_names.contains(&name.to_lowercase())
    }

    /// Rows a filter can match: the loaded IDs, then (with the index) the indexed groups
    /// not loaded yet. Without a filter only the loaded IDs are shown.
    pub fn searchable_len(&self) -> usize {
        self.list.len() + self.unlisted.len()
    }

    /// The group ID of a filterable row (see `searchable_len`).
    pub fn row_id(&self, item: usize) -> Option<&String> {
        match item.checked_sub(self.list.len()) {
            None => self.list.get(item),
            Some(extra) => self.unlisted.get(extra),
        }
    }

    /// The list was paged again from the start: the groups it lacks are worked out anew.
    pub fn list_replaced(&mut self) {
        self.unlisted_for = None;
        self.filter.invalidate();
    }

    /// Work out again which indexed groups the list lacks, when the list has changed.
    fn sync_unlisted(&mut self) {
        let Some(index) = &self.index else { return };
        if self.unlisted_for == Some(self.list.len()) {
            return;
        }
        let listed: HashSet<&str> = self.list.items().iter().map(String::as_str).collect();
        self.unlisted = index
            .groups
            .iter()
            .filter(|g| !listed.contains(g.id.as_str()))
            .map(|g| g.id.clone())
            .collect();
        self.unlisted_for = Some(self.list.len());
        self.filter.invalidate();
    }

    pub fn sync_filter(&mut self) {
        self.sync_unlisted();
        let len = self.searchable_len();
        let (details, index, pos) = (&self.details, &self.index, &self.index_pos);
        let (list, unlisted) = (self.list.items(), &self.unlisted);
        self.filter.sync_by_index(len, |i, needle| {
            let id = match i.checked_sub(list.len()) {
                None => &list[i],
                Some(extra) => &unlisted[extra],
            };
            let loaded = matches!(details.get(id), Some(GroupDetails::Loaded(g)) if contains_folded(&g.name, needle));
            let indexed = || {
                pos.get(id)
                    .and_then(|&p| index.as_ref()?.groups.get(p))
                    .is_some_and(|g| contains_folded(&g.name, needle))
            };
            contains_folded(id, needle) || loaded || indexed()
        });
    }

    pub fn selected_id(&self) -> Option<&String> {
        self.filter
            .item_index(self.view.selected)
            .and_then(|i| self.row_id(i))
    }

    /// IDs without details from the first visible row down to `span` rows, at most
    /// `INFO_BATCH`: what to fetch so the visible rows (and the next screen) get names.
    pub fn ids_needing_details(&self, height: usize) -> Vec<String> {
        let len = self.visible_len();
        let visible = self.view.window(len, height);
        let needs = |id: &String| !self.details.contains_key(id);
        let any_visible_missing = visible
            .clone()
            .filter_map(|row| self.filter.item_index(row).and_then(|i| self.row_id(i)))
            .any(needs);
        if !any_visible_missing {
            return Vec::new();
        }
        let end = (visible.start + height * 3).min(len);
        (visible.start..end)
            .filter_map(|row| self.filter.item_index(row).and_then(|i| self.row_id(i)))
            .filter(|id| needs(id))
            .take(INFO_BATCH)
            .cloned()
            .collect()
    }
}

impl ListPane for GroupsPane {
    fn view(&self) -> &ListView {
        &self.view
    }
    fn view_mut(&mut self) -> &mut ListView {
        &mut self.view
    }
    fn filter(&self) -> &RowFilter {
        &self.filter
    }
    fn filter_mut(&mut self) -> &mut RowFilter {
        &mut self.filter
    }
    fn sync_filter(&mut self) {
        GroupsPane::sync_filter(self);
    }
    fn loaded_len(&self) -> usize {
        self.list.len()
    }
    fn is_complete(&self) -> bool {
        self.list.is_exhausted()
    }
    fn has_failed(&self) -> bool {
        self.list.error().is_some()
    }
    fn is_refreshing(&self) -> bool {
        self.list.is_refreshing()
    }
    fn noun(&self) -> &'static str {
        "groups"
    }
    fn selected_text(&self) -> Option<String> {
        self.selected_id().cloned()
    }
}
