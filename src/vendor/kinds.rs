//! The service's kinds of things: its group types (with what each supports) and the kinds
//! of history entries.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Chat group types, under their current names. `Private` and `ChatRoom` are the old names
/// of `Work` and `Meeting`; both spellings parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupType {
    Work,
    Public,
    Meeting,
    AVChatRoom,
    Community,
}

impl GroupType {
    pub const ALL: [GroupType; 5] = [
        GroupType::Work,
        GroupType::Public,
        GroupType::Meeting,
        GroupType::AVChatRoom,
        GroupType::Community,
    ];

    /// The name the REST API uses on the wire (the old names, which every version accepts).
    pub fn wire_name(self) -> &'static str {
        match self {
            GroupType::Work => "Private",
            GroupType::Public => "Public",
            GroupType::Meeting => "ChatRoom",
            GroupType::AVChatRoom => "AVChatRoom",
            GroupType::Community => "Community",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            GroupType::Work => "Work",
            GroupType::Public => "Public",
            GroupType::Meeting => "Meeting",
            GroupType::AVChatRoom => "AVChatRoom",
            GroupType::Community => "Community",
        }
    }

    /// Group read receipts exist for Work, Public and Meeting groups only.
    pub fn supports_receipts(self) -> bool {
        matches!(
            self,
            GroupType::Work | GroupType::Public | GroupType::Meeting
        )
    }

    /// set_unread_msg_num succeeds but changes nothing for these types.
    pub fn ignores_unread_count(self) -> bool {
        matches!(self, GroupType::Meeting | GroupType::AVChatRoom)
    }
}

impl fmt::Display for GroupType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for GroupType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "work" | "private" => Ok(GroupType::Work),
            "public" => Ok(GroupType::Public),
            "meeting" | "chatroom" => Ok(GroupType::Meeting),
            "avchatroom" | "bchatroom" => Ok(GroupType::AVChatRoom),
            "community" => Ok(GroupType::Community),
            _ => Err(format!(
                "unknown group type {s:?}: use Work (Private), Public, Meeting (ChatRoom), AVChatRoom or Community"
            )),
        }
    }
}

/// Whether a history entry is a real message or a place-holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    #[default]
    Normal,
    /// Deleted, expired past the retention window, or failed to store (IsPlaceMsg 1).
    Expired,
    /// Recalled by the sender (IsPlaceMsg 2).
    Recalled,
}
