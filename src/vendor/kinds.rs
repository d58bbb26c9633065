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

/// How a member receives a group's messages (`MsgFlag` of the member calls).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum MsgFlag {
    /// Receives and is notified (the default).
    #[default]
    AcceptAndNotify,
    /// Receives without notification: the member muted the group.
    AcceptNotNotify,
    /// Receives nothing (blocked the group's messages).
    Discard,
}

impl MsgFlag {
    /// The name on the wire.
    pub fn wire_name(self) -> &'static str {
        match self {
            MsgFlag::AcceptAndNotify => "AcceptAndNotify",
            MsgFlag::AcceptNotNotify => "AcceptNotNotify",
            MsgFlag::Discard => "Discard",
        }
    }

    /// The member is not notified of the group's messages (muted it, or discards them).
    pub fn is_muted(self) -> bool {
        self != MsgFlag::AcceptAndNotify
    }
}

impl FromStr for MsgFlag {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "AcceptAndNotify" => Ok(MsgFlag::AcceptAndNotify),
            "AcceptNotNotify" => Ok(MsgFlag::AcceptNotNotify),
            "Discard" => Ok(MsgFlag::Discard),
            _ => Err(format!("unknown MsgFlag {s:?}")),
        }
    }
}

/// An account's login state (`Status` of `query_online_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum OnlineState {
    /// Logged in, with a live connection (app in the foreground, or in the background
    /// and not killed).
    Online,
    /// The app was killed or lost its connection; offline pushes still reach it.
    PushOnline,
    /// Logged out, or not logged in for 7 days.
    Offline,
}

impl OnlineState {
    pub const ALL: [OnlineState; 3] = [
        OnlineState::Online,
        OnlineState::PushOnline,
        OnlineState::Offline,
    ];

    /// The name on the wire (and shown to people).
    pub fn wire_name(self) -> &'static str {
        match self {
            OnlineState::Online => "Online",
            OnlineState::PushOnline => "PushOnline",
            OnlineState::Offline => "Offline",
        }
    }
}

impl fmt::Display for OnlineState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

impl FromStr for OnlineState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OnlineState::ALL
            .into_iter()
            .find(|o| o.wire_name() == s)
            .ok_or_else(|| format!("unknown online state {s:?}"))
    }
}

/// A conversation's type (`Type` of `recentcontact` items): 1 one-to-one (C2C), 2 group
/// (G2C).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ConversationType {
    C2c,
    Group,
}

impl ConversationType {
    /// The number on the wire.
    pub fn wire(self) -> u64 {
        match self {
            ConversationType::C2c => 1,
            ConversationType::Group => 2,
        }
    }

    /// The type with this wire number, if it is one.
    pub fn from_wire(n: u64) -> Option<ConversationType> {
        match n {
            1 => Some(ConversationType::C2c),
            2 => Some(ConversationType::Group),
            _ => None,
        }
    }
}
