//! The dashboard's model: all of its state, `update(&mut App, Event) -> Vec<Effect>`,
//! the panes, paging, the key map, the palette and the write dialogs' state. No I/O, and
//! never an import of the view (`tui::ui`): drawing reads the model, never the reverse.

pub mod actions;
pub mod app;
pub mod event;
pub mod fetch;
pub mod group_search;
pub mod keymap;
mod keys;
pub mod layout;
pub mod listview;
pub mod live;
mod message_view;
pub mod modal;
pub mod paged;
pub mod palette;
pub mod pane;
pub mod panes;
mod people;
mod positions;
pub mod results;
pub mod search;
pub mod status;
mod store_flow;
pub mod stored;
mod user_flow;
pub mod user_view;

#[cfg(test)]
mod app_tests;
#[cfg(test)]
mod flow_tests;
