use serde_json::{Value, json};
use tim_receipts::api::GroupType;
use tim_receipts::sandbox::{
    self, DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID, RateLimits, Sandbox, SandboxConfig, World,
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

    pub async fn post_raw(&self, url: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
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
    pub async fn detail_all(&self, group: &str, seq: u64, filter: u8, count: u64) -> Vec<String> {
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
