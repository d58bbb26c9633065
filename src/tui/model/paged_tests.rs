//! Tests of `paged`.

use super::*;
use proptest::prelude::*;

const TEST_BOUNDS: Bounds = Bounds {
    page_size: 200,
    max_items: 100_000,
    why: "test",
};

fn page(items: &[u32], next: Option<u32>) -> Result<Page<u32, u32>, String> {
    Ok(Page {
        items: items.to_vec(),
        next,
    })
}

#[test]
fn first_fetch_then_append_then_exhausted() {
    let mut list: PagedList<u32, u32> = PagedList::new(0, TEST_BOUNDS);
    let req = list.begin_fetch().unwrap();
    assert_eq!(req.cursor, 0);
    assert!(
        list.begin_fetch().is_none(),
        "one fetch in flight at a time"
    );
    assert_eq!(
        list.apply(req.generation, page(&[1, 2], Some(2))),
        Applied::Loaded {
            added: 2,
            replaced: false
        }
    );
    let req = list.begin_fetch().unwrap();
    assert_eq!(req.cursor, 2);
    list.apply(req.generation, page(&[3], None));
    assert_eq!(list.items(), &[1, 2, 3]);
    assert!(list.is_exhausted());
    assert!(list.begin_fetch().is_none());
}

#[test]
fn stale_generation_is_dropped() {
    let mut list: PagedList<u32, u32> = PagedList::new(0, TEST_BOUNDS);
    let old = list.begin_fetch().unwrap();
    list.reset(0);
    let new = list.begin_fetch().unwrap();
    assert_eq!(list.apply(old.generation, page(&[9], None)), Applied::Stale);
    assert!(list.is_empty());
    list.apply(new.generation, page(&[1], Some(1)));
    assert_eq!(list.items(), &[1]);
}

#[test]
fn failure_keeps_items_and_retry_refetches_same_cursor() {
    let mut list: PagedList<u32, u32> = PagedList::new(0, TEST_BOUNDS);
    let r = list.begin_fetch().unwrap();
    list.apply(r.generation, page(&[1, 2], Some(7)));
    let r = list.begin_fetch().unwrap();
    assert_eq!(
        list.apply::<String>(r.generation, Err("boom".into())),
        Applied::Failed
    );
    assert_eq!(list.items(), &[1, 2]);
    assert_eq!(list.error(), Some("boom"));
    assert!(list.begin_fetch().is_none(), "no automatic retry");
    assert!(list.retry());
    assert_eq!(list.begin_fetch().unwrap().cursor, 7);
}

#[test]
fn refresh_keeps_items_until_first_page_replaces_them() {
    let mut list: PagedList<u32, u32> = PagedList::new(0, TEST_BOUNDS);
    let r = list.begin_fetch().unwrap();
    list.apply(r.generation, page(&[1, 2], Some(2)));
    let r = list.refresh();
    assert_eq!(r.cursor, 0);
    assert_eq!(list.items(), &[1, 2]);
    assert!(list.is_refreshing());
    list.apply(r.generation, page(&[5], Some(1)));
    assert_eq!(list.items(), &[5]);
    assert!(!list.is_refreshing());
}

#[test]
fn a_hostile_service_cannot_keep_the_list_loading() {
    // Empty pages that say more follow: the first one stops the list.
    let mut list: PagedList<u32, u32> = PagedList::new(0, TEST_BOUNDS);
    let r = list.begin_fetch().unwrap();
    assert!(matches!(
        list.apply(r.generation, page(&[], Some(0))),
        Applied::Fault(PagingFault::NoProgress { .. })
    ));
    assert!(list.begin_fetch().is_none(), "no automatic refetch");
    assert!(!list.wants_more(0, usize::MAX));

    // Cursors alternating A/B with new items each time: stops at the first repeat.
    let mut list: PagedList<u32, u32> = PagedList::new(0, TEST_BOUNDS);
    let mut fetches = 0;
    let mut value = 0;
    while let Some(r) = list.begin_fetch() {
        fetches += 1;
        assert!(fetches < 10, "the list kept fetching");
        let items: Vec<u32> = (value..value + 5).collect();
        value += 5;
        list.apply(r.generation, page(&items, Some(fetches % 2)));
    }
    assert_eq!(fetches, 3);
    assert_eq!(list.len(), 10);

    // A page larger than asked is refused whole; a list past its bound stops.
    let small = Bounds {
        page_size: 5,
        max_items: 7,
        why: "test maximum",
    };
    let mut list: PagedList<u32, u32> = PagedList::new(0, small);
    let r = list.begin_fetch().unwrap();
    assert!(matches!(
        list.apply(r.generation, page(&(0..1000).collect::<Vec<_>>(), Some(1))),
        Applied::Fault(PagingFault::Oversized {
            got: 1000,
            asked: 5
        })
    ));
    assert!(list.is_empty());
    assert!(list.retry());
    let r = list.begin_fetch().unwrap();
    list.apply(r.generation, page(&[0, 1, 2, 3, 4], Some(1)));
    let r = list.begin_fetch().unwrap();
    assert!(matches!(
        list.apply(r.generation, page(&[5, 6, 7], Some(2))),
        Applied::Fault(PagingFault::TooLong { limit: 7, .. })
    ));
    assert_eq!(list.len(), 5, "a refused page adds nothing");
}

#[test]
fn repeats_are_dropped_and_reported_once() {
    let mut list: PagedList<u32, u32> = PagedList::new(0, TEST_BOUNDS);
    let r = list.begin_fetch().unwrap();
    list.apply(r.generation, page(&[1, 2, 3], Some(1)));
    assert_eq!(list.take_repeats_report(), None);
    let r = list.begin_fetch().unwrap();
    list.apply(r.generation, page(&[3, 4], Some(2)));
    assert_eq!(list.items(), &[1, 2, 3, 4]);
    assert_eq!(list.take_repeats_report(), Some(1));
    let r = list.begin_fetch().unwrap();
    list.apply(r.generation, page(&[2, 5], None));
    assert_eq!(list.take_repeats_report(), None, "said once");
    assert_eq!(list.items(), &[1, 2, 3, 4, 5]);
}

#[test]
fn wants_more_only_near_the_end_and_when_idle() {
    let mut list: PagedList<u32, u32> = PagedList::new(0, TEST_BOUNDS);
    assert!(
        list.wants_more(0, 10),
        "an empty idle list wants its first page"
    );
    let r = list.begin_fetch().unwrap();
    assert!(!list.wants_more(0, 10), "not while loading");
    list.apply(r.generation, page(&(0..100).collect::<Vec<_>>(), Some(100)));
    assert!(!list.wants_more(10, 20));
    assert!(list.wants_more(80, 20));
}

#[derive(Debug, Clone)]
enum Op {
    Begin,
    ApplyOk { gen_back: u64, n: u32, last: bool },
    ApplyErr { gen_back: u64 },
    Reset,
    Refresh,
    Retry,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::Begin),
        4 => (0u64..3, 0u32..5, any::<bool>()).prop_map(|(gen_back, n, last)| Op::ApplyOk { gen_back, n, last }),
        1 => (0u64..3).prop_map(|gen_back| Op::ApplyErr { gen_back }),
        1 => Just(Op::Reset),
        1 => Just(Op::Refresh),
        1 => Just(Op::Retry),
    ]
}

proptest! {
    /// Whatever the order of user actions and (possibly stale) results:
    /// - at most one fetch is in flight per generation, and `begin_fetch` never hands
    ///   out a second one while loading;
    /// - a stale result never changes the items;
    /// - items only grow by whole pages in order (no duplicates, no reordering), except
    ///   that a refresh's first page replaces them;
    /// - nothing is fetched after the list is exhausted;
    /// - a failure never removes items.
    #[test]
    fn paging_invariants(ops in proptest::collection::vec(op(), 1..80)) {
        let mut list: PagedList<u32, u32> = PagedList::new(0, TEST_BOUNDS);
        let mut next_value = 0u32;
        let mut in_flight: Option<u64> = None;
        for op in ops {
            let before: Vec<u32> = list.items().to_vec();
            match op {
                Op::Begin => {
                    let was_idle = *list.state() == PageState::Idle;
                    let req = list.begin_fetch();
                    prop_assert_eq!(req.is_some(), was_idle);
                    if let Some(r) = req {
                        prop_assert!(in_flight.is_none() || in_flight != Some(r.generation));
                        in_flight = Some(r.generation);
                    }
                    prop_assert_eq!(list.items(), &before[..]);
                }
                Op::ApplyOk { gen_back, n, last } => {
                    let generation = list.generation().wrapping_sub(gen_back);
                    let items: Vec<u32> = (next_value..next_value + n).collect();
                    let was_loading = list.is_loading();
                    let was_refreshing = list.is_refreshing();
                    let applied = list.apply::<String>(generation, Ok(Page { items: items.clone(), next: if last { None } else { Some(next_value + n) } }));
                    if gen_back != 0 || !was_loading {
                        prop_assert_eq!(applied, Applied::Stale);
                        prop_assert_eq!(list.items(), &before[..]);
                    } else if n == 0 && !last {
                        // An empty page that says more follow would page for ever.
                        let stopped = matches!(applied, Applied::Fault(PagingFault::NoProgress { .. }));
                        prop_assert!(stopped);
                        prop_assert!(list.error().is_some());
                        prop_assert_eq!(list.items(), &before[..]);
                        in_flight = None;
                    } else {
                        next_value += n;
                        in_flight = None;
                        if was_refreshing {
                            prop_assert_eq!(list.items(), &items[..]);
                        } else {
                            let mut expected = before.clone();
                            expected.extend(items);
                            prop_assert_eq!(list.items(), &expected[..]);
                        }
                        prop_assert_eq!(list.is_exhausted(), last);
                    }
                }
                Op::ApplyErr { gen_back } => {
                    let generation = list.generation().wrapping_sub(gen_back);
                    let was_loading = list.is_loading();
                    let applied = list.apply::<String>(generation, Err("x".into()));
                    if gen_back == 0 && was_loading {
                        prop_assert_eq!(applied, Applied::Failed);
                        in_flight = None;
                    } else {
                        prop_assert_eq!(applied, Applied::Stale);
                    }
                    prop_assert_eq!(list.items(), &before[..]);
                }
                Op::Reset => {
                    list.reset(0);
                    in_flight = None;
                    prop_assert!(list.is_empty());
                }
                Op::Refresh => {
                    let r = list.refresh();
                    in_flight = Some(r.generation);
                    prop_assert_eq!(list.items(), &before[..]);
                }
                Op::Retry => {
                    let failed = list.error().is_some();
                    prop_assert_eq!(list.retry(), failed);
                    prop_assert_eq!(list.items(), &before[..]);
                }
            }
            if list.is_exhausted() {
                prop_assert!(!list.wants_more(0, usize::MAX));
            }
            // No duplicates: values are handed out increasing, so loaded items are
            // strictly increasing unless a refresh replaced them.
            prop_assert!(list.items().windows(2).all(|w| w[0] < w[1]));
        }
    }
}
