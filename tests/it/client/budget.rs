use super::*;

#[tokio::test]
async fn the_token_bucket_spaces_calls() {
    let sb = sandbox().await;
    let mut config = config(&sb);
    config.budget_per_sec = 5;
    let c = Client::new(config).unwrap();
    let started = Instant::now();
    // 15 single-chunk calls: a burst of 5, then 10 more at 5/s: at least 2 s.
    let calls = (0..15).map(|_| c.receipt_counts(WORK, &[1]));
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(1_800),
        "15 calls at 5/s took only {:?}",
        started.elapsed()
    );
    assert_eq!(c.stats().total_calls, 15);
}
