//! The handlers, one file per family of endpoints (`group`, `receipt`, `openim`, `profile`,
//! `presence`, `joined`: one account's groups, `recentcontact`: its conversations), and what
//! they share: the context a handler gets besides the world and the body, the reply type,
//! and the helpers for group lookups and "invalid parameter" answers. The server routes a
//! call here; nothing here knows about HTTP.

pub(crate) mod group;
pub(crate) mod joined;
pub(crate) mod openim;
pub(crate) mod presence;
pub(crate) mod profile;
pub(crate) mod receipt;
pub(crate) mod recentcontact;

use serde_json::{Map, Value};

use super::fields::{
    ApiErr, Body, GROUP_BAD_ID, GROUP_INVALID, GROUP_NOT_FOUND, group_id_is_valid,
};
use super::receipts::ReadEvent;
use super::world::World;

/// What a handler gets besides the world and the body.
pub(crate) struct Ctx<'a> {
    pub admin: &'a str,
    pub sdkappid: u64,
    /// Read events to report through the callback.
    pub events: Vec<ReadEvent>,
}

/// A handler's answer: the fields of a successful reply (the envelope is added by the
/// server), or a business error.
pub(crate) type Reply = Result<Map<String, Value>, ApiErr>;

/// The fields of a JSON object (an empty map for anything else).
pub(crate) fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The group service's "invalid parameter" answer.
pub(crate) fn invalid(info: impl Into<String>) -> ApiErr {
    ApiErr::new(GROUP_INVALID, info)
}

/// The group with ID `id`: 10015 for a malformed ID, 10010 for an unknown one.
pub(crate) fn lookup_group(w: &World, id: &str) -> Result<usize, ApiErr> {
    if !group_id_is_valid(id) {
        return Err(ApiErr::new(
            GROUP_BAD_ID,
            format!("invalid group ID {id:?}: use the ID get_appid_group_list returns"),
        ));
    }
    w.group_idx(id).ok_or_else(|| {
        ApiErr::new(
            GROUP_NOT_FOUND,
            format!("group {id} does not exist or has been disbanded"),
        )
    })
}

/// The group named by the body's `GroupId`.
pub(crate) fn find_group(w: &World, body: &Body) -> Result<usize, ApiErr> {
    lookup_group(w, body.req_str("GroupId")?)
}
