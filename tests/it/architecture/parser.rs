//! The import reader and the graph on small inline sources.

use std::collections::BTreeMap;

use super::graph::Graph;
use super::parse::parse;
use super::{cli_violations, cycle_violations, long_file_violations, model_view_violations};

fn paths(src: &str) -> Vec<String> {
    parse(src)
        .imports
        .iter()
        .map(|i| i.path.join("::"))
        .collect()
}

fn tree(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect()
}

#[test]
fn nested_braces_self_globs_and_aliases() {
    let src = "pub use crate::a::{b::{self, C}, d::*, e as f};\nuse ::std::io;\n";
    assert_eq!(
        paths(src),
        [
            "crate::a::b",
            "crate::a::b::C",
            "crate::a::d",
            "crate::a::e",
            "std::io"
        ]
    );
}

#[test]
fn a_use_over_several_lines_keeps_its_first_line() {
    let src = "//! doc\n\npub(crate) use super::{\n    x::Y,\n    z,\n};\n";
    let p = parse(src);
    assert_eq!(paths(src), ["super::x::Y", "super::z"]);
    assert!(p.imports.iter().all(|i| i.line == 3));
}

#[test]
fn comments_strings_and_chars_hide_braces_and_uses() {
    let src = r##"
        // use crate::commented;
        /* use crate::block; /* nested { */ */
        fn f() -> &'static str { let _ = '{'; let _ = '\''; "use crate::in_string {" }
        const R: &str = r#"use crate::raw }"#;
        mod tests {
            use super::*;
        }
        use crate::after;
    "##;
    let p = parse(src);
    let found: Vec<(String, Vec<String>)> = p
        .imports
        .iter()
        .map(|i| (i.path.join("::"), i.inline.clone()))
        .collect();
    assert_eq!(
        found,
        [
            ("super".to_string(), vec!["tests".to_string()]),
            ("crate::after".to_string(), vec![]),
        ]
    );
}

#[test]
fn mod_declarations_with_their_path_attributes() {
    let src = "pub mod a;\n#[cfg(test)]\n#[path = \"a_tests.rs\"]\nmod tests;\nmod inline { mod deep; }\n";
    let mods: Vec<(String, Option<String>, bool)> = parse(src)
        .mods
        .into_iter()
        .map(|m| (m.name, m.path_attr, m.inline))
        .collect();
    assert_eq!(
        mods,
        [
            ("a".to_string(), None, false),
            ("tests".to_string(), Some("a_tests.rs".to_string()), false),
            ("deep".to_string(), None, true),
        ]
    );
}

#[test]
fn a_circle_is_found_with_its_lines() {
    let g = Graph::build(&tree(&[
        ("lib.rs", "pub mod a;\npub mod b;\nmod c;\n"),
        ("a.rs", "use crate::b::Thing;\n"),
        ("b/mod.rs", "mod inner;\n"),
        ("b/inner.rs", "\nuse super::super::a::Other;\n"),
        ("c.rs", "use crate::a;\n"),
    ]));
    // b/mod.rs does not import b/inner.rs (a `mod` is not a `use`): no circle yet.
    assert!(g.cycles().is_empty(), "{:?}", g.cycles());
    let g = Graph::build(&tree(&[
        ("lib.rs", "pub mod a;\npub mod b;\nmod c;\n"),
        ("a.rs", "use crate::b::inner::Thing;\n"),
        ("b/mod.rs", "mod inner;\n"),
        ("b/inner.rs", "\nuse super::super::a::Other;\n"),
        ("c.rs", "use crate::a;\n"),
    ]));
    assert_eq!(
        g.cycles(),
        [vec!["a.rs".to_string(), "b/inner.rs".to_string()]]
    );
    let printed = cycle_violations(&g).join("\n");
    assert!(
        printed.contains(
            "src/a.rs:1 use crate::b::inner::Thing → src/b/inner.rs:2 use super::super::a::Other → src/a.rs"
        ),
        "{printed}"
    );
}

#[test]
fn inline_test_modules_and_other_crates_make_no_edge() {
    let g = Graph::build(&tree(&[
        ("lib.rs", "pub mod a;\n"),
        (
            "a.rs",
            "use std::fmt;\nuse serde::Serialize;\n#[cfg(test)]\nmod tests { use super::*; }\n",
        ),
    ]));
    assert!(g.edges.is_empty(), "{:?}", g.edges);
}

#[test]
fn path_modules_self_and_relative_first_segments_resolve() {
    let g = Graph::build(&tree(&[
        ("lib.rs", "pub mod x;\npub mod y;\n"),
        (
            "x.rs",
            "#[path = \"x_tests.rs\"]\nmod tests;\nmod sub;\nuse self::sub::S;\n",
        ),
        ("x/sub.rs", ""),
        ("x_tests.rs", "use super::*;\nuse crate::y::Y;\n"),
        ("y.rs", ""),
        ("main.rs", "use tim_receipts::x;\nuse crate::local;\n"),
    ]));
    let edges: Vec<String> = g
        .edges
        .iter()
        .map(|e| format!("{} -> {}", e.from, e.to))
        .collect();
    for want in [
        "x.rs -> x/sub.rs",
        "x_tests.rs -> x.rs",
        "x_tests.rs -> y.rs",
        "main.rs -> x.rs",
    ] {
        assert!(edges.iter().any(|e| e == want), "{want} in {edges:?}");
    }
    assert_eq!(edges.len(), 4, "{edges:?}");
}

#[test]
fn the_model_view_and_cli_rules_name_the_offending_line() {
    let g = Graph::build(&tree(&[
        ("lib.rs", "pub mod cli;\npub mod config;\npub mod tui;\n"),
        ("cli.rs", ""),
        ("config.rs", "\n\nuse crate::cli::Args;\n"),
        ("tui/mod.rs", "pub mod model;\npub mod ui;\n"),
        ("tui/ui.rs", "use crate::cli;\n"),
        ("tui/model/mod.rs", "mod pane;\nuse super::ui::Theme;\n"),
        (
            "tui/model/pane.rs",
            "use super::super::ui;\nuse crate::tui::model::X;\n",
        ),
    ]));
    assert_eq!(
        model_view_violations(&g),
        [
            "src/tui/model/mod.rs:2 use super::ui::Theme",
            "src/tui/model/pane.rs:1 use super::super::ui",
        ]
    );
    assert_eq!(cli_violations(&g), ["src/config.rs:3 use crate::cli::Args"]);
}

#[test]
fn qualified_paths_in_the_code_are_imports_too() {
    let src = "fn f() -> u8 {\n    super::ui::status::wrapped::<u8>(crate::x::Y)\n}\nmacro_rules! m { () => { $crate::z::Z } }\nimpl A { fn g(self) { self.h(); Self::k(); } }\n";
    let found: Vec<(String, bool, usize)> = parse(src)
        .imports
        .iter()
        .map(|i| (i.path.join("::"), i.in_code, i.line))
        .collect();
    assert_eq!(
        found,
        [
            ("super::ui::status::wrapped".to_string(), true, 2),
            ("crate::x::Y".to_string(), true, 2),
        ]
    );
    let g = Graph::build(&tree(&[
        ("lib.rs", "pub mod tui;\n"),
        ("tui/mod.rs", "pub mod app;\npub mod ui;\n"),
        (
            "tui/app.rs",
            "use super::ui::layout;\nfn f() { super::ui::status::wrapped() }\n",
        ),
        ("tui/ui/mod.rs", "pub mod layout;\npub mod status;\n"),
        ("tui/ui/layout.rs", ""),
        ("tui/ui/status.rs", "use crate::tui::app::App;\n"),
    ]));
    assert_eq!(
        cycle_violations(&g)[1],
        "    src/tui/app.rs:2 super::ui::status::wrapped → src/tui/ui/status.rs:1 use crate::tui::app::App → src/tui/app.rs"
    );
}

#[test]
fn files_over_500_lines_are_named_and_test_files_are_not() {
    let long = "\n".repeat(501);
    let files = tree(&[
        ("ok.rs", &"\n".repeat(500)),
        ("long.rs", &long),
        ("tui/long_tests.rs", &long),
    ]);
    assert_eq!(
        long_file_violations(&files),
        ["src/long.rs: 501 lines (at most 500)"]
    );
}
