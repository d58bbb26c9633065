//! The catalogue of vendor error codes: what each means, in plain words, and what to do.
//! The meanings follow the vendor's SDK header `V2TIMErrorCode.h` and the error tables of
//! each REST API's page; an integration test walks every documented code and checks its
//! entry.

/// What a vendor code means and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meaning {
    pub what: &'static str,
    pub next_step: &'static str,
}

/// Every vendor error code the client knows, with what it means and what to do about it.
const TABLE: &[(i64, &str, &str)] = &[
    // --- REST gateway (60000–60021) ---
    (
        60002,
        "the service could not parse the HTTP request",
        "check the endpoint URL: it should be just scheme and host, e.g. https://adminapisgp.im.qcloud.com",
    ),
    (
        60003,
        "the service could not parse the request JSON",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    (
        60004,
        "the identifier or UserSig in the request is wrong",
        "check `identifier` in the profile, then run `tim-receipts usersig inspect` on a fresh sig",
    ),
    (
        60005,
        "the identifier or UserSig in the request is wrong",
        "check `identifier` in the profile, then run `tim-receipts usersig inspect` on a fresh sig",
    ),
    (
        60006,
        "the SDKAppID is not valid",
        "check `sdkappid` in the profile against the Chat console",
    ),
    (
        60007,
        "this REST API's call-frequency limit was exceeded (each API has its own limit: 200/s for most, 1/s for get_appid_group_list)",
        "wait a few seconds and retry; lower `budget` in the profile if it keeps happening",
    ),
    (
        60008,
        "the service timed out or the HTTP request was malformed",
        "retry in a moment; if it persists, check the endpoint and any proxy in between",
    ),
    (
        60009,
        "the request went to an unknown resource",
        "check the endpoint URL: it should be just scheme and host, with no path",
    ),
    (
        60010,
        "the identifier is not an app admin account",
        "set `identifier` to an app admin (Chat console > App admins), e.g. `administrator`",
    ),
    (
        60011,
        "the app-wide (SDKAppID) call-frequency limit was exceeded",
        "the app's calls are shared with your production backend: wait, then lower `budget`",
    ),
    (
        60012,
        "the request had no SDKAppID",
        "set `sdkappid` in the profile or TIM_SDKAPPID",
    ),
    (
        60013,
        "the service could not parse its own response JSON",
        "retry in a moment; if it persists, contact Tencent Cloud support",
    ),
    (
        60014,
        "the account switch timed out on the service",
        "retry in a moment",
    ),
    (
        60015,
        "an account field in the request had the wrong type",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    (
        60016,
        "this SDKAppID is disabled",
        "check the app's status in the Chat console",
    ),
    (
        60017,
        "this request is disabled for the app",
        "check the app's feature configuration in the Chat console",
    ),
    (
        60018,
        "too many requests",
        "wait a few seconds and retry; lower `budget` if it keeps happening",
    ),
    (
        60019,
        "too many requests",
        "wait a few seconds and retry; lower `budget` if it keeps happening",
    ),
    (
        60020,
        "the app has no (or an expired) package for this feature, or it is still being set up",
        "check the edition in the Chat console (read receipts need Pro or above); a new purchase takes ~5 minutes",
    ),
    (
        60021,
        "calls from this IP address are not allowed",
        "add this host's public IP to the app's REST API allow-list in the Chat console",
    ),
    // --- UserSig and accounts (70000–79999) ---
    (
        70001,
        "the UserSig has expired",
        "check this host's clock (run `date -u`); tim-receipts signs a fresh UserSig, so a wrong clock is the usual cause",
    ),
    (
        70002,
        "the UserSig was empty",
        "check the secret key in the profile (secret_key / secret_key_env / secret_key_file)",
    ),
    (
        70003,
        "the UserSig could not be decoded (truncated or damaged)",
        "run `tim-receipts usersig inspect` on the sig; if a proxy rewrites URLs, bypass it",
    ),
    (
        70005,
        "the UserSig could not be decoded",
        "run `tim-receipts usersig inspect` on the sig to see which check fails",
    ),
    (
        70009,
        "the secret key and the SDKAppID do not match (the UserSig does not verify)",
        "copy the secret key of exactly this SDKAppID from the Chat console (Basic configuration) into the profile",
    ),
    (
        70013,
        "the identifier in the request differs from the one inside the UserSig",
        "make `identifier` in the profile the admin the sig is made for; `tim-receipts usersig inspect` shows both",
    ),
    (
        70014,
        "the SDKAppID in the request differs from the one inside the UserSig",
        "make `sdkappid` in the profile match the key's app; `tim-receipts usersig inspect` shows both",
    ),
    (
        70016,
        "the service has no key for this app",
        "check `sdkappid`, then check the key in the Chat console (Basic configuration)",
    ),
    (
        70020,
        "the SDKAppID was not found",
        "check `sdkappid` and the region: each region has its own apps",
    ),
    (
        70050,
        "the account is locked after too many failed verifications",
        "wait one minute, fix the key or identifier, then retry",
    ),
    (
        70051,
        "the account is blocklisted",
        "contact Tencent Cloud support",
    ),
    (
        70052,
        "the UserSig is no longer valid (expired)",
        "check this host's clock and the secret key; tim-receipts signs a fresh sig on the next call",
    ),
    (
        70107,
        "that account does not exist",
        "check the spelling of the account ID (IDs are case-sensitive)",
    ),
    (
        70114,
        "the request was restricted for security reasons",
        "contact Tencent Cloud support",
    ),
    (70169, "the service timed out", "retry in a moment"),
    (
        70206,
        "the batch count in the request is invalid (too many items in one request)",
        "ask for fewer items at once",
    ),
    (
        70398,
        "the app has reached the Free-Trial account limit",
        "upgrade the app's edition in the Chat console",
    ),
    (
        70402,
        "a parameter was invalid",
        "check the IDs and numbers you passed",
    ),
    (
        70403,
        "this needs app-admin permission",
        "set `identifier` to an app admin account",
    ),
    (
        70500,
        "the service had an internal error",
        "retry in a moment",
    ),
    (
        72001,
        "the user-status feature is not enabled",
        "enable it in the Chat console if you need it",
    ),
    // --- profiles ---
    (
        40001,
        "the profile service could not decode the request (or a parameter is invalid)",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    (
        40002,
        "the profile request names no account",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    (
        40003,
        "that account does not exist (it was never imported into the app)",
        "check the spelling of the account ID (IDs are case-sensitive)",
    ),
    (
        40004,
        "the profile request needs app-admin permission",
        "set `identifier` to an app admin (Chat console > App admins)",
    ),
    (
        40006,
        "an internal error of the profile service",
        "retry in a moment",
    ),
    (
        40009,
        "a profile field tag that does not exist",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    // --- conversations (recentcontact, 50001–50005) ---
    (
        50001,
        "that account does not exist (it was never imported into Chat)",
        "check the spelling of the account ID (IDs are case-sensitive; the service cannot search by nickname)",
    ),
    (
        50002,
        "the conversation service found a request parameter invalid",
        "the service's words say which; if it names a field tim-receipts sent, please report it with the log file",
    ),
    (
        50003,
        "the conversation service needs an app admin account",
        "set `identifier` to an app admin (Chat console > App admins), e.g. `administrator`",
    ),
    (
        50004,
        "internal error of the conversation service",
        "retry in a moment; if it persists, contact Tencent Cloud support",
    ),
    (
        50005,
        "the conversation service timed out",
        "retry in a moment",
    ),
    // --- messages (80000–93000) ---
    (
        80001,
        "the text was blocked by the content-security policy",
        "change the text",
    ),
    (
        80002,
        "the message is larger than 12 KB (body too large)",
        "send a shorter message",
    ),
    (
        90001,
        "the service could not parse the request JSON",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    (
        90003,
        "the peer account (Peer_Account; the vendor's text says To_Account) is missing or does not exist",
        "check the PEER_ACCOUNT ID (IDs are case-sensitive)",
    ),
    (
        90008,
        "the report account (Report_Account; the vendor's text says From_Account) is missing or does not exist",
        "check the REPORT_ACCOUNT ID (IDs are case-sensitive)",
    ),
    (
        90009,
        "this needs app-admin permission",
        "set `identifier` to an app admin account",
    ),
    (
        93000,
        "the request's JSON is larger than 12 KB",
        "send a shorter message",
    ),
    // --- group service (10000–10099) ---
    (
        10002,
        "the group service had an internal error",
        "retry in a moment",
    ),
    (
        10003,
        "the service does not know this command",
        "check the endpoint: it may not be a Chat REST endpoint (or the app's edition lacks this API)",
    ),
    (
        10004,
        "a parameter was invalid",
        "check the group ID, seqs and counts you passed",
    ),
    (
        10005,
        "too many accounts in one request",
        "ask for fewer accounts at once",
    ),
    (
        10006,
        "the group-service frequency limit was exceeded",
        "wait a few seconds and retry; lower `budget` if it keeps happening",
    ),
    (
        10007,
        "no permission (for an app admin: the account is not a member of the group, or the group type does not allow it)",
        "the service's words say which; if they name the operator, make `identifier` an app admin",
    ),
    (
        10008,
        "the request was invalid or its signature check failed",
        "run `tim-receipts usersig inspect` on a fresh sig and check the key",
    ),
    (
        10010,
        "the group does not exist or was disbanded",
        "check the group ID with `tim-receipts groups` (IDs are case-sensitive)",
    ),
    (
        10011,
        "the group service could not parse the request JSON",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    (
        10012,
        "the operator identifier is invalid",
        "set `identifier` to an existing app admin account",
    ),
    (
        10015,
        "the group ID is not valid",
        "check the group ID with `tim-receipts groups` (auto IDs look like @TGS#2TTV7VSII)",
    ),
    (
        10018,
        "the response would be larger than 1 MB",
        "ask for fewer items per request",
    ),
    (
        10019,
        "that account does not exist",
        "check the spelling of the account ID (IDs are case-sensitive)",
    ),
    (
        10023,
        "the message-send frequency limit was exceeded",
        "wait a few seconds before sending again",
    ),
    (
        10062,
        "that message has no read receipt: it was sent without one, its receipt expired, or its group had more than 200 members when it was sent",
        "nothing to fix: only messages sent with NeedReadReceipt, in groups of up to 200 members, have read/unread counts",
    ),
];

/// The plain meaning and next step of a vendor error code, if the code is known.
pub fn meaning(code: i64) -> Option<Meaning> {
    TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|&(_, what, next_step)| Meaning { what, next_step })
}

/// Every code the table explains (for tests and documentation).
pub fn known_codes() -> impl Iterator<Item = i64> {
    TABLE.iter().map(|(c, _, _)| *c)
}
