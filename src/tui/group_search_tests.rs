//! `:group NAME` through `update`: the index is asked for at start, a name with one match
//! opens it, several open the picker (groups of the same name told apart by ID), and the
//! words when there is no index yet or no match.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::api::GroupType;
use crate::api::group_index::{GroupIndex, IndexProgress, IndexedGroup};
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
