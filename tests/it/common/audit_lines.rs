//! Reading the audit log in tests: every write is an `attempt` line (on disk before the
//! request leaves) and an outcome line with the same attempt ID; a read-only refusal is
//! one `refused` line. `outcomes` checks that pairing and returns the outcome lines.

use serde_json::Value;

/// The outcome lines of `lines`, in order, after checking that each `ok` / `error` line
/// follows its own `attempt` line and that no attempt is left without an outcome.
pub fn outcomes(lines: &[Value]) -> Vec<Value> {
    let mut open: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for l in lines {
        let id = l["attempt"]
            .as_str()
            .expect("every audit line has an attempt ID");
        match l["result"].as_str() {
            Some("attempt") => open.push(id),
            Some("ok") | Some("error") => {
                let i = open
                    .iter()
                    .position(|a| *a == id)
                    .unwrap_or_else(|| panic!("an outcome without its attempt line: {l}"));
                open.remove(i);
                out.push(l.clone());
            }
            Some("refused") => out.push(l.clone()),
            other => panic!("unknown audit result {other:?}: {l}"),
        }
    }
    assert!(open.is_empty(), "attempts without an outcome: {open:?}");
    out
}
