//! The file-level import graph of a crate's sources: modules are found by following `mod`
//! declarations from `lib.rs` and `main.rs` (with `#[path]`), each `use` path is resolved
//! to the deepest module file it names, and cycles are the strongly connected components.

use std::collections::{BTreeMap, BTreeSet};

use super::parse::{Import, parse};

/// A module: its crate (`lib` or `bin`) then its path inside it (`["tui", "app"]`).
pub type Module = Vec<String>;

/// One `use` path of a file, resolved.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// The module the path names (crate first), e.g. `lib::tui::ui::layout`.
    pub target: Module,
    pub line: usize,
    /// As written, `use ` first for a `use` line.
    pub written: String,
}

#[derive(Debug, Default)]
pub struct Graph {
    /// Module → file (relative to `src/`).
    pub files: BTreeMap<Module, String>,
    pub edges: Vec<Edge>,
}

fn dir_of(file: &str) -> &str {
    file.rfind('/').map_or("", |i| &file[..=i])
}

/// Where the files of `file`'s child modules live.
fn child_dir(file: &str) -> String {
    let name = &file[dir_of(file).len()..];
    if matches!(name, "lib.rs" | "main.rs" | "mod.rs") {
        dir_of(file).to_string()
    } else {
        format!("{}/", file.trim_end_matches(".rs"))
    }
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Resolve a `use` path written in module `here` (inline modules included) to the deepest
/// module file it names; `None` for other crates and names this graph does not know.
fn resolve(path: &[String], here: &[String], files: &BTreeMap<Module, String>) -> Option<Module> {
    let first = path.first()?;
    let mut full: Vec<String> = match first.as_str() {
        "crate" => vec![here.first()?.clone()],
        "tim_receipts" => vec!["lib".to_string()],
        "self" => here.to_vec(),
        "super" => {
            let ups = path.iter().take_while(|s| *s == "super").count();
            // here[0] is the crate; going above its root is an error in Rust.
            if ups >= here.len() {
                return None;
            }
            let mut m = here[..here.len() - ups].to_vec();
            m.extend(path[ups..].iter().cloned());
            return deepest(&m, files);
        }
        name => {
            let mut child = here.to_vec();
            child.push(name.to_string());
            if !files.contains_key(&child) {
                return None;
            }
            here.to_vec()
        }
    };
    let skip = usize::from(matches!(first.as_str(), "crate" | "tim_receipts" | "self"));
    full.extend(path[skip..].iter().cloned());
    deepest(&full, files)
}

fn deepest(path: &[String], files: &BTreeMap<Module, String>) -> Option<Module> {
    (1..=path.len())
        .rev()
        .map(|k| path[..k].to_vec())
        .find(|m| files.contains_key(m))
}

impl Graph {
    /// Build the graph from the sources (path relative to `src/` → text).
    pub fn build(sources: &BTreeMap<String, String>) -> Graph {
        let mut g = Graph::default();
        let mut imports: Vec<(String, Module, Import)> = Vec::new();
        let mut queue: Vec<(String, Module)> = [("lib.rs", "lib"), ("main.rs", "bin")]
            .iter()
            .filter(|(f, _)| sources.contains_key(*f))
            .map(|(f, c)| (f.to_string(), vec![c.to_string()]))
            .collect();
        while let Some((file, module)) = queue.pop() {
            if g.files.contains_key(&module) || g.files.values().any(|f| *f == file) {
                continue;
            }
            let Some(text) = sources.get(&file) else {
                continue;
            };
            let parsed = parse(text);
            for m in parsed.mods.iter().filter(|m| !m.inline) {
                let child = match &m.path_attr {
                    Some(p) => normalise(&format!("{}{p}", dir_of(&file))),
                    None => {
                        let flat = format!("{}{}.rs", child_dir(&file), m.name);
                        let folder = format!("{}{}/mod.rs", child_dir(&file), m.name);
                        if sources.contains_key(&flat) {
                            flat
                        } else {
                            folder
                        }
                    }
                };
                let mut child_module = module.clone();
                child_module.push(m.name.clone());
                queue.push((child, child_module));
            }
            for import in parsed.imports {
                imports.push((file.clone(), module.clone(), import));
            }
            g.files.insert(module, file);
        }
        for (file, module, import) in imports {
            let mut here = module.clone();
            here.extend(import.inline.iter().cloned());
            let Some(target) = resolve(&import.path, &here, &g.files) else {
                continue;
            };
            let to = g.files[&target].clone();
            if to != file {
                g.edges.push(Edge {
                    from: file,
                    to,
                    target,
                    line: import.line,
                    written: format!(
                        "{}{}",
                        if import.in_code { "" } else { "use " },
                        import.path.join("::")
                    ),
                });
            }
        }
        g
    }

    /// Every group of files that import each other in a circle (strongly connected
    /// components of more than one file), each sorted, in file order.
    pub fn cycles(&self) -> Vec<Vec<String>> {
        let mut next: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for e in &self.edges {
            next.entry(&e.from).or_default().insert(&e.to);
        }
        let reach = |from: &str| {
            let mut seen = BTreeSet::new();
            let mut todo = vec![from];
            while let Some(f) = todo.pop() {
                for &t in next.get(f).into_iter().flatten() {
                    if seen.insert(t) {
                        todo.push(t);
                    }
                }
            }
            seen
        };
        let reachable: BTreeMap<&str, BTreeSet<&str>> = self
            .files
            .values()
            .map(|f| (f.as_str(), reach(f)))
            .collect();
        let mut done: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::new();
        for (f, r) in &reachable {
            if done.contains(*f) || !r.contains(f) {
                continue;
            }
            let group: Vec<String> = r
                .iter()
                .filter(|g| reachable[*g].contains(f))
                .map(|g| g.to_string())
                .collect();
            done.extend(group.iter().cloned());
            out.push(group);
        }
        out
    }

    /// One shortest circle through `start` inside `group`, as the edges taken.
    pub fn circle(&self, start: &str, group: &[String]) -> Vec<&Edge> {
        let inside = |f: &str| group.iter().any(|g| g == f);
        let mut came: BTreeMap<&str, &Edge> = BTreeMap::new();
        let mut frontier = vec![start];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for f in frontier {
                for e in self.edges.iter().filter(|e| e.from == f && inside(&e.to)) {
                    if e.to == start {
                        let mut path = vec![e];
                        let mut at = f;
                        while at != start {
                            let back = came[at];
                            path.push(back);
                            at = &back.from;
                        }
                        path.reverse();
                        return path;
                    }
                    if !came.contains_key(e.to.as_str()) {
                        came.insert(&e.to, e);
                        next.push(e.to.as_str());
                    }
                }
            }
            frontier = next;
        }
        Vec::new()
    }
}
