//! What every list pane shares: a cursor and scroll offset over the rows it shows, a `/`
//! filter over its loaded rows, and a paged list behind them. `App::pane(Pane)` gives the
//! pane as a `ListPane`, so moving, filtering, refreshing and loading everything are one
//! piece of code for every pane (a new pane is one file implementing this trait).

use crate::tui::model::listview::{ListView, RowFilter};

pub trait ListPane {
    /// Selected row and scroll offset (in shown rows).
    fn view(&self) -> &ListView;
    fn view_mut(&mut self) -> &mut ListView;
    fn filter(&self) -> &RowFilter;
    fn filter_mut(&mut self) -> &mut RowFilter;
    /// Scan rows loaded since the last call against the filter.
    fn sync_filter(&mut self);
    /// Rows loaded so far.
    fn loaded_len(&self) -> usize;
    /// Rows shown: all loaded rows, or those the filter keeps.
    fn visible_len(&self) -> usize {
        self.filter().visible_len(self.loaded_len())
    }
    /// Nothing more to load (`>` stops and goes to the end).
    fn is_complete(&self) -> bool;
    /// The list's last fetch failed.
    fn has_failed(&self) -> bool;
    /// A reload of the list is on its way.
    fn is_refreshing(&self) -> bool;
    /// What the rows are, plural ("groups").
    fn noun(&self) -> &'static str;
    /// What `c` copies from the selected row (an ID, a seq, an account).
    fn selected_text(&self) -> Option<String>;

    /// Show only rows matching `query`, keeping the selected row selected when it still
    /// shows (else the first row).
    fn set_query(&mut self, query: &str) {
        let item = self.filter().item_index(self.view().selected);
        self.filter_mut().set_query(query);
        self.sync_filter();
        // A row the filter found beyond the loaded ones (the Groups pane's index) is not
        // shown without it: then the first row.
        let row = item
            .and_then(|i| self.filter().row_of(i))
            .filter(|&row| row < self.visible_len())
            .unwrap_or(0);
        self.view_mut().selected = row;
    }
}
