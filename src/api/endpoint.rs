//! What an endpoint is: its name, its path, whether it may be retried, and the vendor's
//! frequency limit for it. The limit is declared next to each endpoint (one source for the
//! call budget, `config` and the README); `ENDPOINTS` lists every endpoint the client calls.

use super::{groups, messages, receipts, writes};

/// The figure we assume where the vendor documents no limit for an API: 200 calls/s, what
/// the vendor gives for most APIs (reference §4.10, §11.3). Ours, not the vendor's.
pub const ASSUMED_LIMIT_PER_SEC: u32 = 200;

/// Whether a call may be repeated when it fails transiently.
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
    /// Path after the host, e.g. `v4/group_open_http_svc/get_group_msg_receipt`.
    pub path: &'static str,
    pub kind: Kind,
    /// The vendor's limit for this API (our assumption of 200/s unless documented).
    pub limit: VendorLimit,
}

impl Endpoint {
    pub const fn read(api: &'static str, path: &'static str) -> Self {
        Endpoint {
            api,
            path,
            kind: Kind::Read,
            limit: VendorLimit {
                per_sec: ASSUMED_LIMIT_PER_SEC,
                documented: false,
            },
        }
    }

    pub const fn write(api: &'static str, path: &'static str) -> Self {
        Endpoint {
            kind: Kind::Write,
            ..Endpoint::read(api, path)
        }
    }

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
}

/// Every endpoint the client calls, in the order `config` lists them.
pub const ENDPOINTS: [Endpoint; 12] = [
    groups::GROUP_LIST,
    groups::GROUP_INFO,
    groups::MEMBER_INFO,
    groups::SPECIFIED_MEMBER_INFO,
    messages::HISTORY,
    messages::SEND,
    receipts::GET_RECEIPT,
    receipts::GET_RECEIPT_DETAIL,
    receipts::SEND_RECEIPT,
    writes::C2C_UNREAD,
    writes::MARK_READ,
    writes::SET_UNREAD,
];

/// The endpoint called `api`, if the client knows it.
pub fn by_name(api: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.api == api)
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
            assert!(a.path.ends_with(&format!("/{}", a.api)), "{a:?}");
            for b in &ENDPOINTS[i + 1..] {
                assert_ne!(a.api, b.api);
            }
        }
    }

    #[test]
    fn the_vendor_figures_are_declared() {
        // Reference §4.10 / §11.3: 200/s for most, get_appid_group_list 1/s; no figure for
        // the others (our assumption of 200/s).
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
        ] {
            assert_eq!(limit(api), doc(200), "{api}");
        }
        for api in [
            "get_specified_group_member_info",
            "send_group_msg",
            "group_msg_receipt",
            "get_c2c_unread_msg_num",
        ] {
            assert_eq!(limit(api), assumed, "{api}");
        }
        assert_eq!(by_name("nope").map(|e| e.api), None);
    }
}
