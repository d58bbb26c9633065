//! The vendor's error codes that the client, the sandbox and the dashboard act on, named
//! once. What each code means in words is in the catalogue ([`super::explain_code`]).

// --- Group service (10000–10099) ---
/// Internal error; the same call may succeed when repeated.
pub const INTERNAL: i64 = 10002;
/// The command word (the last part of the path) is not a group-service API.
pub const GROUP_BAD_COMMAND: i64 = 10003;
/// Invalid parameter.
pub const GROUP_INVALID: i64 = 10004;
/// A frequency-limit code of the group service.
pub const GROUP_FREQUENCY_LIMIT: i64 = 10006;
/// No permission (also used for group types an API does not support).
pub const GROUP_NO_PERMISSION: i64 = 10007;
/// The group does not exist, or was disbanded.
pub const GROUP_NOT_FOUND: i64 = 10010;
/// The request JSON could not be parsed.
pub const GROUP_BAD_JSON: i64 = 10011;
/// The group ID is malformed.
pub const GROUP_BAD_ID: i64 = 10015;
/// The answer would be larger than 1 MB.
pub const RESPONSE_TOO_LARGE: i64 = 10018;
/// The account named in the request does not exist (group service).
pub const GROUP_ACCOUNT_NOT_FOUND: i64 = 10019;
/// The message has no read receipt: sent without one, while its group had more than 200
/// members, recalled or expired. An answer, not a failure.
pub const NO_RECEIPT: i64 = 10062;

// --- REST gateway (60000–60021) ---
/// The HTTP request (URL, query string) could not be parsed.
pub const HTTP_PARSE: i64 = 60002;
/// The `identifier` query parameter is missing.
pub const IDENTIFIER_MISSING: i64 = 60004;
/// The `sdkappid` query parameter is not a number.
pub const SDKAPPID_INVALID: i64 = 60006;
/// The per-API call-frequency limit was exceeded.
pub const FREQUENCY_LIMIT: i64 = 60007;
/// The path names no REST API.
pub const BAD_RESOURCE: i64 = 60009;
/// The identifier is not an app admin account.
pub const NOT_ADMIN: i64 = 60010;
/// The `sdkappid` query parameter is missing.
pub const SDKAPPID_MISSING: i64 = 60012;

// --- UserSig and public codes (70000–70499) ---
/// The UserSig has expired.
pub const USERSIG_EXPIRED: i64 = 70001;
/// The UserSig is empty.
pub const USERSIG_EMPTY: i64 = 70002;
/// The UserSig could not be decoded.
pub const USERSIG_UNDECODABLE: i64 = 70003;
/// The UserSig was signed with another key.
pub const USERSIG_BAD_SIGNATURE: i64 = 70009;
/// The UserSig was made for another identifier.
pub const USERSIG_OTHER_IDENTIFIER: i64 = 70013;
/// The UserSig was made for another SDKAppID.
pub const USERSIG_OTHER_APP: i64 = 70014;
/// The SDKAppID is not this app's.
pub const SDKAPPID_UNKNOWN: i64 = 70020;
/// The account does not exist.
pub const ACCOUNT_NOT_FOUND: i64 = 70107;
/// Invalid parameter (public code, used by the `openim` service).
pub const PUBLIC_INVALID: i64 = 70402;

// --- Profile service (40000–40999; the SDK header `V2TIMErrorCode.h`) ---
/// Invalid parameter, or a request the profile service could not decode
/// (`Err_Profile_Comm_Decode_Fail`).
pub const PROFILE_INVALID: i64 = 40001;
/// No account named to pull profiles of (`To_Account` missing or empty).
pub const PROFILE_ACCOUNT_MISSING: i64 = 40002;
/// The account does not exist (was never imported).
pub const PROFILE_ACCOUNT_NOT_FOUND: i64 = 40003;
/// Internal error of the profile service; the same call may succeed when repeated.
pub const PROFILE_INTERNAL: i64 = 40006;
/// A profile field tag that does not exist.
pub const PROFILE_TAG_NOT_FOUND: i64 = 40009;

// --- Conversation service (recentcontact, 50000–50005; the error table of its pages) ---
/// The account was never imported (does not exist).
pub const RECENT_ACCOUNT_NOT_FOUND: i64 = 50001;
/// Invalid parameter.
pub const RECENT_INVALID: i64 = 50002;
/// The request needs an app admin.
pub const RECENT_NOT_ADMIN: i64 = 50003;
/// Internal error of the conversation service; the same call may succeed when repeated.
pub const RECENT_INTERNAL: i64 = 50004;
/// The conversation service timed out; the same call may succeed later.
pub const RECENT_TIMEOUT: i64 = 50005;

// --- Message service (openim, 90000–) ---
/// The request JSON could not be parsed.
pub const OPENIM_BAD_JSON: i64 = 90001;

/// The frequency-limit family: the per-API limit and its siblings.
pub const FREQUENCY_LIMIT_CODES: [i64; 5] =
    [FREQUENCY_LIMIT, 60011, 60018, 60019, GROUP_FREQUENCY_LIMIT];

/// Codes worth repeating a read for: a transient internal error and the frequency limits.
pub const RETRYABLE_CODES: [i64; 9] = [
    INTERNAL,
    PROFILE_INTERNAL,
    RECENT_INTERNAL,
    RECENT_TIMEOUT,
    FREQUENCY_LIMIT,
    60011,
    60018,
    60019,
    GROUP_FREQUENCY_LIMIT,
];

/// The codes that say a group ID was not found: no such group (or disbanded), malformed ID.
pub const GROUP_NOT_FOUND_CODES: [i64; 2] = [GROUP_NOT_FOUND, GROUP_BAD_ID];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_code_is_explained() {
        for code in [
            INTERNAL,
            GROUP_INVALID,
            GROUP_NO_PERMISSION,
            GROUP_NOT_FOUND,
            GROUP_BAD_ID,
            RESPONSE_TOO_LARGE,
            NO_RECEIPT,
            HTTP_PARSE,
            SDKAPPID_INVALID,
            FREQUENCY_LIMIT,
            USERSIG_EXPIRED,
            ACCOUNT_NOT_FOUND,
            PROFILE_INVALID,
            PROFILE_ACCOUNT_MISSING,
            PROFILE_ACCOUNT_NOT_FOUND,
            PROFILE_INTERNAL,
            PROFILE_TAG_NOT_FOUND,
            GROUP_ACCOUNT_NOT_FOUND,
            RECENT_ACCOUNT_NOT_FOUND,
            RECENT_INVALID,
            RECENT_NOT_ADMIN,
            RECENT_INTERNAL,
            RECENT_TIMEOUT,
        ] {
            assert!(super::super::explain_code(code).is_some(), "{code}");
        }
        for code in FREQUENCY_LIMIT_CODES {
            assert!(RETRYABLE_CODES.contains(&code), "{code}");
        }
    }
}
