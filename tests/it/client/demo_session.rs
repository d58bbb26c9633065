use tim_receipts::cli::{DemoArgs, GlobalArgs};
use tim_receipts::session::{Session, SessionOptions};

#[tokio::test]
async fn demo_connects_without_configuration() {
    let global = GlobalArgs {
        demo: true,
        ..GlobalArgs::default()
    };
    let s = Session::connect(&global, &DemoArgs::default())
        .await
        .unwrap();
    assert_eq!(s.profile, "demo");
    assert!(
        s.location.starts_with("sandbox 127.0.0.1:"),
        "{}",
        s.location
    );
    assert!(!s.read_only);
    assert_eq!(s.budget_per_sec, 40, "the total ceiling's default");
    let ids = s.demo_ids().expect("demo IDs on a demo session");
    let infos = s.client.group_info(&[ids.war_room.into()]).await.unwrap();
    assert_eq!(infos[0].code, 0);
    assert_eq!(infos[0].member_num, 180);
    assert_eq!(s.endpoint, s.sandbox().unwrap().url());
}

#[tokio::test]
async fn demo_options_are_checked() {
    let global = GlobalArgs {
        demo: true,
        read_only: true,
        ..GlobalArgs::default()
    };
    let bad = SessionOptions {
        demo_activity: Some(-1.0),
        ..SessionOptions::default()
    };
    let e = Session::connect_with(&global, &DemoArgs::default(), bad)
        .await
        .err()
        .unwrap();
    assert!(e.to_string().contains("activity"), "{e}");
    let demo = DemoArgs {
        fail_rate: Some(2.0),
        ..DemoArgs::default()
    };
    let e = Session::connect(&global, &demo).await.err().unwrap();
    assert!(e.to_string().contains("--fail-rate"), "{e}");
    let s = Session::connect(&global, &DemoArgs::default())
        .await
        .unwrap();
    assert!(s.read_only);
}
