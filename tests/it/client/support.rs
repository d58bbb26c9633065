use super::*;

pub const WORK: &str = "@TGS#1WORKOPS";
pub const PUBLIC: &str = "@TGS#2PUBLICBIG";
pub const MEETING: &str = "@TGS#4MEETSYNC";
pub const LIVE: &str = "@TGS#3LIVESHOW";
pub const COMMUNITY: &str = "@TGS#_@TGS#CMTYTEST";
/// Generated members of PUBLIC (plus its owner "owner"): over the receipt cap.
pub const PUBLIC_EXTRA: usize = 450;
/// A Public group at the 200-member receipt cap (owner + 199), 130 of whom read seq 1.
pub const RECEIPTS: &str = "@TGS#2RECEIPTS200";
pub const RECEIPTS_EXTRA: usize = 199;

/// A small world: a Work group with a few messages (one without a receipt, one
/// recalled), a big Public group (451 members: its message has no receipt), a Public group
/// at 200 members with a long receipt list, a Meeting, an AVChatRoom and a Community group,
/// and some 1:1 unread messages.
pub fn world() -> World {
    let mut w = World::new();
    {
        let mut g = w.add_group(WORK, GroupType::Work, &["alice", "bob", "carol", "dave"]);
        g.name("ops");
        g.post("alice", "first", true);
        g.post("bob", "no receipt here", false);
        g.post("alice", "third", true);
        g.post("carol", "oops", true);
        g.recall(4);
        g.read_up_to("bob", 1);
        g.read_up_to("carol", 3);
    }
    {
        let mut g = w.add_group(PUBLIC, GroupType::Public, &["owner"]);
        g.name("all hands").add_generated_members(PUBLIC_EXTRA);
        g.post("owner", "please read", true);
    }
    {
        let mut g = w.add_group(RECEIPTS, GroupType::Public, &["owner"]);
        g.name("on-call").add_generated_members(RECEIPTS_EXTRA);
        g.post("owner", "please read", true);
    }
    let readers: Vec<String> = w.members(RECEIPTS).unwrap()[1..131].to_vec();
    {
        let mut g = w.group_mut(RECEIPTS).unwrap();
        for r in &readers {
            g.read_up_to(r, 1);
        }
    }
    {
        let mut g = w.add_group(MEETING, GroupType::Meeting, &["alice", "bob"]);
        g.post("alice", "sync", true);
    }
    w.add_group(LIVE, GroupType::AVChatRoom, &["alice"])
        .audience(1000);
    {
        let mut g = w.add_group(COMMUNITY, GroupType::Community, &["alice"]);
        g.add_generated_members(30);
    }
    w.set_c2c_unread("alice", "bob", 4);
    w
}

pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    sandbox::start_with_world(config, world())
        .await
        .expect("sandbox starts")
}

pub async fn sandbox() -> Sandbox {
    sandbox_with(SandboxConfig::default()).await
}

pub fn config(sb: &Sandbox) -> ClientConfig {
    ClientConfig {
        endpoint: sb.url(),
        sdkappid: sandbox::DEFAULT_SDKAPPID,
        identifier: sandbox::DEFAULT_ADMIN.into(),
        secret_key: sandbox::DEFAULT_KEY.into(),
        budget_per_sec: 20,
        timeout: Duration::from_secs(10),
        max_attempts: 3,
        ..ClientConfig::default()
    }
}

pub fn client(sb: &Sandbox) -> Client {
    Client::new(config(sb)).expect("client builds")
}

pub fn code(e: &ApiError) -> i64 {
    e.code()
        .unwrap_or_else(|| panic!("expected a service error, got {e:?}"))
}
