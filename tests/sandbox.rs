//! The sandbox over real HTTP on 127.0.0.1 (ephemeral ports), and the real binary.
//! Run: `cargo test --test sandbox` (the interop test needs TIM_TEST_PYTHON, see `interop`).

mod common {
    use serde_json::{Value, json};
    use tim_receipts::api::GroupType;
    use tim_receipts::sandbox::{
        self, DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID, RateLimits, Sandbox, SandboxConfig,
        World,
    };
    use tim_receipts::usersig;

    pub const WAR: &str = "@TGS#2WARROOM";
    pub const MEET: &str = "@TGS#4MEET";
    pub const LIVE: &str = "@TGS#3LIVE";
    pub const COMM: &str = "@TGS#_@TGS#COMM";
    pub const WORK: &str = "@TGS#1WORK";

    /// A config with no frequency limits (tests that want them set their own).
    pub fn config() -> SandboxConfig {
        SandboxConfig {
            rate_limits: RateLimits {
                per_api: 0,
                group_list: 0,
                ..RateLimits::default()
            },
            ..SandboxConfig::default()
        }
    }

    /// A small world every test can reason about:
    /// WAR (Public): alice bob carol dave erin; seq 1 alice receipt, seq 2 bob no receipt,
    /// seq 3 alice receipt; bob read up to 1, carol acked 3; then frank joins and erin posts
    /// seq 4 with a receipt; seq 5 recalled, seq 6 expired.
    pub fn small_world() -> World {
        let mut w = World::new();
        let mut g = w.add_group(
            WAR,
            GroupType::Public,
            &["alice", "bob", "carol", "dave", "erin"],
        );
        g.name("War room");
        g.post("alice", "status 1", true);
        g.post("bob", "chatter", false);
        g.post("alice", "status 2", true);
        g.read_up_to("bob", 1).ack("carol", &[3]);
        g.add_members(&["frank"]);
        g.post("erin", "status 3", true);
        g.post("bob", "oops", true);
        g.post("bob", "old", true);
        g.recall(5).expire(6);
        let mut m = w.add_group(MEET, GroupType::Meeting, &["alice", "bob", "carol"]);
        m.post("alice", "agenda", true);
        w.add_group(LIVE, GroupType::AVChatRoom, &["alice", "bob"])
            .audience(5000)
            .post("alice", "hello viewers", false);
        w.add_group(COMM, GroupType::Community, &["alice", "bob"])
            .add_generated_members(250)
            .post("alice", "welcome", false);
        let mut work = w.add_group(WORK, GroupType::Work, &["alice", "bob", "carol"]);
        for i in 0..10 {
            work.post("alice", &format!("m{i}"), i % 2 == 0);
        }
        w.set_c2c_unread("alice", "bob", 5)
            .set_c2c_unread("alice", "carol", 2);
        w.add_account("zoe");
        w
    }

    pub struct Api {
        pub sb: Sandbox,
        pub http: reqwest::Client,
        pub sig: String,
    }

    pub async fn start(world: World) -> Api {
        start_with(config(), world).await
    }

    pub async fn start_with(config: SandboxConfig, world: World) -> Api {
        let sb = sandbox::start_with_world(config, world)
            .await
            .expect("sandbox starts");
        Api {
            sb,
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .unwrap(),
            sig: usersig::generate(DEFAULT_SDKAPPID, DEFAULT_KEY, DEFAULT_ADMIN, 3600),
        }
    }

    impl Api {
        pub fn url(&self, path: &str, sdkappid: &str, identifier: &str, sig: &str) -> String {
            format!(
                "{}/v4/{path}?sdkappid={sdkappid}&identifier={identifier}&usersig={sig}&random=12345&contenttype=json",
                self.sb.url()
            )
        }

        pub async fn post_raw(
            &self,
            url: &str,
            body: impl Into<reqwest::Body>,
        ) -> reqwest::Response {
            self.http
                .post(url)
                .body(body)
                .send()
                .await
                .expect("HTTP works")
        }

        pub async fn call_raw(&self, url: &str, body: &str) -> Value {
            let resp = self.post_raw(url, body.to_string()).await;
            assert_eq!(resp.status(), 200);
            let text = resp.text().await.unwrap();
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        }

        /// Call as the admin; returns the whole response object.
        pub async fn call(&self, path: &str, body: Value) -> Value {
            let url = self.url(
                path,
                &DEFAULT_SDKAPPID.to_string(),
                DEFAULT_ADMIN,
                &self.sig,
            );
            self.call_raw(&url, &body.to_string()).await
        }

        /// Call and assert success.
        pub async fn ok(&self, path: &str, body: Value) -> Value {
            let v = self.call(path, body).await;
            assert_eq!(v["ErrorCode"], 0, "{path} failed: {v}");
            assert_eq!(v["ErrorInfo"], "");
            v
        }

        /// Call and assert the error code; returns ErrorInfo.
        pub async fn fails(&self, path: &str, body: Value, code: i64) -> String {
            let v = self.call(path, body).await;
            assert_eq!(v["ErrorCode"], code, "{path}: {v}");
            assert_eq!(v["ActionStatus"], "FAIL");
            let info = v["ErrorInfo"].as_str().unwrap().to_string();
            assert!(!info.is_empty());
            info
        }

        pub async fn counts(&self, group: &str, seq: u64) -> (u64, u64) {
            let v = self
                .ok(
                    "group_open_http_svc/get_group_msg_receipt",
                    json!({"GroupId": group, "MsgSeqList": [{"MsgSeq": seq}]}),
                )
                .await;
            let item = &v["GroupMsgReceiptList"][0];
            assert_eq!(item["Code"], 0, "{v}");
            (
                item["ReadNum"].as_u64().unwrap(),
                item["UnreadNum"].as_u64().unwrap(),
            )
        }

        /// One detail page: (accounts, cursor, finished).
        pub async fn detail(
            &self,
            group: &str,
            seq: u64,
            filter: u8,
            cursor: &str,
            count: u64,
        ) -> (Vec<String>, String, bool) {
            let v = self
                .ok(
                    "group_open_http_svc/get_group_msg_receipt_detail",
                    json!({"GroupId": group, "MsgSeq": seq, "Filter": filter, "Cursor": cursor, "Count": count}),
                )
                .await;
            let (list, key) = if filter == 0 {
                ("ReadList", "Read_Account")
            } else {
                ("UnreadList", "Unread_Account")
            };
            let accounts = v[list]
                .as_array()
                .unwrap_or_else(|| panic!("{list} missing: {v}"))
                .iter()
                .map(|i| i[key].as_str().unwrap().to_string())
                .collect();
            assert_eq!(v["IsFinish"], v["IsFinished"]);
            (
                accounts,
                v["Cursor"].as_str().unwrap().to_string(),
                v["IsFinish"] == 1,
            )
        }

        /// Every page of a detail list (bounded).
        pub async fn detail_all(
            &self,
            group: &str,
            seq: u64,
            filter: u8,
            count: u64,
        ) -> Vec<String> {
            let mut all = Vec::new();
            let mut cursor = String::new();
            for _ in 0..10_000 {
                let (page, next, finished) = self.detail(group, seq, filter, &cursor, count).await;
                all.extend(page);
                if finished {
                    return all;
                }
                cursor = next;
            }
            panic!("detail paging never finished");
        }
    }
}

mod protocol {
    use super::common::*;
    use serde_json::json;
    use tim_receipts::sandbox::{DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID};
    use tim_receipts::usersig;

    #[tokio::test]
    async fn envelope_shapes_for_success_and_failure() {
        let api = start(small_world()).await;
        let v = api
            .ok(
                "group_open_http_svc/get_group_info",
                json!({"GroupIdList": [WAR]}),
            )
            .await;
        assert_eq!(v["ActionStatus"], "OK");
        let v = api
            .call("group_open_http_svc/get_group_info", json!({}))
            .await;
        assert_eq!(
            v,
            json!({"ActionStatus": "FAIL", "ErrorCode": 10004, "ErrorInfo": "GroupIdList is required"})
        );
    }

    #[tokio::test]
    async fn every_auth_failure_has_its_vendor_code() {
        let api = start(small_world()).await;
        let app = DEFAULT_SDKAPPID.to_string();
        let path = "group_open_http_svc/get_group_info";
        let body = json!({"GroupIdList": [WAR]}).to_string();
        let now = usersig::now_unix();
        let expired = usersig::generate_at(
            DEFAULT_SDKAPPID,
            DEFAULT_KEY,
            DEFAULT_ADMIN,
            60,
            now - 3600,
            6,
        );
        let other_key = usersig::generate(DEFAULT_SDKAPPID, "another-key", DEFAULT_ADMIN, 3600);
        let other_app = usersig::generate(1_400_000_001, DEFAULT_KEY, DEFAULT_ADMIN, 3600);
        let bob = usersig::generate(DEFAULT_SDKAPPID, DEFAULT_KEY, "bob", 3600);
        let cases: Vec<(String, i64)> = vec![
            (api.url(path, &app, DEFAULT_ADMIN, ""), 70002),
            (api.url(path, &app, DEFAULT_ADMIN, "garbage*sig"), 70003),
            (api.url(path, &app, DEFAULT_ADMIN, &other_key), 70009),
            (api.url(path, &app, "bob", &api.sig), 70013),
            (api.url(path, &app, DEFAULT_ADMIN, &other_app), 70014),
            (api.url(path, &app, DEFAULT_ADMIN, &expired), 70001),
            (api.url(path, &app, "bob", &bob), 60010),
            (api.url(path, "1400000001", DEFAULT_ADMIN, &api.sig), 70020),
            (
                format!(
                    "{}/v4/{path}?identifier=administrator&usersig={}",
                    api.sb.url(),
                    api.sig
                ),
                60012,
            ),
        ];
        for (url, code) in cases {
            let v = api.call_raw(&url, &body).await;
            assert_eq!(v["ErrorCode"], code, "{v}");
            let info = v["ErrorInfo"].as_str().unwrap();
            assert!(!info.is_empty() && !info.contains(&api.sig) && !info.contains(DEFAULT_KEY));
        }
        // A percent-encoded usersig (every character escaped) is the same sig.
        let encoded: String = api.sig.bytes().map(|b| format!("%{b:02X}")).collect();
        let v = api
            .call_raw(&api.url(path, &app, DEFAULT_ADMIN, &encoded), &body)
            .await;
        assert_eq!(v["ErrorCode"], 0, "{v}");
        // Sigs at every zlib level verify: the content is compared, not the string.
        for level in [0, 1, 9] {
            let sig = usersig::generate_at(
                DEFAULT_SDKAPPID,
                DEFAULT_KEY,
                DEFAULT_ADMIN,
                3600,
                now,
                level,
            );
            let v = api
                .call_raw(&api.url(path, &app, DEFAULT_ADMIN, &sig), &body)
                .await;
            assert_eq!(v["ErrorCode"], 0, "level {level}: {v}");
        }
    }

    #[tokio::test]
    async fn routing_and_bad_bodies() {
        let api = start(small_world()).await;
        api.fails("group_open_http_svc/no_such_command", json!({}), 10003)
            .await;
        api.fails("no_such_service/x", json!({}), 60009).await;
        let url = api.url(
            "openim/admin_set_msg_read",
            &DEFAULT_SDKAPPID.to_string(),
            DEFAULT_ADMIN,
            &api.sig,
        );
        assert_eq!(api.call_raw(&url, "{not json").await["ErrorCode"], 90001);
        let url = api.url(
            "group_open_http_svc/get_group_info",
            &DEFAULT_SDKAPPID.to_string(),
            DEFAULT_ADMIN,
            &api.sig,
        );
        assert_eq!(api.call_raw(&url, "[1,2]").await["ErrorCode"], 10011);
    }

    #[tokio::test]
    async fn group_ids_and_fields_are_checked() {
        let api = start(small_world()).await;
        let p = "group_open_http_svc/get_group_msg_receipt";
        assert!(
            api.fails(
                p,
                json!({"GroupId": "@TGS#NOPE", "MsgSeqList": [{"MsgSeq": 1}]}),
                10010
            )
            .await
            .contains("@TGS#NOPE")
        );
        api.fails(
            p,
            json!({"GroupId": "bad id", "MsgSeqList": [{"MsgSeq": 1}]}),
            10015,
        )
        .await;
        assert!(
            api.fails(p, json!({"MsgSeqList": [{"MsgSeq": 1}]}), 10004)
                .await
                .contains("GroupId")
        );
        assert!(
            api.fails(p, json!({"GroupId": WAR}), 10004)
                .await
                .contains("MsgSeqList")
        );
        assert!(
            api.fails(p, json!({"GroupId": 7, "MsgSeqList": [1]}), 10004)
                .await
                .contains("GroupId")
        );
        assert!(
            api.fails(
                p,
                json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": "x"}]}),
                10004
            )
            .await
            .contains("MsgSeq")
        );
        // Numbers as decimal strings are accepted.
        let v = api
            .ok(p, json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": "1"}]}))
            .await;
        assert_eq!(v["GroupMsgReceiptList"][0]["Code"], 0);
    }
}

mod groups {
    use super::common::*;
    use serde_json::{Value, json};

    #[tokio::test]
    async fn group_list_pages_with_u64_next() {
        let api = start(small_world()).await;
        let p = "group_open_http_svc/get_appid_group_list";
        let mut ids = Vec::new();
        let mut next = 0u64;
        for _ in 0..10 {
            let v = api.ok(p, json!({"Limit": 2, "Next": next})).await;
            assert_eq!(v["TotalCount"], 5);
            ids.extend(
                v["GroupIdList"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|g| g["GroupId"].as_str().unwrap().to_string()),
            );
            next = v["Next"].as_u64().expect("Next is a number");
            if next == 0 {
                break;
            }
            assert!(next > u64::from(u32::MAX), "Next above 2^32: {next}");
        }
        assert_eq!(ids, vec![WAR, MEET, LIVE, COMM, WORK]);
        let v = api.ok(p, json!({"GroupType": "ChatRoom"})).await;
        assert_eq!(v["GroupIdList"], json!([{"GroupId": MEET}]));
        assert_eq!(v["TotalCount"], 1);
        assert_eq!(v["Next"], 0);
        assert_eq!(
            api.ok(p, json!({"GroupType": "Private"})).await["GroupIdList"],
            json!([{"GroupId": WORK}])
        );
        api.fails(p, json!({"GroupType": "Nope"}), 10004).await;
        api.fails(p, json!({"Next": 77}), 10004).await;
        api.ok(p, json!({})).await;
    }

    #[tokio::test]
    async fn group_info_fields_and_per_group_codes() {
        let api = start(small_world()).await;
        let p = "group_open_http_svc/get_group_info";
        let v = api
            .ok(
                p,
                json!({"GroupIdList": [WAR, "@TGS#GONE", "no good", LIVE]}),
            )
            .await;
        let info = v["GroupInfo"].as_array().unwrap();
        assert_eq!(info[0]["GroupId"], WAR);
        assert_eq!(info[0]["ErrorCode"], 0);
        assert_eq!(info[0]["Type"], "Public");
        assert_eq!(info[0]["Name"], "War room");
        assert_eq!(info[0]["MemberNum"], 6);
        assert_eq!(info[0]["NextMsgSeq"], 7);
        assert_eq!(info[0]["Owner_Account"], "alice");
        assert_eq!(info[0]["Appid"], 1_400_000_000u64);
        assert_eq!(info[1]["ErrorCode"], 10010);
        assert_eq!(info[2]["ErrorCode"], 10015);
        assert_eq!(info[3]["Type"], "AVChatRoom");
        assert_eq!(info[3]["MemberNum"], 5002);
        let many: Vec<String> = (0..51).map(|i| format!("@TGS#X{i}")).collect();
        api.fails(p, json!({"GroupIdList": many}), 10004).await;
        let v = api.ok(p, json!({"GroupIdList": [WAR], "ResponseFilter": {"GroupBaseInfoFilter": ["Type", "NextMsgSeq"]}})).await;
        let keys: Vec<&String> = v["GroupInfo"][0].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["ErrorCode", "ErrorInfo", "GroupId", "NextMsgSeq", "Type"]
        );
    }

    #[tokio::test]
    async fn member_info_pages_and_reports_last_read_seq() {
        let api = start(small_world()).await;
        let p = "group_open_http_svc/get_group_member_info";
        let v = api
            .ok(p, json!({"GroupId": WAR, "Limit": 2, "Offset": 1}))
            .await;
        assert_eq!(v["MemberNum"], 6);
        let list = v["MemberList"].as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0]["Member_Account"], "bob");
        assert_eq!(list[0]["MsgSeq"], 6, "bob posted seq 6 last");
        assert_eq!(list[1]["Member_Account"], "carol");
        assert_eq!(list[1]["MsgSeq"], 0);
        assert!(v.get("Next").is_none());
        let v = api.ok(p, json!({"GroupId": WAR, "MemberRoleFilter": ["Owner"], "MemberInfoFilter": ["Role"]})).await;
        assert_eq!(
            v["MemberList"],
            json!([{"Member_Account": "alice", "Role": "Owner"}])
        );
        api.fails(p, json!({"GroupId": WAR, "Limit": 201}), 10004)
            .await;
        api.fails(p, json!({"GroupId": LIVE}), 10007).await;
        // Community: string Next paging, every member exactly once.
        let mut seen = Vec::new();
        let mut next = String::new();
        for _ in 0..100 {
            let v = api
                .ok(p, json!({"GroupId": COMM, "Limit": 100, "Next": next}))
                .await;
            assert_eq!(v["MemberNum"], 252);
            seen.extend(
                v["MemberList"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["Member_Account"].as_str().unwrap().to_string()),
            );
            next = v["Next"].as_str().expect("Next is a string").to_string();
            if next.is_empty() {
                break;
            }
        }
        assert_eq!(seen.len(), 252);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 252);
    }

    #[tokio::test]
    async fn specified_member_info() {
        let api = start(small_world()).await;
        let p = "group_open_http_svc/get_specified_group_member_info";
        let v = api
            .ok(
                p,
                json!({"GroupId": WAR, "Member_List_Account": ["dave", "nobody", "bob"]}),
            )
            .await;
        let list = v["MemberList"].as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0]["Member_Account"], "dave");
        assert_eq!(list[1]["MsgSeq"], 6);
        let many: Vec<String> = (0..51).map(|i| format!("u{i}")).collect();
        api.fails(
            p,
            json!({"GroupId": WAR, "Member_List_Account": many}),
            10004,
        )
        .await;
        api.fails(p, json!({"GroupId": WAR}), 10004).await;
    }

    #[tokio::test]
    async fn history_newest_first_with_place_holders() {
        let api = start(small_world()).await;
        let p = "group_open_http_svc/group_msg_get_simple";
        let v = api.ok(p, json!({"GroupId": WAR, "ReqMsgNumber": 20})).await;
        assert_eq!(v["GroupId"], WAR);
        assert_eq!(v["IsFinished"], 1);
        let list = v["RspMsgList"].as_array().unwrap();
        let seqs: Vec<u64> = list.iter().map(|m| m["MsgSeq"].as_u64().unwrap()).collect();
        assert_eq!(
            seqs,
            vec![6, 4, 3, 2, 1],
            "recalled seq 5 only with WithRecalledMsg"
        );
        assert_eq!(list[0]["IsPlaceMsg"], 1);
        assert_eq!(list[0]["MsgBody"], json!([]));
        assert_eq!(list[1]["MsgBody"][0]["MsgContent"]["Text"], "status 3");
        assert_eq!(list[1]["From_Account"], "erin");
        let v = api
            .ok(
                p,
                json!({"GroupId": WAR, "ReqMsgNumber": 2, "ReqMsgSeq": 5, "WithRecalledMsg": 1}),
            )
            .await;
        let list = v["RspMsgList"].as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(
            (list[0]["MsgSeq"].as_u64(), list[0]["IsPlaceMsg"].as_u64()),
            (Some(5), Some(2))
        );
        assert_eq!(list[1]["MsgSeq"], 4);
        api.fails(p, json!({"GroupId": WAR, "ReqMsgNumber": 21}), 10004)
            .await;
        api.fails(p, json!({"GroupId": LIVE, "ReqMsgNumber": 5}), 10007)
            .await;
        let v = api.ok(p, json!({"GroupId": COMM, "ReqMsgNumber": 5})).await;
        assert_eq!(v["RspMsgList"].as_array().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn send_group_msg_returns_the_seq_and_sets_the_receipt() {
        let api = start(small_world()).await;
        let p = "group_open_http_svc/send_group_msg";
        let text = |t: &str| json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": t}}]);
        let v = api.ok(p, json!({"GroupId": WAR, "From_Account": "dave", "Random": 42, "MsgBody": text("hi"), "NeedReadReceipt": 1})).await;
        assert_eq!(v["MsgSeq"], 7);
        assert!(v["MsgTime"].as_i64().unwrap() > 1_600_000_000);
        // Members at send time minus the sender: alice bob carol erin frank.
        assert_eq!(api.counts(WAR, 7).await, (0, 5));
        let v = api
            .ok(p, json!({"GroupId": WAR, "MsgBody": text("no receipt")}))
            .await;
        assert_eq!(v["MsgSeq"], 8);
        let r = api
            .ok(
                "group_open_http_svc/get_group_msg_receipt",
                json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": 8}]}),
            )
            .await;
        assert_eq!(r["GroupMsgReceiptList"][0]["Code"], 10062);
        api.fails(
            p,
            json!({"GroupId": WAR, "From_Account": "zoe", "MsgBody": text("x")}),
            10007,
        )
        .await;
        api.fails(p, json!({"GroupId": WAR, "MsgBody": []}), 10004)
            .await;
        assert!(
            api.fails(
                p,
                json!({"GroupId": WAR, "MsgBody": [{"MsgContent": {}}]}),
                10004
            )
            .await
            .contains("MsgType")
        );
        let after = api
            .ok(
                "group_open_http_svc/get_group_info",
                json!({"GroupIdList": [WAR]}),
            )
            .await;
        assert_eq!(after["GroupInfo"][0]["NextMsgSeq"], 9);
        let _: Value = after;
    }
}

mod receipts {
    use super::common::*;
    use serde_json::json;

    #[tokio::test]
    async fn counts_and_no_receipt_items() {
        let api = start(small_world()).await;
        let v = api
            .ok(
                "group_open_http_svc/get_group_msg_receipt",
                json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": 1}, {"MsgSeq": 2}, {"MsgSeq": 3}, {"MsgSeq": 4}, {"MsgSeq": 5}, {"MsgSeq": 6}, {"MsgSeq": 99}]}),
            )
            .await;
        let list = v["GroupMsgReceiptList"].as_array().unwrap();
        assert_eq!(
            list[0],
            json!({"Code": 0, "MsgSeq": 1, "ReadNum": 1, "UnreadNum": 3})
        );
        assert_eq!(list[1]["Code"], 10062, "sent without NeedReadReceipt");
        assert_eq!(
            list[2],
            json!({"Code": 0, "MsgSeq": 3, "ReadNum": 1, "UnreadNum": 3})
        );
        // frank joined before seq 4, erin sent it.
        assert_eq!(
            list[3],
            json!({"Code": 0, "MsgSeq": 4, "ReadNum": 0, "UnreadNum": 5})
        );
        for item in &list[4..7] {
            assert_eq!(item["Code"], 10062, "recalled, expired, missing: {item}");
        }
    }

    #[tokio::test]
    async fn detail_lists_are_disjoint_and_match_the_counts() {
        let api = start(small_world()).await;
        for seq in [1, 3, 4] {
            let (read, unread) = api.counts(WAR, seq).await;
            let r = api.detail_all(WAR, seq, 0, 2).await;
            let u = api.detail_all(WAR, seq, 1, 2).await;
            assert_eq!(
                (r.len() as u64, u.len() as u64),
                (read, unread),
                "seq {seq}"
            );
            assert!(r.iter().all(|a| !u.contains(a)));
        }
        assert_eq!(api.detail_all(WAR, 1, 0, 200).await, vec!["bob"]);
        assert_eq!(
            api.detail_all(WAR, 1, 1, 200).await,
            vec!["carol", "dave", "erin"]
        );
        let (page, cursor, finished) = api.detail(WAR, 3, 1, "", 2).await;
        assert_eq!(page, vec!["bob", "dave"]);
        assert!(!finished);
        assert!(cursor.parse::<u64>().unwrap() > u64::from(u32::MAX));
        let (page, cursor, finished) = api.detail(WAR, 3, 1, &cursor, 2).await;
        assert_eq!(page, vec!["erin"]);
        assert!(finished);
        assert_eq!(cursor, "0");
    }

    #[tokio::test]
    async fn detail_errors() {
        let api = start(small_world()).await;
        let p = "group_open_http_svc/get_group_msg_receipt_detail";
        let base = |seq: u64| json!({"GroupId": WAR, "MsgSeq": seq, "Filter": 1, "Cursor": "", "Count": 10});
        api.fails(p, base(2), 10062).await;
        api.fails(p, base(5), 10062).await;
        api.fails(p, base(50), 10062).await;
        let mut b = base(1);
        b["Filter"] = json!(2);
        assert!(api.fails(p, b, 10004).await.contains("Filter"));
        let mut b = base(1);
        b.as_object_mut().unwrap().remove("MsgSeq");
        assert!(api.fails(p, b, 10004).await.contains("MsgSeq"));
        let mut b = base(1);
        b["Cursor"] = json!("12345");
        assert!(api.fails(p, b, 10004).await.contains("Cursor"));
        let mut b = base(1);
        b.as_object_mut().unwrap().remove("Count");
        assert!(api.fails(p, b, 10004).await.contains("Count"));
    }

    #[tokio::test]
    async fn count_above_200_is_served_as_200() {
        let mut w = tim_receipts::sandbox::World::new();
        let mut g = w.add_group(
            "@TGS#2BIG",
            tim_receipts::api::GroupType::Public,
            &["owner"],
        );
        g.add_generated_members(450);
        let seq = g.post("owner", "read me", true);
        let api = start(w).await;
        let (page, cursor, finished) = api.detail("@TGS#2BIG", seq, 1, "", 1000).await;
        assert_eq!(page.len(), 200);
        assert!(!finished);
        let (page2, _, _) = api.detail("@TGS#2BIG", seq, 1, &cursor, 1000).await;
        assert_eq!(page2.len(), 200);
        assert!(page.iter().all(|a| !page2.contains(a)));
        assert_eq!(api.detail_all("@TGS#2BIG", seq, 1, 1000).await.len(), 450);
    }

    #[tokio::test]
    async fn pages_stay_consistent_when_members_read_between_calls() {
        let mut w = tim_receipts::sandbox::World::new();
        let mut g = w.add_group(
            "@TGS#2BIG",
            tim_receipts::api::GroupType::Public,
            &["owner"],
        );
        g.add_generated_members(30);
        let seq = g.post("owner", "read me", true);
        let api = start(w).await;
        let everyone = api.detail_all("@TGS#2BIG", seq, 1, 200).await;
        assert_eq!(everyone.len(), 30);
        let (mut got, mut cursor, _) = api.detail("@TGS#2BIG", seq, 1, "", 7).await;
        // Members on the first page and members not yet listed read now.
        for reader in [&everyone[0], &everyone[10], &everyone[20], &everyone[29]] {
            api.ok("group_open_http_svc/group_msg_receipt", json!({"GroupId": "@TGS#2BIG", "From_Account": reader, "MsgSeqList": [{"MsgSeq": seq}]})).await;
        }
        loop {
            let (page, next, finished) = api.detail("@TGS#2BIG", seq, 1, &cursor, 7).await;
            got.extend(page);
            if finished {
                break;
            }
            cursor = next;
        }
        assert_eq!(
            got, everyone,
            "each member exactly once, as of the first page"
        );
        assert_eq!(api.counts("@TGS#2BIG", seq).await, (4, 26));
        assert_eq!(api.detail_all("@TGS#2BIG", seq, 1, 7).await.len(), 26);
    }

    #[tokio::test]
    async fn admin_read_receipts_change_the_counts() {
        let api = start(small_world()).await;
        let p = "group_open_http_svc/group_msg_receipt";
        api.ok(p, json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}, {"MsgSeq": 3}]})).await;
        assert_eq!(api.counts(WAR, 1).await, (2, 2));
        assert_eq!(api.counts(WAR, 3).await, (2, 2));
        // Acknowledging again, or the sender acknowledging, changes nothing.
        api.ok(
            p,
            json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}]}),
        )
        .await;
        api.ok(
            p,
            json!({"GroupId": WAR, "From_Account": "alice", "MsgSeqList": [{"MsgSeq": 1}]}),
        )
        .await;
        assert_eq!(api.counts(WAR, 1).await, (2, 2));
        api.fails(
            p,
            json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 2}]}),
            10062,
        )
        .await;
        api.fails(
            p,
            json!({"GroupId": WAR, "From_Account": "zoe", "MsgSeqList": [{"MsgSeq": 1}]}),
            10007,
        )
        .await;
        let many: Vec<_> = (0..51).map(|_| json!({"MsgSeq": 1})).collect();
        api.fails(
            p,
            json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": many}),
            10004,
        )
        .await;
        assert!(
            api.fails(
                p,
                json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": 1}]}),
                10004
            )
            .await
            .contains("From_Account")
        );
    }

    #[tokio::test]
    async fn avchatroom_and_community_are_refused_for_receipts() {
        let api = start(small_world()).await;
        for g in [LIVE, COMM] {
            let info = api
                .fails(
                    "group_open_http_svc/get_group_msg_receipt",
                    json!({"GroupId": g, "MsgSeqList": [{"MsgSeq": 1}]}),
                    10007,
                )
                .await;
            assert!(info.contains("read receipts"), "{info}");
            api.fails(
                "group_open_http_svc/get_group_msg_receipt_detail",
                json!({"GroupId": g, "MsgSeq": 1, "Filter": 0, "Cursor": "", "Count": 5}),
                10007,
            )
            .await;
            api.fails(
                "group_open_http_svc/group_msg_receipt",
                json!({"GroupId": g, "From_Account": "bob", "MsgSeqList": [{"MsgSeq": 1}]}),
                10007,
            )
            .await;
        }
        // Meeting groups support receipts.
        assert_eq!(api.counts(MEET, 1).await, (0, 2));
    }

    #[tokio::test]
    async fn set_unread_moves_msg_seq_with_clamping() {
        let api = start(small_world()).await;
        let p = "group_open_http_svc/set_unread_msg_num";
        let seq_of = |v: serde_json::Value| v["MemberList"][0]["MsgSeq"].as_u64().unwrap();
        let member =
            |g: &'static str, m: &'static str| json!({"GroupId": g, "Member_List_Account": [m]});
        let v = api
            .call(
                p,
                json!({"GroupId": WAR, "Member_Account": "dave", "UnreadMsgNum": 2}),
            )
            .await;
        assert_eq!(
            v,
            json!({"Action1Status": "OK", "ErrorCode": 0, "ErrorInfo": ""})
        );
        let spec = "group_open_http_svc/get_specified_group_member_info";
        assert_eq!(seq_of(api.ok(spec, member(WAR, "dave")).await), 4);
        assert_eq!(api.sb.with_world(|w| w.unread_count(WAR, "dave")), Some(2));
        api.call(
            p,
            json!({"GroupId": WAR, "Member_Account": "dave", "UnreadMsgNum": 100}),
        )
        .await;
        assert_eq!(
            seq_of(api.ok(spec, member(WAR, "dave")).await),
            0,
            "clamped to 6 messages"
        );
        api.call(
            p,
            json!({"GroupId": WAR, "Member_Account": "dave", "UnreadMsgNum": "0"}),
        )
        .await;
        assert_eq!(seq_of(api.ok(spec, member(WAR, "dave")).await), 6);
        assert_eq!(api.counts(WAR, 1).await, (1, 3), "receipts untouched");
        // Community groups keep unread counts too.
        api.call(
            p,
            json!({"GroupId": COMM, "Member_Account": "bob", "UnreadMsgNum": 1}),
        )
        .await;
        assert_eq!(api.sb.with_world(|w| w.unread_count(COMM, "bob")), Some(1));
        // Meeting and AVChatRoom: success, nothing changes.
        let before = seq_of(api.ok(spec, member(MEET, "bob")).await);
        let v = api
            .call(
                p,
                json!({"GroupId": MEET, "Member_Account": "bob", "UnreadMsgNum": 1}),
            )
            .await;
        assert_eq!(v["ErrorCode"], 0);
        assert_eq!(seq_of(api.ok(spec, member(MEET, "bob")).await), before);
        assert_eq!(
            api.call(
                p,
                json!({"GroupId": LIVE, "Member_Account": "bob", "UnreadMsgNum": 1})
            )
            .await["ErrorCode"],
            0
        );
        api.fails(
            p,
            json!({"GroupId": WAR, "Member_Account": "zoe", "UnreadMsgNum": 1}),
            10007,
        )
        .await;
        assert!(
            api.fails(p, json!({"GroupId": WAR, "Member_Account": "dave"}), 10004)
                .await
                .contains("UnreadMsgNum")
        );
        assert!(
            api.fails(
                p,
                json!({"GroupId": WAR, "Member_Account": "dave", "UnreadMsgNum": -1}),
                10004
            )
            .await
            .contains("UnreadMsgNum")
        );
    }
}

mod c2c {
    use super::common::*;
    use serde_json::json;

    async fn unread(api: &Api, to: &str, peers: &[&str]) -> serde_json::Value {
        api.ok(
            "openim/get_c2c_unread_msg_num",
            json!({"To_Account": to, "Peer_Account": peers}),
        )
        .await
    }

    #[tokio::test]
    async fn c2c_unread_counts() {
        let api = start(small_world()).await;
        let v = unread(&api, "alice", &["bob", "carol", "dave", "ghost"]).await;
        assert_eq!(v["AllC2CUnreadMsgNum"], 7);
        assert_eq!(
            v["C2CUnreadMsgNumList"],
            json!([
                {"Peer_Account": "bob", "C2CUnreadMsgNum": 5},
                {"Peer_Account": "carol", "C2CUnreadMsgNum": 2},
                {"Peer_Account": "dave", "C2CUnreadMsgNum": 0},
            ])
        );
        assert_eq!(
            v["ErrorList"],
            json!([{"Peer_Account": "ghost", "ErrorCode": 70107}])
        );
        let v = api
            .ok(
                "openim/get_c2c_unread_msg_num",
                json!({"To_Account": "alice"}),
            )
            .await;
        assert_eq!(v["AllC2CUnreadMsgNum"], 7);
        api.fails(
            "openim/get_c2c_unread_msg_num",
            json!({"To_Account": "ghost"}),
            90003,
        )
        .await;
        let eleven: Vec<String> = (0..11).map(|i| format!("p{i}")).collect();
        api.fails(
            "openim/get_c2c_unread_msg_num",
            json!({"To_Account": "alice", "Peer_Account": eleven}),
            70402,
        )
        .await;
    }

    #[tokio::test]
    async fn admin_set_msg_read_zeroes_up_to_the_time() {
        let api = start(small_world()).await;
        api.sb.with_world(|w| {
            for t in [1000, 2000, 3000] {
                w.c2c_send("dave", "alice", t);
            }
        });
        let p = "openim/admin_set_msg_read";
        let dave = |v: serde_json::Value| v["C2CUnreadMsgNumList"][0]["C2CUnreadMsgNum"].clone();
        assert_eq!(dave(unread(&api, "alice", &["dave"]).await), 3);
        // MsgReadTime as a string (the seed's type): messages at or before it are read.
        api.ok(
            p,
            json!({"Report_Account": "alice", "Peer_Account": "dave", "MsgReadTime": "2000"}),
        )
        .await;
        assert_eq!(dave(unread(&api, "alice", &["dave"]).await), 1);
        // An earlier time never makes messages unread again; a number works too.
        api.ok(
            p,
            json!({"Report_Account": "alice", "Peer_Account": "dave", "MsgReadTime": 1500}),
        )
        .await;
        assert_eq!(dave(unread(&api, "alice", &["dave"]).await), 1);
        // No time: now.
        api.ok(p, json!({"Report_Account": "alice", "Peer_Account": "bob"}))
            .await;
        api.ok(
            p,
            json!({"Report_Account": "alice", "Peer_Account": "dave"}),
        )
        .await;
        let v = unread(&api, "alice", &["bob", "dave"]).await;
        assert_eq!(v["AllC2CUnreadMsgNum"], 2, "only carol's two remain: {v}");
        assert!(
            api.fails(
                p,
                json!({"Report_Account": "ghost", "Peer_Account": "bob"}),
                90008
            )
            .await
            .contains("Report_Account")
        );
        assert!(
            api.fails(p, json!({"Peer_Account": "bob"}), 90008)
                .await
                .contains("Report_Account")
        );
        assert!(
            api.fails(
                p,
                json!({"Report_Account": "alice", "Peer_Account": "ghost"}),
                90003
            )
            .await
            .contains("Peer_Account")
        );
        api.fails(
            p,
            json!({"Report_Account": "alice", "Peer_Account": "bob", "MsgReadTime": "soon"}),
            90001,
        )
        .await;
    }
}

mod lifecycle {
    use super::common::*;
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    #[test]
    fn handles_can_move_between_tasks() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<tim_receipts::sandbox::Sandbox>();
        send_sync::<tim_receipts::sandbox::World>();
    }

    #[tokio::test]
    async fn shutdown_stops_serving() {
        let api = start(small_world()).await;
        let url = api.sb.url();
        assert!(url.starts_with("http://127.0.0.1:"));
        api.ok(
            "group_open_http_svc/get_group_info",
            serde_json::json!({"GroupIdList": [WAR]}),
        )
        .await;
        api.sb.shutdown().await;
        let fresh = reqwest::Client::new();
        let r = fresh
            .post(format!("{url}/v4/group_open_http_svc/get_group_info"))
            .send()
            .await;
        assert!(r.is_err(), "still serving after shutdown");
    }

    #[test]
    fn binary_prints_the_listening_line_and_exits_cleanly_on_sigterm() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tim-receipts"))
            .args(["sandbox", "--listen", "127.0.0.1:0", "--seed", "7"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("binary runs");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let addr = line
            .trim_end()
            .strip_prefix("listening on http://127.0.0.1:")
            .unwrap_or_else(|| panic!("first line: {line:?}"));
        let port: u16 = addr.parse().expect("a real port");
        assert_ne!(port, 0);
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("it listens");
        // The whole demo world (100k-member community included) fits well under 200 MB.
        #[cfg(target_os = "linux")]
        {
            let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
            let rss_kb: u64 = status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .expect("VmRSS");
            assert!(rss_kb < 200 * 1024, "RSS {rss_kb} kB");
        }
        let pid = i32::try_from(child.id()).unwrap();
        // SAFETY: sending SIGTERM to our own child process.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "exit status {status}");
                break;
            }
            assert!(Instant::now() < deadline, "did not exit after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

mod demo {
    use super::common::*;
    use serde_json::json;
    use std::collections::HashMap;
    use std::time::Instant;
    use tim_receipts::api::{GroupType, MessageKind};
    use tim_receipts::sandbox::{
        DEFAULT_SEED, DEMO_ALL_HANDS, DEMO_C2C_USER, DEMO_COMMUNITY, DEMO_LIVE, DEMO_MEETING,
        DEMO_WAR_ROOM, World,
    };

    const NOW: i64 = 1_780_000_000;

    /// A summary that changes if anything generated changes.
    fn fingerprint(w: &World) -> Vec<String> {
        w.group_ids()
            .iter()
            .map(|id| {
                let latest = w.latest_seq(id).unwrap();
                format!(
                    "{id} {} {:?} {} {latest} {:?} {:?}",
                    w.group_name(id).unwrap(),
                    w.group_type(id).unwrap(),
                    w.member_count(id).unwrap(),
                    w.receipt_counts(id, latest),
                    w.message(id, latest).map(|m| (m.from, m.text, m.time)),
                )
            })
            .collect()
    }

    #[test]
    fn demo_world_is_deterministic_per_seed() {
        let a = World::demo_at(DEFAULT_SEED, NOW);
        let b = World::demo_at(DEFAULT_SEED, NOW);
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_eq!(a.members(DEMO_WAR_ROOM), b.members(DEMO_WAR_ROOM));
        let c = World::demo_at(DEFAULT_SEED + 1, NOW);
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }

    #[test]
    fn demo_world_invariants() {
        let started = Instant::now();
        let w = World::demo_at(DEFAULT_SEED, NOW);
        eprintln!(
            "demo world: {} groups, {} accounts, built in {:?} (debug build)",
            w.group_count(),
            w.account_count(),
            started.elapsed()
        );
        assert!(w.group_count() >= 1000);
        let mut per_type: HashMap<GroupType, usize> = HashMap::new();
        for id in w.group_ids() {
            *per_type.entry(w.group_type(&id).unwrap()).or_default() += 1;
            assert!(w.group_name(&id).unwrap().len() <= 30);
        }
        for t in GroupType::ALL {
            assert!(
                per_type.get(&t).copied().unwrap_or(0) >= 50,
                "{t:?}: {per_type:?}"
            );
        }
        // The notable groups.
        assert_eq!(w.group_type(DEMO_ALL_HANDS), Some(GroupType::Public));
        assert_eq!(w.member_count(DEMO_ALL_HANDS), Some(6000));
        assert_eq!(w.group_type(DEMO_COMMUNITY), Some(GroupType::Community));
        assert_eq!(w.member_count(DEMO_COMMUNITY), Some(100_000));
        assert_eq!(w.group_type(DEMO_LIVE), Some(GroupType::AVChatRoom));
        assert_eq!(w.group_type(DEMO_MEETING), Some(GroupType::Meeting));
        assert_eq!(w.group_type(DEMO_WAR_ROOM), Some(GroupType::Work));
        assert_eq!(w.group_name(DEMO_WAR_ROOM), Some("Ops War Room"));
        // The war room's latest message is an outage update, partly read.
        let latest = w.latest_seq(DEMO_WAR_ROOM).unwrap();
        let m = w.message(DEMO_WAR_ROOM, latest).unwrap();
        assert!(m.text.contains("Outage"), "{m:?}");
        assert!(NOW - m.time < 30 * 60, "recent");
        let (read, unread) = w.receipt_counts(DEMO_WAR_ROOM, latest).unwrap();
        assert_eq!(read + unread, 179);
        assert!(read > 20 && unread > 20, "partly read: {read}/{unread}");
        // Realistic curves in the all-hands: old announcements mostly read, never by all.
        let first_receipt = (1..=latest)
            .find(|&s| w.has_receipt(DEMO_ALL_HANDS, s))
            .unwrap();
        let (r, u) = w.receipt_counts(DEMO_ALL_HANDS, first_receipt).unwrap();
        let share = r as f64 / (r + u) as f64;
        assert!(
            (0.6..0.97).contains(&share),
            "month-old announcement read by {share}"
        );
        // Messages with and without receipts, recalled and expired place-holders.
        let (mut with, mut without, mut recalled, mut expired) = (0, 0, 0, 0);
        for id in w.group_ids() {
            for seq in 1..=w.latest_seq(&id).unwrap() {
                let m = w.message(&id, seq).unwrap();
                match m.kind {
                    MessageKind::Recalled => recalled += 1,
                    MessageKind::Expired => expired += 1,
                    MessageKind::Normal if m.need_receipt => with += 1,
                    MessageKind::Normal => without += 1,
                }
            }
        }
        assert!(with > 1000 && without > 1000 && recalled > 20 && expired > 50);
        // Human-looking account IDs.
        for a in w.members(DEMO_WAR_ROOM).unwrap() {
            assert!(
                a.split('.').count() == 2
                    && a.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.'),
                "{a}"
            );
        }
        // 1:1 unread counts.
        let c2c: u64 = w
            .members(DEMO_ALL_HANDS)
            .unwrap()
            .iter()
            .take(8)
            .map(|p| w.c2c_unread(DEMO_C2C_USER, p))
            .sum();
        assert!(c2c > 10, "{c2c}");
    }

    #[tokio::test]
    async fn the_default_sandbox_serves_the_demo_world() {
        let sb = tim_receipts::sandbox::start(config()).await.unwrap();
        let api = Api {
            sig: tim_receipts::usersig::generate(
                tim_receipts::sandbox::DEFAULT_SDKAPPID,
                tim_receipts::sandbox::DEFAULT_KEY,
                tim_receipts::sandbox::DEFAULT_ADMIN,
                3600,
            ),
            http: reqwest::Client::new(),
            sb,
        };
        let v = api
            .ok(
                "group_open_http_svc/get_appid_group_list",
                json!({"Limit": 10}),
            )
            .await;
        assert!(v["TotalCount"].as_u64().unwrap() >= 1000);
        let v = api
            .ok(
                "group_open_http_svc/get_group_info",
                json!({"GroupIdList": [DEMO_WAR_ROOM, DEMO_ALL_HANDS, DEMO_COMMUNITY, DEMO_LIVE, DEMO_MEETING]}),
            )
            .await;
        let types: Vec<&str> = v["GroupInfo"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["Type"].as_str().unwrap())
            .collect();
        assert_eq!(
            types,
            ["Private", "Public", "Community", "AVChatRoom", "ChatRoom"]
        );
        let latest = v["GroupInfo"][0]["NextMsgSeq"].as_u64().unwrap() - 1;
        let (read, unread) = api.counts(DEMO_WAR_ROOM, latest).await;
        assert_eq!(read + unread, 179);
        let unread_list = api.detail_all(DEMO_WAR_ROOM, latest, 1, 50).await;
        assert_eq!(unread_list.len() as u64, unread);
        let v = api
            .ok(
                "openim/get_c2c_unread_msg_num",
                json!({"To_Account": DEMO_C2C_USER}),
            )
            .await;
        assert!(v["AllC2CUnreadMsgNum"].as_u64().unwrap() > 0);
    }
}

mod faults {
    use super::common::*;
    use serde_json::json;
    use std::time::{Duration, Instant};
    use tim_receipts::sandbox::{FaultKind, SandboxConfig};

    fn faulty(kinds: &[FaultKind], rate: f64) -> SandboxConfig {
        SandboxConfig {
            fail_rate: rate,
            fault_kinds: kinds.to_vec(),
            stall: Duration::from_millis(300),
            ..config()
        }
    }

    async fn raw_info(api: &Api) -> (u16, String) {
        let url = api.url(
            "group_open_http_svc/get_group_info",
            &tim_receipts::sandbox::DEFAULT_SDKAPPID.to_string(),
            tim_receipts::sandbox::DEFAULT_ADMIN,
            &api.sig,
        );
        let resp = api
            .post_raw(&url, json!({"GroupIdList": [WAR]}).to_string())
            .await;
        let status = resp.status().as_u16();
        (status, resp.text().await.unwrap())
    }

    #[tokio::test]
    async fn each_fault_mode_over_http() {
        let api = start_with(faulty(&[FaultKind::Internal], 1.0), small_world()).await;
        let (status, body) = raw_info(&api).await;
        assert_eq!(status, 200);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body).unwrap()["ErrorCode"],
            10002
        );

        let api = start_with(faulty(&[FaultKind::BadGateway], 1.0), small_world()).await;
        assert_eq!(raw_info(&api).await.0, 502);

        let api = start_with(faulty(&[FaultKind::Truncated], 1.0), small_world()).await;
        let (status, body) = raw_info(&api).await;
        assert_eq!(status, 200);
        assert!(body.starts_with('{') && body.len() > 10, "{body}");
        assert!(
            serde_json::from_str::<serde_json::Value>(&body).is_err(),
            "still JSON: {body}"
        );

        let api = start_with(faulty(&[FaultKind::FrequencyLimit], 1.0), small_world()).await;
        let (_, body) = raw_info(&api).await;
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body).unwrap()["ErrorCode"],
            60007
        );
    }

    #[tokio::test]
    async fn a_stall_outlasts_a_short_client_timeout_then_answers() {
        let mut cfg = faulty(&[FaultKind::Stall], 1.0);
        cfg.stall = Duration::from_secs(30);
        let api = start_with(cfg, small_world()).await;
        let short = reqwest::Client::builder()
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let url = api.url(
            "group_open_http_svc/get_group_info",
            "1400000000",
            "administrator",
            &api.sig,
        );
        let err = short
            .post(&url)
            .body(json!({"GroupIdList": [WAR]}).to_string())
            .send()
            .await
            .unwrap_err();
        assert!(err.is_timeout(), "{err}");
        // A short stall answers normally.
        let api = start_with(faulty(&[FaultKind::Stall], 1.0), small_world()).await;
        let started = Instant::now();
        api.ok(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": [WAR]}),
        )
        .await;
        assert!(started.elapsed() >= Duration::from_millis(300));
    }

    #[tokio::test]
    async fn mixed_faults_are_seeded_and_leave_successes() {
        let kinds = [
            FaultKind::Internal,
            FaultKind::BadGateway,
            FaultKind::Truncated,
            FaultKind::FrequencyLimit,
        ];
        let mut outcomes = Vec::new();
        for _ in 0..2 {
            let api = start_with(faulty(&kinds, 0.5), small_world()).await;
            let mut seen = Vec::new();
            for _ in 0..200 {
                let (status, body) = raw_info(&api).await;
                seen.push(
                    match (status, serde_json::from_str::<serde_json::Value>(&body)) {
                        (502, _) => "502".to_string(),
                        (_, Err(_)) => "truncated".to_string(),
                        (_, Ok(v)) => v["ErrorCode"].to_string(),
                    },
                );
            }
            outcomes.push(seen);
        }
        assert_eq!(outcomes[0], outcomes[1], "same seed, same faults");
        for kind in ["0", "10002", "502", "truncated", "60007"] {
            assert!(
                outcomes[0].iter().any(|o| o == kind),
                "{kind} never happened"
            );
        }
    }

    #[tokio::test]
    async fn latency_is_added_and_bad_rates_are_refused() {
        let cfg = SandboxConfig {
            latency: Duration::from_millis(150),
            jitter: Duration::from_millis(50),
            ..config()
        };
        let api = start_with(cfg, small_world()).await;
        let started = Instant::now();
        api.ok(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": [WAR]}),
        )
        .await;
        assert!(started.elapsed() >= Duration::from_millis(150));
        let bad = SandboxConfig {
            fail_rate: 1.5,
            ..config()
        };
        let err = tim_receipts::sandbox::start_with_world(bad, small_world())
            .await
            .err()
            .unwrap();
        assert!(err.to_string().contains("between 0 and 1"), "{err}");
    }
}

mod rate_limits {
    use super::common::*;
    use serde_json::json;
    use std::time::Duration;
    use tim_receipts::sandbox::{RateLimits, SandboxConfig};

    #[test]
    fn defaults_are_the_vendor_limits() {
        let d = SandboxConfig::default().rate_limits;
        assert_eq!(
            d,
            RateLimits {
                per_api: 200,
                group_list: 1,
                window: Duration::from_secs(1)
            }
        );
    }

    #[tokio::test]
    async fn over_the_limit_gets_60007_per_api_never_a_dropped_connection() {
        let cfg = SandboxConfig {
            rate_limits: RateLimits {
                per_api: 200,
                group_list: 1,
                window: Duration::from_secs(3600),
            },
            ..config()
        };
        let api = start_with(cfg, small_world()).await;
        let calls = (0..300).map(|_| {
            api.call(
                "group_open_http_svc/get_group_msg_receipt",
                json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": 1}]}),
            )
        });
        let results = futures::future::join_all(calls).await;
        let ok = results.iter().filter(|v| v["ErrorCode"] == 0).count();
        let limited = results.iter().filter(|v| v["ErrorCode"] == 60007).count();
        assert_eq!((ok, limited), (200, 100));
        // Other APIs have their own budget.
        api.ok(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": [WAR]}),
        )
        .await;
        // get_appid_group_list: one call per window.
        api.ok("group_open_http_svc/get_appid_group_list", json!({}))
            .await;
        let info = api
            .fails("group_open_http_svc/get_appid_group_list", json!({}), 60007)
            .await;
        assert!(info.contains("frequency"), "{info}");
    }
}

mod callbacks {
    use super::common::*;
    use axum::extract::{Query, State};
    use serde_json::{Value, json};
    use sha2::{Digest, Sha256};
    use std::collections::HashMap;
    use std::time::Duration;
    use tim_receipts::api::GroupType;
    use tim_receipts::sandbox::{SandboxConfig, World};
    use tokio::sync::mpsc;

    type Received = (HashMap<String, String>, Value);

    /// A webhook receiver on 127.0.0.1:0 that answers after `delay`.
    async fn receiver(delay: Duration) -> (String, mpsc::UnboundedReceiver<Received>) {
        let (tx, rx) = mpsc::unbounded_channel::<Received>();
        let app = axum::Router::new()
            .route(
                "/cb",
                axum::routing::post(
                    move |State(tx): State<mpsc::UnboundedSender<Received>>,
                          Query(q): Query<HashMap<String, String>>,
                          body: String| async move {
                        let v: Value = serde_json::from_str(&body).expect("callback body is JSON");
                        let _ = tx.send((q, v));
                        tokio::time::sleep(delay).await;
                        axum::Json(json!({"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}))
                    },
                ),
            )
            .with_state(tx);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/cb?x=1", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (url, rx)
    }

    fn with_callbacks(url: &str, token: Option<&str>, batch: Duration) -> SandboxConfig {
        SandboxConfig {
            callback_url: Some(url.to_string()),
            callback_token: token.map(str::to_string),
            callback_batch: batch,
            ..config()
        }
    }

    async fn next(rx: &mut mpsc::UnboundedReceiver<Received>) -> Received {
        tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("a callback within 30 s")
            .expect("receiver alive")
    }

    fn readers(item: &Value) -> Vec<String> {
        item["ReadReceiptMembers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["Member_Account"].as_str().unwrap().to_string())
            .collect()
    }

    #[tokio::test]
    async fn admin_receipts_fire_a_signed_callback_shaped_like_the_seed() {
        let (url, mut rx) = receiver(Duration::ZERO).await;
        let api = start_with(
            with_callbacks(&url, Some("s3cret"), Duration::from_millis(100)),
            small_world(),
        )
        .await;
        api.ok("group_open_http_svc/group_msg_receipt", json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}, {"MsgSeq": 3}]})).await;
        let (q, body) = next(&mut rx).await;
        assert_eq!(q["SdkAppid"], "1400000000");
        assert_eq!(q["CallbackCommand"], "Group.CallbackAfterReadReceipt");
        assert_eq!(q["contenttype"], "json");
        assert_eq!(q["OptPlatform"], "RESTAPI");
        assert_eq!(q["x"], "1", "the URL's own query is kept");
        assert!(!q["ClientIP"].is_empty());
        let t: u64 = q["RequestTime"].parse().expect("RequestTime in seconds");
        assert!(t.abs_diff(tim_receipts::usersig::now_unix()) < 600);
        let expected = hex::encode(Sha256::digest(format!("s3cret{t}").as_bytes()));
        assert_eq!(q["Sign"], expected);
        assert_eq!(body["CallbackCommand"], "Group.CallbackAfterReadReceipt");
        assert_eq!(body["GroupId"], WAR);
        assert_eq!(body["Type"], "Public");
        let event_ms: u64 = body["EventTime"]
            .as_str()
            .expect("EventTime is a string")
            .parse()
            .unwrap();
        assert!(event_ms > 1_600_000_000_000);
        assert_eq!(
            body["GroupMsgReceiptList"],
            json!([
                {"MsgSeq": 1, "ReadNum": 2, "UnreadNum": 2, "ReadReceiptMembers": [{"Member_Account": "dave"}]},
                {"MsgSeq": 3, "ReadNum": 2, "UnreadNum": 2, "ReadReceiptMembers": [{"Member_Account": "dave"}]},
            ])
        );
        assert!(!body.to_string().contains("s3cret"));
        // Acknowledging what was already read fires nothing new.
        api.ok(
            "group_open_http_svc/group_msg_receipt",
            json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}]}),
        )
        .await;
        api.ok(
            "group_open_http_svc/group_msg_receipt",
            json!({"GroupId": WAR, "From_Account": "erin", "MsgSeqList": [{"MsgSeq": 3}]}),
        )
        .await;
        let (_, body) = next(&mut rx).await;
        assert_eq!(readers(&body["GroupMsgReceiptList"][0]), ["erin"]);
    }

    #[tokio::test]
    async fn the_crates_own_webhook_receiver_accepts_sandbox_callbacks() {
        use tim_receipts::webhook::server::{ReceiverConfig, start as start_receiver};
        let (tx, mut rx) = mpsc::channel(16);
        let receiver = start_receiver(
            ReceiverConfig {
                sdkappid: tim_receipts::sandbox::DEFAULT_SDKAPPID,
                token: Some("e2e-token".into()),
                ..ReceiverConfig::default()
            },
            "127.0.0.1:0".parse().unwrap(),
            tx,
        )
        .await
        .unwrap();
        let url = format!("{}/callback", receiver.url());
        let api = start_with(
            with_callbacks(&url, Some("e2e-token"), Duration::from_millis(50)),
            small_world(),
        )
        .await;
        api.ok("group_open_http_svc/group_msg_receipt", json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}, {"MsgSeq": 3}]})).await;
        let event = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("an event")
            .unwrap();
        assert_eq!(event.group_id, WAR);
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.receipts.len(), 2);
        assert_eq!(
            (
                event.receipts[0].seq,
                event.receipts[0].read,
                event.receipts[0].unread
            ),
            (1, 2, 2)
        );
        assert_eq!(event.receipts[1].readers, ["dave"]);
    }

    #[tokio::test]
    async fn without_a_token_there_is_no_sign() {
        let (url, mut rx) = receiver(Duration::ZERO).await;
        let api = start_with(
            with_callbacks(&url, None, Duration::from_millis(50)),
            small_world(),
        )
        .await;
        api.ok(
            "group_open_http_svc/group_msg_receipt",
            json!({"GroupId": WAR, "From_Account": "dave", "MsgSeqList": [{"MsgSeq": 1}]}),
        )
        .await;
        let (q, _) = next(&mut rx).await;
        assert!(
            !q.contains_key("Sign") && !q.contains_key("RequestTime"),
            "{q:?}"
        );
    }

    #[tokio::test]
    async fn reads_of_one_group_are_batched() {
        let (url, mut rx) = receiver(Duration::ZERO).await;
        let api = start_with(
            with_callbacks(&url, None, Duration::from_secs(2)),
            small_world(),
        )
        .await;
        for who in ["dave", "erin", "carol"] {
            api.ok(
                "group_open_http_svc/group_msg_receipt",
                json!({"GroupId": WAR, "From_Account": who, "MsgSeqList": [{"MsgSeq": 1}]}),
            )
            .await;
        }
        let mut seen = Vec::new();
        let mut callbacks = 0;
        let mut last_read = 0;
        while seen.len() < 3 {
            let (_, body) = next(&mut rx).await;
            callbacks += 1;
            let item = &body["GroupMsgReceiptList"][0];
            seen.extend(readers(item));
            last_read = item["ReadNum"].as_u64().unwrap();
        }
        seen.sort();
        assert_eq!(seen, ["carol", "dave", "erin"]);
        assert_eq!(last_read, 4);
        assert!(
            callbacks < 3,
            "three reads within the batch window arrive together"
        );
    }

    #[tokio::test]
    async fn a_slow_receiver_never_blocks_the_api() {
        let (url, _rx) = receiver(Duration::from_secs(120)).await;
        let mut w = World::new();
        let mut g = w.add_group("@TGS#2SLOW", GroupType::Public, &["owner"]);
        g.add_generated_members(100);
        let seq = g.post("owner", "read me", true);
        let members = w.members("@TGS#2SLOW").unwrap();
        let api = start_with(
            with_callbacks(&url, Some("t"), Duration::from_millis(10)),
            w,
        )
        .await;
        let all = async {
            for m in members.iter().skip(1) {
                api.ok("group_open_http_svc/group_msg_receipt", json!({"GroupId": "@TGS#2SLOW", "From_Account": m, "MsgSeqList": [{"MsgSeq": seq}]})).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(60), all)
            .await
            .expect("the API kept answering");
        assert_eq!(api.counts("@TGS#2SLOW", seq).await, (100, 0));
    }

    #[tokio::test]
    async fn activity_reads_and_reports_from_client_platforms() {
        let (url, mut rx) = receiver(Duration::ZERO).await;
        let cfg = SandboxConfig {
            activity: 50.0,
            ..with_callbacks(&url, None, Duration::from_millis(50))
        };
        let api = start_with(cfg, small_world()).await;
        let (q, body) = next(&mut rx).await;
        assert!(
            ["iOS", "Android", "Web", "Windows", "Mac"].contains(&q["OptPlatform"].as_str()),
            "{q:?}"
        );
        let group = body["GroupId"].as_str().unwrap().to_string();
        assert!([WAR, MEET, WORK].contains(&group.as_str()));
        let item = &body["GroupMsgReceiptList"][0];
        let members = api.sb.with_world(|w| w.members(&group).unwrap());
        for r in readers(item) {
            assert!(members.contains(&r));
        }
        assert!(item["ReadNum"].as_u64().unwrap() >= 1);
    }

    #[tokio::test]
    async fn activity_posts_new_receipt_messages_when_all_is_read() {
        let mut w = World::new();
        let mut g = w.add_group("@TGS#1DONE", GroupType::Work, &["a", "b", "c"]);
        let seq = g.post("a", "read by all", true);
        g.ack("b", &[seq]).ack("c", &[seq]);
        let cfg = SandboxConfig {
            activity: 20.0,
            ..config()
        };
        let api = start_with(cfg, w).await;
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let latest = api.sb.with_world(|w| w.latest_seq("@TGS#1DONE").unwrap());
            if latest > 1 {
                assert!(api.sb.with_world(|w| w.has_receipt("@TGS#1DONE", 2)));
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no new message from activity"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

mod paging_property {
    use super::common::*;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use serde_json::json;
    use tim_receipts::api::GroupType;
    use tim_receipts::sandbox::World;

    const G: &str = "@TGS#2PROP";

    /// A random world: members joining between messages, random senders and receipt flags,
    /// random reads up to seqs and explicit acks. Returns the world and its member names.
    fn random_world(rng: &mut StdRng, members: usize, messages: usize) -> (World, Vec<String>) {
        let names: Vec<String> = (0..members).map(|i| format!("m{i:02}")).collect();
        let mut w = World::new();
        let first = rng.random_range(1..=members);
        let initial: Vec<&str> = names[..first].iter().map(String::as_str).collect();
        let mut g = w.add_group(G, GroupType::Public, &initial);
        let mut joined = first;
        for _ in 0..messages {
            if joined < members && rng.random_bool(0.4) {
                let more = rng.random_range(joined + 1..=members);
                let batch: Vec<&str> = names[joined..more].iter().map(String::as_str).collect();
                g.add_members(&batch);
                joined = more;
            }
            let from = &names[rng.random_range(0..joined)];
            // At least the last message carries a receipt.
            g.post(from, "m", rng.random_bool(0.7));
        }
        g.post(&names[rng.random_range(0..joined)], "last", true);
        let latest = messages as u64 + 1;
        for name in &names[..joined] {
            match rng.random_range(0..4) {
                0 => {
                    g.read_up_to(name, rng.random_range(1..=latest));
                }
                1 => {
                    let s: Vec<u64> = (1..=latest).filter(|_| rng.random_bool(0.5)).collect();
                    g.ack(name, &s);
                }
                _ => {}
            }
        }
        (w, names[..joined].to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

        /// Concatenating every page lists each member exactly once, as of the first page,
        /// even when members read between two page calls.
        #[test]
        fn pages_list_each_member_once_despite_reads_in_between(
            members in 2usize..40,
            messages in 0usize..6,
            count in 1u64..9,
            unread in any::<bool>(),
            seed in any::<u64>(),
        ) {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let mut rng = StdRng::seed_from_u64(seed);
                let (world, names) = random_world(&mut rng, members, messages);
                let receipts: Vec<u64> = (1..=messages as u64 + 1).filter(|&s| world.has_receipt(G, s)).collect();
                let seq = receipts[rng.random_range(0..receipts.len())];
                let api = start(world).await;
                let filter = u8::from(unread);
                let expected = api.sb.with_world(|w| w.receipt_members(G, seq, !unread).unwrap());
                let (r, u) = api.counts(G, seq).await;
                let other = api.sb.with_world(|w| w.receipt_members(G, seq, unread).unwrap());
                prop_assert_eq!((r + u) as usize, expected.len() + other.len());

                let mut got = Vec::new();
                let mut cursor = String::new();
                for _ in 0..1000 {
                    let (page, next, finished) = api.detail(G, seq, filter, &cursor, count).await;
                    prop_assert!(page.len() as u64 <= count);
                    got.extend(page);
                    if finished {
                        break;
                    }
                    cursor = next;
                    // Reads between pages: over HTTP and through the world.
                    for _ in 0..rng.random_range(0..4) {
                        let who = &names[rng.random_range(0..names.len())];
                        if rng.random_bool(0.5) {
                            api.ok("group_open_http_svc/group_msg_receipt", json!({"GroupId": G, "From_Account": who, "MsgSeqList": [{"MsgSeq": seq}]})).await;
                        } else {
                            api.sb.with_world(|w| { w.group_mut(G).unwrap().read_up_to(who, seq); });
                        }
                    }
                }
                prop_assert_eq!(&got, &expected);
                let mut unique = got.clone();
                unique.sort();
                unique.dedup();
                prop_assert_eq!(unique.len(), got.len());
                Ok(())
            })?;
        }
    }
}

mod interop {
    use super::common::*;
    use serde_json::json;
    use std::path::PathBuf;
    use std::process::Command;
    use tim_receipts::sandbox::{DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID};

    /// A UserSig from Tencent's official Python package `tls-sig-api-v2`.
    fn python_sig(key: &str, identifier: &str) -> String {
        let python = std::env::var_os("TIM_TEST_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"));
        let script = format!(
            "import TLSSigAPIv2\nprint(TLSSigAPIv2.TLSSigAPIv2({DEFAULT_SDKAPPID}, {key:?}).gen_sig({identifier:?}, expire=86400))"
        );
        let out = Command::new(&python).args(["-c", &script]).output();
        match out {
            Ok(o) if o.status.success() => String::from_utf8(o.stdout).unwrap().trim().to_string(),
            other => panic!(
                "cannot run the official UserSig library with {}: {other:?}\n\
                 Install it: python3 -m venv .venv && .venv/bin/pip install tls-sig-api-v2\n\
                 (or point TIM_TEST_PYTHON at a Python that has the TLSSigAPIv2 module).",
                python.display()
            ),
        }
    }

    #[tokio::test]
    async fn usersigs_from_the_official_python_library_are_accepted() {
        let api = start(small_world()).await;
        let app = DEFAULT_SDKAPPID.to_string();
        let path = "group_open_http_svc/get_group_msg_receipt";
        let body = json!({"GroupId": WAR, "MsgSeqList": [{"MsgSeq": 1}]}).to_string();
        let sig = python_sig(DEFAULT_KEY, DEFAULT_ADMIN);
        let v = api
            .call_raw(&api.url(path, &app, DEFAULT_ADMIN, &sig), &body)
            .await;
        assert_eq!(v["ErrorCode"], 0, "{v}");
        assert_eq!(v["GroupMsgReceiptList"][0]["ReadNum"], 1);
        let bob = python_sig(DEFAULT_KEY, "bob");
        assert_eq!(
            api.call_raw(&api.url(path, &app, "bob", &bob), &body).await["ErrorCode"],
            60010
        );
        let wrong = python_sig("not-the-key", DEFAULT_ADMIN);
        assert_eq!(
            api.call_raw(&api.url(path, &app, DEFAULT_ADMIN, &wrong), &body)
                .await["ErrorCode"],
            70009
        );
    }
}
