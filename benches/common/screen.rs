//! The real dashboard binary in a pseudo-terminal, measured from outside: the screen as
//! a terminal emulator sees it, every byte count, and the moment a condition first holds
//! (checked as each chunk of output arrives, between synchronized-update frames). Included
//! by path by `benches/dashboard.rs` and `benches/positions_screen.rs`.

#![allow(dead_code)] // each bench uses a different subset

use std::thread;
use std::time::{Duration, Instant};

use crate::pty::{self, COLS, DEADLINE, Pty, ROWS, nz, rfind};

/// How often the screen is looked at while waiting.
pub const POLL: Duration = Duration::from_millis(5);

pub type Check = Box<dyn Fn(&str) -> bool + Send>;

/// What the reader thread keeps: the emulated screen, every byte count, and a condition
/// checked right after each chunk is parsed (so its time is the chunk's arrival time).
pub struct Shared {
    parser: vt100::Parser,
    bytes: u64,
    last_byte: Instant,
    check: Option<Check>,
    met_at: Option<Instant>,
    pub met_screen: String,
    /// Inside a synchronized update (a frame is being written): the screen is half drawn.
    in_frame: bool,
    tail: Vec<u8>,
}

impl pty::Sink for Shared {
    fn parser(&self) -> &vt100::Parser {
        &self.parser
    }

    fn parser_mut(&mut self) -> &mut vt100::Parser {
        &mut self.parser
    }

    fn take(&mut self, chunk: &[u8], now: Instant) {
        self.parser.process(chunk);
        self.bytes += chunk.len() as u64;
        self.last_byte = now;
        // Frames are synchronized updates (BSU ... ESU): check the screen only between
        // frames, never on a half-drawn one.
        let mut seen = std::mem::take(&mut self.tail);
        seen.extend_from_slice(chunk);
        let begin = rfind(&seen, b"\x1b[?2026h");
        let end = rfind(&seen, b"\x1b[?2026l");
        match (begin, end) {
            (Some(b), Some(e)) => self.in_frame = b > e,
            (Some(_), None) => self.in_frame = true,
            (None, Some(_)) => self.in_frame = false,
            (None, None) => {}
        }
        self.tail = seen[seen.len().saturating_sub(8)..].to_vec();
        if self.in_frame {
            return;
        }
        if self.met_at.is_none() && self.check.is_some() {
            let text = self.parser.screen().contents();
            if self.check.as_ref().is_some_and(|check| check(&text)) {
                self.met_at = Some(now);
                self.met_screen = text;
            }
        }
    }
}

/// The dashboard in a pty, in a home directory of its own.
pub type Dashboard = Pty<Shared>;

impl Dashboard {
    /// `cmd` (the binary with its environment) in the pty.
    pub fn spawn_command(cmd: portable_pty::CommandBuilder) -> Dashboard {
        let shared = Shared {
            parser: vt100::Parser::new(nz(ROWS), nz(COLS), 0),
            bytes: 0,
            last_byte: Instant::now(),
            check: None,
            met_at: None,
            met_screen: String::new(),
            in_frame: false,
            tail: Vec::new(),
        };
        let mut pty = Pty::spawn(cmd, shared);
        pty.poll = POLL;
        pty
    }

    /// The binary with `args`, in a temporary home of its own.
    pub fn start(args: &[&str]) -> Dashboard {
        let home = tempfile::tempdir().expect("temp dir");
        let mut pty = Dashboard::spawn_command(crate::pty::command(home.path(), args));
        pty.keep_home(home);
        pty
    }

    pub fn bytes(&self) -> u64 {
        self.out.lock().expect("screen").bytes
    }

    /// Wait until nothing has been written for `quiet` (bounded by the deadline).
    pub fn settle(&self, quiet: Duration) {
        let start = Instant::now();
        loop {
            let last = self.out.lock().expect("screen").last_byte;
            if last.elapsed() >= quiet {
                return;
            }
            assert!(start.elapsed() < DEADLINE, "the screen never settled");
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Send `keys` and return the time until `check` holds on the screen (checked at the
    /// moment each chunk of output arrives).
    pub fn time_until(&mut self, keys: &str, check: Check) -> Duration {
        {
            let mut s = self.out.lock().expect("screen");
            s.check = Some(check);
            s.met_at = None;
        }
        self.send(keys);
        let sent = Instant::now();
        let start = Instant::now();
        loop {
            let met = self.out.lock().expect("screen").met_at;
            if let Some(at) = met {
                self.out.lock().expect("screen").check = None;
                return at.saturating_duration_since(sent);
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out; screen:\n{}",
                self.text()
            );
            thread::sleep(POLL);
        }
    }

    pub fn quit(mut self) {
        self.send("q");
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
    }
}

/// (VmRSS, VmHWM) of a process, in KiB.
pub fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The number after "Members · seq " on the screen.
pub fn members_seq(text: &str) -> Option<u64> {
    let rest = &text[text.find("Members · seq ")? + "Members · seq ".len()..];
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// "400 of 1,709 loaded" → (400, 1709); "all 81 loaded" → (81, 81).
pub fn loaded_of(text: &str) -> Option<(u64, u64)> {
    let end = text.find(" loaded")?;
    let head = &text[..end];
    let num = |s: &str| s.replace(',', "").trim().parse::<u64>().ok();
    if let Some(of) = head.rfind(" of ") {
        let start = head[..of].rfind(|c: char| !(c.is_ascii_digit() || c == ','))? + 1;
        if let (Some(l), Some(t)) = (num(&head[start..of]), num(&head[of + 4..])) {
            return Some((l, t));
        }
    }
    let all = head.rfind("all ")?;
    let n = num(&head[all + 4..])?;
    Some((n, n))
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
