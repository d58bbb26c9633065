//! What the service is: its REST endpoints with their documented frequency limits, its error
//! codes and what they mean, its group types, and the documented bounds of its lists and
//! pages. One source for the client, the sandbox, the write gate and the dashboard; it
//! depends on nothing else in the crate.

pub mod codes;
pub mod endpoints;
mod explain;
pub mod kinds;
pub mod limits;

pub use endpoints::{ENDPOINTS, Endpoint, Kind, VendorLimit};
pub use explain::{Meaning, known_codes, meaning as explain_code};
pub use kinds::{ConversationType, GroupType, MessageKind, MsgFlag, OnlineState};
