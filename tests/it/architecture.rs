//! The shape of `src/`, read from the files at test time: no import circle between files,
//! the dashboard's model never imports its view, no source file over 500 lines, and the
//! command line (`crate::cli`) stays at the edge. Imports are the `use` lines (`crate::`,
//! `super::`, `self::`, nested braces, `pub use`) and the paths in the code that start with
//! `crate::`, `super::` or `self::` (`super::ui::status::wrapped(…)` is an import too); a
//! path points to the deepest module file it names (`src/a/b.rs` is `a::b`, `src/a/mod.rs`
//! is `a`). Each failing check prints every violation with its file and line.

mod graph;
mod parse;

use std::collections::BTreeMap;
use std::path::Path;

use graph::Graph;

const MAX_LINES: usize = 500;

/// Every `.rs` file under `dir`, by path relative to it (`/` separated).
fn read_sources(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read src/") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(dir).expect("under src/");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).expect("read source"));
            }
        }
    }
    out
}

fn sources() -> BTreeMap<String, String> {
    read_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// Fails listing `violations` under `title` when there are any.
fn report(title: &str, violations: Vec<String>) {
    assert!(
        violations.is_empty(),
        "{title}: {} violation(s)\n  {}",
        violations.len(),
        violations.join("\n  ")
    );
}

/// Every import circle with a file under one of `areas` (all of them if `areas` is empty):
/// the files of each, then one shortest circle through each file
/// (`src/a.rs:12 use crate::b::X → src/b.rs:3 use super::a → src/a.rs`).
fn circles_in(g: &Graph, areas: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for group in g.cycles() {
        if !areas.is_empty() && !group.iter().any(|f| areas.iter().any(|a| f.starts_with(a))) {
            continue;
        }
        out.push(format!(
            "circle between {} files: {}",
            group.len(),
            group.join(", ")
        ));
        for start in &group {
            let steps: Vec<String> = g
                .circle(start, &group)
                .iter()
                .map(|e| format!("src/{}:{} {} →", e.from, e.line, e.written))
                .collect();
            out.push(format!("    {} src/{start}", steps.join(" ")));
        }
    }
    out
}

fn cycle_violations(g: &Graph) -> Vec<String> {
    circles_in(g, &[])
}

fn check_circles(areas: &[&str]) {
    let title = if areas.is_empty() {
        "import circles in src/".to_string()
    } else {
        format!("import circles in src/{}", areas.join(", src/"))
    };
    report(&title, circles_in(&Graph::build(&sources()), areas));
}

/// Files under `src/tui/model/` that import the view (`tui::ui`).
fn model_view_violations(g: &Graph) -> Vec<String> {
    g.edges
        .iter()
        .filter(|e| e.from.starts_with("tui/model/"))
        .filter(|e| e.target.len() >= 3 && e.target[..3] == ["lib", "tui", "ui"])
        .map(|e| format!("src/{}:{} {}", e.from, e.line, e.written))
        .collect()
}

fn long_file_violations(sources: &BTreeMap<String, String>) -> Vec<String> {
    sources
        .iter()
        .filter(|(f, _)| !f.ends_with("_tests.rs"))
        .map(|(f, text)| (f, text.lines().count()))
        .filter(|(_, n)| *n > MAX_LINES)
        .map(|(f, n)| format!("src/{f}: {n} lines (at most {MAX_LINES})"))
        .collect()
}

/// Imports of `crate::cli` from anywhere but `main.rs`, `commands/`, `tui/` and `cli`.
fn cli_violations(g: &Graph) -> Vec<String> {
    let allowed = |f: &str| {
        f == "main.rs"
            || f == "cli.rs"
            || ["cli/", "commands/", "tui/"]
                .iter()
                .any(|p| f.starts_with(p))
    };
    g.edges
        .iter()
        .filter(|e| e.target.len() >= 2 && e.target[..2] == ["lib", "cli"])
        .filter(|e| !allowed(&e.from))
        .map(|e| format!("src/{}:{} {}", e.from, e.line, e.written))
        .collect()
}

/// The checks see the whole tree: every source file is reached from `lib.rs` or `main.rs`
/// through `mod` declarations (else a file could escape every rule below).
#[test]
fn every_source_file_is_in_the_graph() {
    let sources = sources();
    let g = Graph::build(&sources);
    let missing: Vec<String> = sources
        .keys()
        .filter(|f| !g.files.values().any(|m| m == *f))
        .map(|f| format!("src/{f} is not reached by any `mod`"))
        .collect();
    report("files outside the module graph", missing);
    assert!(g.edges.len() > 100, "only {} imports found", g.edges.len());
}

// One test per area, so each can be switched on as its circles are broken; the last one
// covers every file (circles across areas and in files outside these areas).

#[test]
fn no_import_circle_in_tui() {
    check_circles(&["tui/"]);
}

#[test]
fn no_import_circle_in_sandbox() {
    check_circles(&["sandbox/"]);
}

#[test]
fn no_import_circle_in_api() {
    check_circles(&["api/"]);
}

#[test]
fn no_import_circle_in_webhook() {
    check_circles(&["webhook/"]);
}

#[test]
fn no_import_circle_in_config_and_commands() {
    check_circles(&["config", "commands/"]);
}

#[test]
fn no_import_circle_anywhere() {
    check_circles(&[]);
}

#[test]
fn the_dashboard_model_never_imports_the_view() {
    report(
        "src/tui/model/ imports the view",
        model_view_violations(&Graph::build(&sources())),
    );
}

#[test]
fn no_source_file_over_500_lines() {
    report("source files too long", long_file_violations(&sources()));
}

#[test]
fn the_command_line_stays_at_the_edge() {
    report(
        "crate::cli imported inside the library",
        cli_violations(&Graph::build(&sources())),
    );
}

/// What the checks find today, printed (`--nocapture`); never fails.
#[test]
fn print_every_violation() {
    let sources = sources();
    let g = Graph::build(&sources);
    for (title, v) in [
        ("import circles", cycle_violations(&g)),
        ("model imports view", model_view_violations(&g)),
        ("files over 500 lines", long_file_violations(&sources)),
        ("crate::cli outside the edge", cli_violations(&g)),
    ] {
        println!("{title}: {}", v.len());
        for line in v {
            println!("  {line}");
        }
    }
}

mod parser;
