//! Every vendor error code in the reference's tables has an explanation of ours, and that
//! explanation says what the reference says the code means.
//!
//! The codes and their meanings are copied here from `../shared/reference/chat-api.md`
//! (§1.4, the per-API codes of §3, §4 and §11) and the per-API error tables of the seed
//! pages (000, 001: the receipt reads; 002: admin_set_msg_read; 004: set_unread_msg_num),
//! and the error table of the vendor's recentcontact pages (50001–50005, issue 15), so the
//! test reads no file outside the repository.

use tim_receipts::api::ApiError;
use tim_receipts::api::error::{explain_code, known_codes};

/// One documented code: where it is documented, the reference's meaning, words our
/// explanation must contain (all of them, ignoring case) and words it must not.
struct Documented {
    code: i64,
    source: &'static str,
    meaning: &'static str,
    says: &'static [&'static str],
    never: &'static [&'static str],
}

const fn doc(
    code: i64,
    source: &'static str,
    meaning: &'static str,
    says: &'static [&'static str],
) -> Documented {
    Documented {
        code,
        source,
        meaning,
        says,
        never: &[],
    }
}

const SEEDS_RECEIPT: &str = "§1.4; seeds 000, 001 (receipt reads), 004 (set_unread_msg_num)";

#[rustfmt::skip]
const DOCUMENTED: &[Documented] = &[
    // §1.4, REST gateway.
    doc(60002, "§1.4", "HTTP parse error; check the URL format", &["could not parse", "HTTP request"]),
    doc(60003, "§1.4", "Request JSON could not be parsed", &["could not parse", "JSON"]),
    doc(60004, "§1.4", "Identifier or UserSig is wrong", &["identifier or UserSig", "wrong"]),
    doc(60005, "§1.4", "Same as 60004", &["identifier or UserSig", "wrong"]),
    doc(60006, "§1.4", "SDKAppID invalid", &["SDKAppID", "not valid"]),
    Documented {
        code: 60007,
        source: "§1.4, §4.10, §11.3",
        meaning: "REST API call-frequency limit exceeded (limits are per API)",
        says: &["frequency limit", "exceeded", "each API"],
        never: &["app-wide"],
    },
    doc(60008, "§1.4", "Service timeout or bad HTTP request format", &["timed out", "malformed"]),
    doc(60009, "§1.4", "Bad request resource; check the URL", &["unknown resource"]),
    doc(60010, "§1.4", "identifier must be an app admin", &["not an app admin"]),
    Documented {
        code: 60011,
        source: "§1.4, §11.3",
        meaning: "SDKAppID-level frequency limit exceeded (no app-wide figure is documented)",
        says: &["SDKAppID", "frequency limit", "exceeded"],
        never: &["200"],
    },
    doc(60012, "§1.4", "SDKAppID missing from the URL", &["no SDKAppID"]),
    doc(60013, "§1.4", "Response JSON parse error", &["could not parse", "response JSON"]),
    doc(60014, "§1.4", "Account-switch timeout", &["account switch", "timed out"]),
    doc(60015, "§1.4", "Identifier in the body has the wrong type", &["wrong type"]),
    doc(60016, "§1.4", "SDKAppID disabled", &["SDKAppID", "disabled"]),
    doc(60017, "§1.4", "Request disabled", &["request", "disabled"]),
    doc(60018, "§1.4", "Too many requests; retry later", &["too many requests"]),
    doc(60019, "§1.4", "Too many requests (variant)", &["too many requests"]),
    doc(60020, "§1.4, §7", "No package purchased or still being set up; or the Pro package has expired", &["package", "expired", "set up"]),
    doc(60021, "§1.4", "The source IP of the REST call is not allowed", &["IP address", "not allowed"]),
    // §1.4, UserSig and accounts.
    Documented {
        code: 70001,
        source: "§1.4",
        meaning: "UserSig expired; issue a new one",
        says: &["UserSig", "expired"],
        never: &["not expired"],
    },
    doc(70002, "§1.4", "UserSig is 0 bytes", &["UserSig", "empty"]),
    doc(70003, "§1.4", "UserSig check failed (for example truncated)", &["UserSig", "truncated"]),
    doc(70005, "§1.4", "UserSig check failed (variant)", &["UserSig", "could not be decoded"]),
    doc(70009, "§1.4, §6", "Verification with the key failed: wrong key, or key and SDKAppID do not match", &["secret key", "SDKAppID", "do not match"]),
    doc(70013, "§1.4", "Identifier in the request differs from the identifier inside the UserSig", &["identifier", "differs", "inside the UserSig"]),
    doc(70014, "§1.4", "SDKAppID in the request differs from the SDKAppID inside the UserSig", &["SDKAppID", "differs", "inside the UserSig"]),
    doc(70016, "§1.4", "Key / public key not found", &["no key"]),
    doc(70020, "§1.4", "SDKAppID not found", &["SDKAppID", "not found"]),
    doc(70050, "§1.4", "Account locked after too many failed verifications; retry in 1 min", &["locked", "failed verifications"]),
    doc(70051, "§1.4", "Account blocklisted", &["blocklisted"]),
    doc(70052, "§1.4", "UserSig invalid (expired; regenerate)", &["UserSig", "no longer valid", "expired"]),
    doc(70107, "§1.4, §4.6, §11.4", "Account does not exist", &["account does not exist"]),
    doc(70114, "§1.4", "Restricted for security reasons", &["restricted", "security"]),
    doc(70169, "§1.4", "Server timeout", &["timed out"]),
    doc(70206, "§1.4", "Invalid batch count", &["batch count", "invalid"]),
    doc(70398, "§1.4", "Account count over the Free-Trial limit", &["Free-Trial", "account limit"]),
    doc(70402, "§1.4", "Invalid parameter", &["parameter", "invalid"]),
    doc(70403, "§1.4", "Needs app-admin permission", &["app-admin permission"]),
    doc(70500, "§1.4", "Internal error", &["internal error"]),
    doc(72001, "§1.4", "User-status feature not enabled", &["user-status", "not enabled"]),
    // §11.4, profiles.
    doc(40001, "§11.4", "Err_Profile_Comm_Decode_Fail (portrait_set)", &["profile", "could not decode"]),
    // The profile codes of the vendor's SDK header V2TIMErrorCode.h ([hdr]), which
    // portrait_get answers (issue 14).
    doc(40002, "[hdr]", "No account to pull profiles of", &["profile", "no account"]),
    doc(40003, "[hdr]", "The requested account does not exist", &["account does not exist"]),
    doc(40004, "[hdr]", "Needs app-admin permission", &["app-admin permission"]),
    doc(40006, "[hdr]", "Internal error of the profile service", &["internal error", "profile"]),
    doc(40009, "[hdr]", "The profile field tag does not exist", &["tag", "does not exist"]),
    // The conversation service's error table (the recentcontact pages, e.g.
    // tencentcloud.com/document/product/1047/43088), which recentcontact/get_list answers
    // (issue 15).
    doc(50001, "[recentcontact]", "The UserID was never imported into Chat", &["account does not exist", "never imported"]),
    doc(50002, "[recentcontact]", "Invalid request parameter", &["parameter invalid"]),
    doc(50003, "[recentcontact]", "Needs app-admin permission", &["app admin"]),
    doc(50004, "[recentcontact]", "Internal server error; retry", &["internal error"]),
    doc(50005, "[recentcontact]", "Network timeout; retry later", &["timed out"]),
    // §1.4, messages.
    doc(80001, "§1.4", "Text blocked by the security policy", &["blocked", "security"]),
    doc(80002, "§1.4", "Message packet > 12 KB", &["message", "12 KB"]),
    doc(93000, "§1.4", "JSON packet > 12 KB", &["JSON", "12 KB"]),
    doc(90001, "§1.4; seed 002", "JSON parse failed (message service)", &["could not parse", "JSON"]),
    doc(90003, "seed 002", "To_Account (= Peer_Account) missing or does not exist", &["Peer_Account", "To_Account", "missing", "does not exist"]),
    doc(90008, "seed 002", "From_Account (= Report_Account) missing or does not exist", &["Report_Account", "From_Account", "missing", "does not exist"]),
    doc(90009, "§1.4", "Needs admin (message service)", &["app-admin permission"]),
    // §1.4 and the seeds' per-API tables, group service.
    doc(10002, SEEDS_RECEIPT, "Internal error (group service)", &["internal error"]),
    doc(10003, SEEDS_RECEIPT, "Invalid command word", &["does not know this command"]),
    doc(10004, SEEDS_RECEIPT, "Invalid parameter", &["parameter", "invalid"]),
    doc(10005, "§1.4", "Too many accounts in the request", &["too many accounts"]),
    doc(10006, "§1.4, §4.10", "Operation frequency limit", &["frequency limit", "exceeded"]),
    Documented {
        code: 10007,
        source: SEEDS_RECEIPT,
        meaning: "No permission (for an app admin: not a member, or a group type that does not allow it)",
        says: &["permission", "not a member", "group type"],
        never: &["use an app admin"],
    },
    doc(10008, "§1.4", "Invalid request / signature check failed", &["invalid", "signature check failed"]),
    doc(10010, SEEDS_RECEIPT, "Group does not exist or was disbanded", &["group does not exist", "disbanded"]),
    doc(10011, "§1.4", "Group-service JSON parse failed", &["could not parse", "JSON"]),
    doc(10012, "§1.4", "Invalid operator identifier", &["operator identifier", "invalid"]),
    doc(10015, SEEDS_RECEIPT, "Invalid group ID", &["group ID", "not valid"]),
    doc(10018, "§1.4", "Response > 1 MB; ask for less per request", &["response", "1 MB"]),
    doc(10019, "§1.4", "Account does not exist", &["account does not exist"]),
    doc(10023, "§1.4, §4.10", "Message send-frequency limit", &["message-send frequency limit"]),
    Documented {
        code: 10062,
        source: "seeds 000, 001; §3.2, §11.1",
        meaning: "Read receipt does not exist (sent without one; groups over 200 members have none)",
        says: &["no read receipt", "sent without one", "more than 200 members"],
        never: &["error in tim-receipts"],
    },
];

fn lower(s: &str) -> String {
    s.to_lowercase()
}

#[test]
fn every_documented_code_is_explained_in_the_references_terms() {
    for d in DOCUMENTED {
        let e = explain_code(d.code).unwrap_or_else(|| {
            panic!(
                "{} ({}, \"{}\") has no explanation",
                d.code, d.source, d.meaning
            )
        });
        assert!(
            !e.what.trim().is_empty() && !e.next_step.trim().is_empty(),
            "{}",
            d.code
        );
        let what = lower(&e.what);
        for word in d.says {
            assert!(
                what.contains(&lower(word)),
                "{} ({}): the reference says \"{}\", but ours, \"{}\", does not say {word:?}",
                d.code,
                d.source,
                d.meaning,
                e.what
            );
        }
        let whole = lower(&format!("{} {}", e.what, e.next_step));
        for word in d.never {
            assert!(
                !whole.contains(&lower(word)),
                "{} ({}): ours, \"{} / {}\", says {word:?}, which the reference does not support",
                d.code,
                d.source,
                e.what,
                e.next_step
            );
        }
        // Through the error itself: ours, not the generic words for a code we do not know.
        let err = ApiError::Service {
            api: "x",
            code: d.code,
            info: String::new(),
        };
        let shown = err.explain();
        assert!(
            shown.what.starts_with(&e.what) && shown.what.contains(&d.code.to_string()),
            "{}: {shown:?}",
            d.code
        );
        assert!(
            !shown.what.contains("answered with error") && !shown.next_step.contains("look up"),
            "{} falls back to the generic words: {shown:?}",
            d.code
        );
    }
}

#[test]
fn we_explain_no_code_the_reference_does_not_document() {
    let mut seen = std::collections::HashSet::new();
    for code in known_codes() {
        assert!(seen.insert(code), "{code} is in the catalogue twice");
        assert!(
            DOCUMENTED.iter().any(|d| d.code == code),
            "{code} is in our catalogue but in no table of the reference or the seeds"
        );
    }
    assert_eq!(seen.len(), DOCUMENTED.len());
}

#[test]
fn no_permission_is_not_only_use_an_app_admin() {
    let e = explain_code(10007).expect("10007");
    // For an admin-only tool the usual causes are the member and the group type; the
    // service's words say which, and an app admin is only one possible fix.
    assert!(e.next_step.contains("service's words"), "{e:?}");
    assert!(
        !e.next_step.starts_with("use an app admin") && !e.what.contains("use an app admin"),
        "{e:?}"
    );
}

#[test]
fn next_steps_point_at_the_usual_fix() {
    let next = |code| explain_code(code).expect("documented").next_step;
    assert!(next(70001).contains("clock"));
    assert!(next(70009).contains("secret key"));
    assert!(next(70013).contains("usersig inspect"));
    assert!(next(10010).contains("case-sensitive"));
    assert!(next(10062).contains("200 members"));
    assert!(next(10018).contains("fewer"));
    assert!(next(80002).contains("shorter"));
}

/// Whatever the code, an `ErrorInfo` that names an account or a field (the real cause the
/// service gives) reaches the user: in the explanation (the dashboard's status line and
/// write dialog) and in the CLI's one line, said once.
#[test]
fn the_services_words_naming_an_account_or_field_are_always_shown() {
    let infos = [
        "Member_Account \"zoe.k\" is not a member of group @TGS#1OPSWARROOM",
        "invalid field To_Account: account nora.ops not found",
        "set_unread_msg_num is not supported for AVChatRoom groups",
    ];
    for d in DOCUMENTED {
        for info in infos {
            let err = ApiError::Service {
                api: "set_unread_msg_num",
                code: d.code,
                info: info.into(),
            };
            let what = err.explain().what;
            assert!(what.contains(info), "{}: {what}", d.code);
            let line = err.one_line();
            assert_eq!(line.matches(info).count(), 1, "{}: {line}", d.code);
            assert!(line.contains(&d.code.to_string()), "{line}");
        }
    }
}
