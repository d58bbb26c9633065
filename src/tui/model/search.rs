//! The state behind groups by name: the group index (every group's name and type), its
//! build's progress, and the picker `:group NAME` opens among same-named groups. The
//! rules that change it are in `group_search.rs`.

use std::sync::Arc;

use crate::api::GroupType;
use crate::api::group_index::{GroupIndex, IndexProgress, IndexedGroup};

/// The most groups the picker lists (a search matching more says so).
pub const PICKER_MAX: usize = 200;

/// The index and its build.
#[derive(Debug, Clone, Default)]
pub struct GroupSearch {
    pub index: Option<Arc<GroupIndex>>,
    /// A build is running: how far it got.
    pub building: Option<IndexProgress>,
    /// The index came from the disk cache.
    pub from_cache: bool,
    /// Why the last build failed.
    pub failed: Option<String>,
    /// `:group NAME` matched several groups: pick one.
    pub picker: Option<Picker>,
}

/// Groups matching a name, one of them selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub query: String,
    pub matches: Vec<IndexedGroup>,
    /// All that matched (the list holds at most [`PICKER_MAX`]).
    pub total: usize,
    pub selected: usize,
}

/// A type's short label for the picker.
pub fn type_label(t: Option<GroupType>) -> &'static str {
    t.map_or("?", |t| t.label())
}
