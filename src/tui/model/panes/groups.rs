//! The groups pane: group IDs paged from `get_appid_group_list`, details (names, types,
//! member counts) fetched for the visible rows.

use std::collections::HashMap;

use crate::api::GroupInfo;
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
}

impl Default for GroupsPane {
    fn default() -> Self {
        GroupsPane {
            list: PagedList::new(0, GROUP_BOUNDS),
            details: HashMap::new(),
            view: ListView::default(),
            filter: RowFilter::default(),
            info_in_flight: false,
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

    pub fn sync_filter(&mut self) {
        let details = &self.details;
        self.filter.sync(self.list.items(), |id, needle| {
            contains_folded(id, needle)
                || matches!(details.get(id), Some(GroupDetails::Loaded(g)) if contains_folded(&g.name, needle))
        });
    }

    pub fn selected_id(&self) -> Option<&String> {
        self.filter
            .item_index(self.view.selected)
            .and_then(|i| self.list.get(i))
    }

    /// IDs without details from the first visible row down to `span` rows, at most
    /// `INFO_BATCH`: what to fetch so the visible rows (and the next screen) get names.
    pub fn ids_needing_details(&self, height: usize) -> Vec<String> {
        let len = self.visible_len();
        let visible = self.view.window(len, height);
        let needs = |id: &String| !self.details.contains_key(id);
        let any_visible_missing = visible
            .clone()
            .filter_map(|row| self.filter.item_index(row).and_then(|i| self.list.get(i)))
            .any(needs);
        if !any_visible_missing {
            return Vec::new();
        }
        let end = (visible.start + height * 3).min(len);
        (visible.start..end)
            .filter_map(|row| self.filter.item_index(row).and_then(|i| self.list.get(i)))
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
