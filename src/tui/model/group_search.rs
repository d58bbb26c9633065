//! Groups by name across all groups: the background index (every group's name and type,
//! cached on disk per app), `:group NAME` searching it, and the picker that lists groups
//! of the same name with their IDs. Part of `update`: no I/O.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::api::ApiError;
use crate::api::group_index::{GroupIndex, IndexProgress, IndexedGroup};

use super::app::{App, Source};
use super::event::Effect;
use super::search::{PICKER_MAX, Picker};

/// Does `text` look like a group ID rather than a name? Auto IDs start `@TGS#`; custom
/// IDs are what the loaded list or the index knows as an ID.
fn looks_like_id(app: &App, text: &str) -> bool {
    text.to_ascii_uppercase().starts_with("@TGS#")
        || app.groups.list.items().iter().any(|g| g == text)
        || app
            .search
            .index
            .as_ref()
            .is_some_and(|ix| ix.groups.iter().any(|g| g.id == text))
}

impl App {
    /// `:group X`: an ID opens at once; a name is looked up in the index (one match opens,
    /// several open the picker).
    pub(super) fn group_command(&mut self, text: String, fx: &mut Vec<Effect>) {
        let text = text.trim().to_string();
        if looks_like_id(self, &text) {
            self.open_group(text, fx);
            return;
        }
        let Some(index) = self.search.index.as_ref() else {
            let how = match self.search.building {
                Some(p) => format!(
                    "the group index is being built ({} of {} groups named)",
                    crate::text::thousands(p.named),
                    crate::text::thousands(p.total)
                ),
                None => match &self.search.failed {
                    Some(why) => format!("the group index could not be built ({why})"),
                    None => "the group index is not built".to_string(),
                },
            };
            self.report(
                Source::Command,
                format!("no group ID {text:?}, and {how}"),
                "try again in a moment, or :group with the group's ID".into(),
            );
            return;
        };
        let found: Vec<IndexedGroup> = index.search(&text).into_iter().cloned().collect();
        match found.as_slice() {
            [] => self.report(
                Source::Command,
                format!(
                    "no group's name or ID contains {text:?} (among {} groups)",
                    crate::text::thousands(index.groups.len() as u64)
                ),
                "check the spelling; :group ID opens a group by its ID".into(),
            ),
            [one] => {
                let id = one.id.clone();
                self.open_group(id, fx);
            }
            _ => {
                let total = found.len();
                self.search.picker = Some(Picker {
                    query: text,
                    matches: found.into_iter().take(PICKER_MAX).collect(),
                    total,
                    selected: 0,
                });
            }
        }
    }

    /// A key while the picker is open: move, open the selected group, or close.
    pub(super) fn on_picker_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) -> bool {
        let Some(picker) = self.search.picker.as_mut() else {
            return false;
        };
        let last = picker.matches.len().saturating_sub(1);
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => picker.selected = (picker.selected + 1).min(last),
            KeyCode::Char('k') | KeyCode::Up => picker.selected = picker.selected.saturating_sub(1),
            KeyCode::Enter => {
                let id = picker.matches.get(picker.selected).map(|g| g.id.clone());
                self.search.picker = None;
                if let Some(id) = id {
                    self.open_group(id, fx);
                }
            }
            _ => self.search.picker = None,
        }
        true
    }

    /// The index build's progress.
    pub(super) fn on_index_progress(&mut self, progress: IndexProgress) -> bool {
        if self.search.index.is_some() {
            return false;
        }
        self.search.building = Some(progress);
        true
    }

    /// The index is in (from the cache or a build), or the build failed.
    pub(super) fn on_group_index(
        &mut self,
        result: Result<GroupIndex, ApiError>,
        from_cache: bool,
    ) -> bool {
        self.search.building = None;
        match result {
            Ok(index) => {
                if !from_cache {
                    self.status.notice = Some(format!(
                        "indexed {} groups: / and :group NAME find any of them",
                        crate::text::thousands(index.groups.len() as u64)
                    ));
                }
                let index = std::sync::Arc::new(index);
                self.groups.set_index(index.clone());
                self.search.index = Some(index);
                self.search.from_cache = from_cache;
                self.search.failed = None;
            }
            Err(e) => {
                tracing::warn!(error = %e, "building the group index failed");
                self.search.failed = Some(super::status::explain(&e).what);
            }
        }
        true
    }
}
