//! `:group NAME` through `update`: the index is asked for at start, a name with one match
//! opens it, several open the picker (groups of the same name told apart by ID), and the
//! words when there is no index yet or no match.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::api::GroupType;
use crate::api::group_index::{GroupIndex, IndexProgress, IndexedGroup};
use crate::tui::model::panes::ListPane;
use crate::tui::test_harness::*;

use super::model::event::{ApiEvent, Effect, Event};

fn indexed(id: &str, name: &str, t: GroupType) -> IndexedGroup {
    IndexedGroup {
        id: id.into(),
        name: name.into(),
        group_type: Some(t),
    }
}

fn index() -> GroupIndex {
    GroupIndex {
        version: 1,
        sdkappid: 1_400_000_000,
        built_at: 1_700_000_000,
        groups: vec![
            indexed("@TGS#1AAA", "Payments on-call", GroupType::Work),
            indexed("@TGS#2BBB", "Payments on-call", GroupType::Public),
            indexed("@TGS#4CCC", "Payments on-call", GroupType::Meeting),
            indexed("@TGS#1DDD", "Release train", GroupType::Work),
        ],
        skipped: 0,
    }
}

fn command(h: &mut Harness, line: &str) -> Vec<Effect> {
    h.send(ch(':'));
    h.type_text(line);
    h.send(key(KeyCode::Enter))
}

fn opened(fx: &[Effect]) -> Option<String> {
    fx.iter().find_map(|e| match e {
        Effect::OpenGroup { id } => Some(id.clone()),
        _ => None,
    })
}

#[test]
fn the_index_is_asked_for_at_start() {
    let mut h = Harness::new(false, (100, 30));
    assert!(h.app.start().contains(&Effect::LoadGroupIndex));
}

#[test]
fn a_name_opens_its_group_or_the_picker_among_duplicates() {
    let mut h = Harness::with_group_open();
    // Before the index: say so, and how to go on.
    h.send(Event::IndexProgress(IndexProgress {
        listed: 4,
        total: 4,
        named: 2,
    }));
    assert!(opened(&command(&mut h, "group release")).is_none());
    let error = h.app.status.error.clone().expect("an error");
    assert!(
        error.what.contains("being built (2 of 4 groups named)"),
        "{error:?}"
    );
    h.api(ApiEvent::GroupIndex {
        result: Ok(index()),
        from_cache: false,
    });
    // One match opens at once.
    assert_eq!(
        opened(&command(&mut h, "group release")).as_deref(),
        Some("@TGS#1DDD")
    );
    // Three groups of one name: the picker lists them with their IDs.
    let fx = command(&mut h, "group payments on-call");
    assert!(opened(&fx).is_none());
    let picker = h.app.search.picker.clone().expect("the picker");
    assert_eq!(picker.total, 3);
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| super::ui::draw(f, &h.app, &super::ui::theme::Theme::mono()))
        .unwrap();
    let screen = t.backend().to_string();
    assert!(
        screen.contains("3 groups match \"payments on-call\""),
        "{screen}"
    );
    assert!(screen.contains("@TGS#2BBB"), "{screen}");
    assert!(screen.contains("Meeting"), "{screen}");
    // The second (sorted by name, then ID): the Public one.
    h.send(ch('j'));
    let fx = h.send(key(KeyCode::Enter));
    assert_eq!(opened(&fx).as_deref(), Some("@TGS#2BBB"));
    assert!(h.app.search.picker.is_none());
    // An ID still opens directly; a name nothing has says so.
    assert_eq!(
        opened(&command(&mut h, "group @TGS#9ZZZ")).as_deref(),
        Some("@TGS#9ZZZ")
    );
    assert!(opened(&command(&mut h, "group nothing like it")).is_none());
    let error = h.app.status.error.clone().expect("an error");
    assert!(error.what.contains("among 4 groups"), "{error:?}");
    // Esc (any other key) closes the picker without opening anything.
    command(&mut h, "group payments");
    assert!(h.app.search.picker.is_some());
    assert!(opened(&h.send(key(KeyCode::Esc))).is_none());
    assert!(h.app.search.picker.is_none());
}

fn screen(h: &Harness, size: (u16, u16)) -> String {
    let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    t.draw(|f| super::ui::draw(f, &h.app, &super::ui::theme::Theme::mono()))
        .unwrap();
    t.backend().to_string()
}

/// Start with three groups loaded (the first ID page of many) and no index.
fn groups_loaded() -> Harness {
    let mut h = Harness::new(false, (100, 30));
    h.app.start();
    let ids = vec![
        "@TGS#1AAA".to_string(),
        "@TGS#1DDD".into(),
        "@TGS#9XYZ".into(),
    ];
    h.api(ApiEvent::GroupIds {
        generation: 0,
        result: Ok(crate::api::GroupIdPage {
            ids: ids.clone(),
            next: 7,
            total: 5,
        }),
    });
    h.api(ApiEvent::GroupInfo {
        ids,
        result: Ok(vec![
            group("@TGS#1AAA", "Payments on-call", GroupType::Work, 12),
            group("@TGS#1DDD", "Release train", GroupType::Work, 40),
            group("@TGS#9XYZ", "Kitchen", GroupType::Work, 9),
        ]),
    });
    h
}

#[test]
fn slash_in_the_groups_pane_searches_every_group_once_indexed() {
    let mut h = groups_loaded();
    // Before the index: the loaded rows only, and the border says so.
    h.send(ch('/'));
    h.type_text("payments");
    assert_eq!(h.app.groups.visible_len(), 1);
    let before = screen(&h, (100, 30));
    assert!(before.contains("/payments · 1 of 3 loaded"), "{before}");
    // The index is in (two more groups of that name, not loaded yet): all three match.
    h.api(ApiEvent::GroupIndex {
        result: Ok(index()),
        from_cache: true,
    });
    assert_eq!(h.app.groups.visible_len(), 3);
    let after = screen(&h, (100, 30));
    assert!(after.contains("/payments · 3 of 5 "), "{after}");
    assert!(!after.contains("loaded"), "{after}");
    // Same-named groups show their IDs (the index names the ones not loaded), by type.
    for (id, kind) in [
        ("@TGS#1AAA", "Work"),
        ("@TGS#2BBB", "Public"),
        ("@TGS#4CCC", "Meeting"),
    ] {
        assert!(
            after.lines().any(|l| l.contains(id) && l.contains(kind)),
            "{id}: {after}"
        );
    }
    // A unique name shows no ID.
    h.send(key(KeyCode::Esc));
    h.send(ch('/'));
    h.type_text("release");
    let release = screen(&h, (100, 30));
    assert!(release.contains("Release train"), "{release}");
    assert!(!release.contains("Release train ·"), "{release}");
    // Enter keeps the filter, Enter opens the selected group even when it is not loaded.
    h.send(key(KeyCode::Esc));
    h.send(ch('/'));
    h.type_text("payments");
    h.send(key(KeyCode::Enter));
    h.send(ch('j'));
    assert_eq!(
        h.app.groups.selected_id().map(String::as_str),
        Some("@TGS#2BBB")
    );
    let fx = h.send(key(KeyCode::Enter));
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::OpenGroup { id } if id == "@TGS#2BBB")
                || matches!(e, Effect::FetchMessages { group, .. } if group == "@TGS#2BBB")
        ),
        "{fx:?}"
    );
    // Nothing matches: said in words, not "no loaded group".
    h.app.focus = crate::tui::model::pane::Pane::Groups;
    h.send(ch('/'));
    h.send(key(KeyCode::Esc));
    h.send(ch('/'));
    h.type_text("zzz");
    let none = screen(&h, (100, 30));
    assert!(none.contains("no group's name or ID"), "{none}");
    assert!(none.contains("contains \"zzz\""), "{none}");
}

#[test]
fn a_narrow_groups_border_keeps_the_counts_whole() {
    let mut h = groups_loaded();
    h.api(ApiEvent::GroupIndex {
        result: Ok(index()),
        from_cache: true,
    });
    h.send(ch('/'));
    h.type_text("payments on-call and a long tail");
    h.app.groups.filter.set_query("payments on-call");
    h.app.groups.sync_filter();
    for size in [(80, 24), (100, 30)] {
        let s = screen(&h, size);
        let border = s
            .lines()
            .find(|l| l.contains(" of 5 "))
            .unwrap_or_else(|| panic!("the counts at {size:?}: {s}"));
        assert!(border.contains("· 3 of 5 "), "{border}");
    }
}

#[test]
fn the_selection_stays_on_its_group_when_a_page_moves_the_rows() {
    let mut h = groups_loaded();
    h.api(ApiEvent::GroupIndex {
        result: Ok(index()),
        from_cache: true,
    });
    h.send(ch('/'));
    h.type_text("payments");
    h.send(key(KeyCode::Enter));
    // Loaded rows first, then the index's: @TGS#1AAA, @TGS#2BBB, @TGS#4CCC.
    h.send(ch('j'));
    h.send(ch('j'));
    assert_eq!(
        h.app.groups.selected_id().map(String::as_str),
        Some("@TGS#4CCC")
    );
    // The next page lists @TGS#4CCC: it moves up among the loaded rows, and the selection
    // moves with it (Enter must open the group the agent chose).
    h.api(ApiEvent::GroupIds {
        generation: 0,
        result: Ok(crate::api::GroupIdPage {
            ids: vec!["@TGS#4CCC".into()],
            next: 0,
            total: 5,
        }),
    });
    assert_eq!(
        h.app.groups.selected_id().map(String::as_str),
        Some("@TGS#4CCC")
    );
    // The index arriving again (a fresh build after the cache) keeps it too.
    h.api(ApiEvent::GroupIndex {
        result: Ok(index()),
        from_cache: false,
    });
    assert_eq!(
        h.app.groups.selected_id().map(String::as_str),
        Some("@TGS#4CCC")
    );
    // Cleared, the filter leaves a loaded group selected where it is...
    h.send(ch('/'));
    h.send(key(KeyCode::Esc));
    assert_eq!(
        h.app.groups.selected_id().map(String::as_str),
        Some("@TGS#4CCC")
    );
    // ...and a group only the index knows (not shown without the filter) gives the first row.
    h.send(ch('/'));
    h.type_text("payments");
    h.send(key(KeyCode::Enter));
    let unlisted = "@TGS#2BBB".to_string();
    let row = (0..h.app.groups.visible_len())
        .find(|&r| {
            h.app
                .groups
                .filter
                .item_index(r)
                .and_then(|i| h.app.groups.row_id(i))
                == Some(&unlisted)
        })
        .expect("the unlisted group's row");
    h.app.groups.view.selected = row;
    h.send(ch('/'));
    h.send(key(KeyCode::Esc));
    assert_eq!(h.app.groups.view.selected, 0);
}
