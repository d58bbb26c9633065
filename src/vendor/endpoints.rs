//! The service's REST APIs: each one's name, path, whether it reads or changes state, and
//! the frequency limit the vendor documents for it. Every path is written here once; the
//! client's calls, the sandbox's routes and the write gate's request line derive from it.

/// The figure assumed where the vendor documents no limit for an API: 200 calls/s, what the
/// vendor gives for most of its APIs. Ours, not the vendor's.
pub const ASSUMED_LIMIT_PER_SEC: u32 = 200;

/// Whether a call reads or changes state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Idempotent: retried with backoff on retryable failures; may move to the standby domain.
    Read,
    /// Changes state: never retried, never sent to another domain on its own.
    Write,
}

/// The service's call-frequency limit for one API, per SDKAppID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VendorLimit {
    /// Calls per second.
    pub per_sec: u32,
    /// True when the vendor's pages state the figure; false when it is our assumption.
    pub documented: bool,
}

impl VendorLimit {
    /// "vendor doc" or "our assumption", for `config` and error messages.
    pub fn source(&self) -> &'static str {
        if self.documented {
            "vendor doc"
        } else {
            "our assumption"
        }
    }
}

/// One REST endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// Short name for errors, logs and `[profiles.X.api_budget]`, e.g. `get_group_msg_receipt`.
    pub api: &'static str,
    /// The service part of the path, e.g. `group_open_http_svc` or `openim`.
    pub service: &'static str,
    /// Path after the host, e.g. `v4/group_open_http_svc/get_group_msg_receipt`.
    pub path: &'static str,
    pub kind: Kind,
    /// The vendor's limit for this API (our assumption of 200/s unless documented).
    pub limit: VendorLimit,
}

/// An [`Endpoint`] whose path is built from its service and name, so the three agree.
macro_rules! endpoint {
    ($kind:ident, $service:literal, $api:literal) => {
        Endpoint {
            api: $api,
            service: $service,
            path: concat!("v4/", $service, "/", $api),
            kind: Kind::$kind,
            limit: VendorLimit {
                per_sec: ASSUMED_LIMIT_PER_SEC,
                documented: false,
            },
        }
    };
}

impl Endpoint {
    /// The limit the vendor's pages state for this API, calls per second.
    pub const fn documented_limit(self, per_sec: u32) -> Self {
        Endpoint {
            limit: VendorLimit {
                per_sec,
                documented: true,
            },
            ..self
        }
    }

    /// `service/command`: the path without its `v4/` version prefix.
    pub fn route(&self) -> &'static str {
        self.path.strip_prefix("v4/").unwrap_or(self.path)
    }
}

/// `get_appid_group_list`: 1 call/s (trtc.io 34960), the exception to the usual 200/s.
pub const GROUP_LIST: Endpoint =
    endpoint!(Read, "group_open_http_svc", "get_appid_group_list").documented_limit(1);
pub const GROUP_INFO: Endpoint =
    endpoint!(Read, "group_open_http_svc", "get_group_info").documented_limit(200);
pub const MEMBER_INFO: Endpoint =
    endpoint!(Read, "group_open_http_svc", "get_group_member_info").documented_limit(200);
/// 200 calls/s (trtc.io/document/64897).
pub const SPECIFIED_MEMBER_INFO: Endpoint = endpoint!(
    Read,
    "group_open_http_svc",
    "get_specified_group_member_info"
)
.documented_limit(200);
pub const HISTORY: Endpoint =
    endpoint!(Read, "group_open_http_svc", "group_msg_get_simple").documented_limit(200);
/// No documented limit: 200/s assumed.
pub const SEND: Endpoint = endpoint!(Write, "group_open_http_svc", "send_group_msg");
pub const GET_RECEIPT: Endpoint =
    endpoint!(Read, "group_open_http_svc", "get_group_msg_receipt").documented_limit(200);
pub const GET_RECEIPT_DETAIL: Endpoint =
    endpoint!(Read, "group_open_http_svc", "get_group_msg_receipt_detail").documented_limit(200);
/// No documented limit: 200/s assumed.
pub const SEND_RECEIPT: Endpoint = endpoint!(Write, "group_open_http_svc", "group_msg_receipt");
/// `get_c2c_unread_msg_num`: one account's 1:1 unread counts, in total and for at most 10
/// peers a call; 200 calls/s (trtc.io/document/41046).
pub const C2C_UNREAD: Endpoint =
    endpoint!(Read, "openim", "get_c2c_unread_msg_num").documented_limit(200);
pub const MARK_READ: Endpoint =
    endpoint!(Write, "openim", "admin_set_msg_read").documented_limit(200);
pub const SET_UNREAD: Endpoint =
    endpoint!(Write, "group_open_http_svc", "set_unread_msg_num").documented_limit(200);
/// `portrait_get`: profile fields (the nickname) of at most 100 accounts a call, 200 calls/s
/// (tencentcloud.com/document/product/1047/34917).
pub const PORTRAIT_GET: Endpoint = endpoint!(Read, "profile", "portrait_get").documented_limit(200);
/// `query_online_status`: the login state of at most 500 accounts a call, 200 calls/s
/// (trtc.io/document/35477).
pub const ONLINE_STATUS: Endpoint =
    endpoint!(Read, "openim", "query_online_status").documented_limit(200);

/// `get_joined_group_list`: the groups one account is in, with its own state in each
/// (`SelfInfo`), `Limit` ≤ 5,000 + `Offset`; 200 calls/s (trtc.io/document/34925).
pub const JOINED_GROUPS: Endpoint =
    endpoint!(Read, "group_open_http_svc", "get_joined_group_list").documented_limit(200);
/// `recentcontact/get_list`: one account's conversation list, paged by its
/// `TimeStamp`/`StartIndex` cursors; 200 calls/s (trtc.io/document/43087).
pub const RECENT_CONTACTS: Endpoint =
    endpoint!(Read, "recentcontact", "get_list").documented_limit(200);

/// Every endpoint, in the order `config` lists them.
pub const ENDPOINTS: [Endpoint; 16] = [
    GROUP_LIST,
    GROUP_INFO,
    MEMBER_INFO,
    SPECIFIED_MEMBER_INFO,
    HISTORY,
    SEND,
    GET_RECEIPT,
    GET_RECEIPT_DETAIL,
    SEND_RECEIPT,
    C2C_UNREAD,
    MARK_READ,
    SET_UNREAD,
    PORTRAIT_GET,
    ONLINE_STATUS,
    JOINED_GROUPS,
    RECENT_CONTACTS,
];

/// The endpoint called `api`, if the table has it.
pub fn by_name(api: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.api == api)
}

/// The endpoint at `service/command` (a path without `v4/`), if the table has it.
pub fn by_route(route: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.route() == route)
}

/// The names of every endpoint, comma-separated (for error messages).
pub fn names() -> String {
    ENDPOINTS.map(|e| e.api).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths_are_unique_and_match() {
        for (i, a) in ENDPOINTS.iter().enumerate() {
            assert_eq!(a.path, format!("v4/{}/{}", a.service, a.api), "{a:?}");
            assert_eq!(a.route(), format!("{}/{}", a.service, a.api), "{a:?}");
            assert_eq!(by_route(a.route()).map(|e| e.api), Some(a.api));
            for b in &ENDPOINTS[i + 1..] {
                assert_ne!(a.api, b.api);
            }
        }
        assert!(by_route("openim/nope").is_none());
    }

    #[test]
    fn the_vendor_figures_are_declared() {
        // The vendor states 200/s for most APIs and 1/s for get_appid_group_list; for the
        // others it states no figure (our assumption of 200/s).
        let limit = |api: &str| by_name(api).map(|e| e.limit);
        let doc = |n| {
            Some(VendorLimit {
                per_sec: n,
                documented: true,
            })
        };
        let assumed = Some(VendorLimit {
            per_sec: 200,
            documented: false,
        });
        assert_eq!(limit("get_appid_group_list"), doc(1));
        for api in [
            "get_group_info",
            "get_group_member_info",
            "group_msg_get_simple",
            "get_group_msg_receipt",
            "get_group_msg_receipt_detail",
            "admin_set_msg_read",
            "set_unread_msg_num",
            "get_specified_group_member_info",
            "portrait_get",
            "query_online_status",
            "get_c2c_unread_msg_num",
            "get_joined_group_list",
            "get_list",
        ] {
            assert_eq!(limit(api), doc(200), "{api}");
        }
        for api in ["send_group_msg", "group_msg_receipt"] {
            assert_eq!(limit(api), assumed, "{api}");
        }
        assert_eq!(by_name("nope").map(|e| e.api), None);
    }
}
