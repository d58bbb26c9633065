//! The real `tim-receipts` binary in a pseudo-terminal (portable-pty), its output fed by a
//! reader thread into a terminal emulator (vt100), for the end-to-end tests and the
//! dashboard benchmark. Every wait polls with a bounded deadline; nothing sleeps to
//! synchronise.
//!
//! A module of `common` (`crate::common::pty` in the test binary) and, by path, of
//! `benches/dashboard.rs`. What a single file needs beyond this stays in that file.

// Each includer uses a different subset (a bench has no use for the raw-byte helpers).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// Long enough for a cold start on a loaded 2-core machine.
pub const DEADLINE: Duration = Duration::from_secs(60);
/// How often the screen is looked at while waiting (a [`Pty`] may set its own).
pub const POLL: Duration = Duration::from_millis(40);
/// The terminal size every run starts at.
pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;

/// The environment variables that would point the program at a user's own setup.
const AMBIENT_VARS: [&str; 6] = [
    "TIM_PROFILE",
    "TIM_RECEIPTS_CONFIG",
    "TIM_ENDPOINT",
    "TIM_REGION",
    "TIM_SECRET_KEY",
    "TIM_WEBHOOK_TOKEN",
];

pub fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a non-zero size")
}

/// The first position of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The last position of `needle` in `hay`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Keep config, logs, data and the audit log inside `home`, with a known terminal type and
/// none of the user's own `TIM_*` settings.
pub fn base_env(cmd: &mut CommandBuilder, home: &Path) {
    cmd.cwd(home);
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_STATE_HOME", home.join("state"));
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("XDG_CACHE_HOME", home.join("cache"));
    cmd.env("TERM", "xterm-256color");
    for var in AMBIENT_VARS {
        cmd.env_remove(var);
    }
}

/// The binary with [`base_env`] and `args`.
pub fn command(home: &Path, args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tim-receipts"));
    cmd.args(args);
    base_env(&mut cmd, home);
    cmd
}

/// Where the reader thread puts the program's output: a terminal emulator, plus whatever
/// else an includer keeps for each chunk.
pub trait Sink: Send + 'static {
    fn parser(&self) -> &vt100::Parser;
    fn parser_mut(&mut self) -> &mut vt100::Parser;
    /// One chunk of output, read at `at`.
    fn take(&mut self, chunk: &[u8], at: Instant);
}

/// The emulated screen and every raw byte the program wrote.
pub struct Output {
    pub parser: vt100::Parser,
    pub raw: Vec<u8>,
}

impl Default for Output {
    fn default() -> Output {
        Output {
            parser: vt100::Parser::new(nz(ROWS), nz(COLS), 0),
            raw: Vec::new(),
        }
    }
}

impl Sink for Output {
    fn parser(&self) -> &vt100::Parser {
        &self.parser
    }

    fn parser_mut(&mut self) -> &mut vt100::Parser {
        &mut self.parser
    }

    fn take(&mut self, chunk: &[u8], _at: Instant) {
        self.parser.process(chunk);
        self.raw.extend_from_slice(chunk);
    }
}

/// Read `reader` on a thread of its own into `sink` until end of file or an error.
pub fn spawn_reader<S: Sink>(mut reader: Box<dyn Read + Send>, sink: Arc<Mutex<S>>) {
    thread::spawn(move || {
        let mut buf = [0u8; 16384];
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    let at = Instant::now();
                    let Ok(mut s) = sink.lock() else { return };
                    s.take(&buf[..n], at);
                }
            }
        }
    });
}

/// The screen's text.
pub fn screen_text<S: Sink>(out: &Mutex<S>) -> String {
    out.lock().expect("screen").parser().screen().contents()
}

/// Poll the screen every `poll` until `pred` holds; fail with the screen shown if `exited`
/// reports the program gone (its status) or the deadline passes.
pub fn wait_screen<S: Sink>(
    out: &Mutex<S>,
    what: &str,
    poll: Duration,
    mut exited: impl FnMut() -> Option<String>,
    pred: impl Fn(&str) -> bool,
) -> String {
    let start = Instant::now();
    loop {
        let text = screen_text(out);
        if pred(&text) {
            return text;
        }
        if let Some(status) = exited() {
            panic!("tim-receipts exited ({status}) while waiting for {what}; screen:\n{text}");
        }
        if start.elapsed() > DEADLINE {
            panic!("timed out waiting for {what}; screen:\n{text}");
        }
        thread::sleep(poll);
    }
}

/// A program running in a pseudo-terminal of [`ROWS`] x [`COLS`]; killed when dropped.
pub struct Pty<S: Sink = Output> {
    pub out: Arc<Mutex<S>>,
    pub child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    /// How often [`Pty::wait_until`] looks at the screen.
    pub poll: Duration,
    /// A temporary home the program runs in, removed once the program is gone.
    home: Option<tempfile::TempDir>,
}

impl Pty<Output> {
    /// The binary with `args` in a temporary home of its own.
    pub fn start(args: &[&str]) -> Pty {
        Pty::start_with(args, Output::default())
    }

    /// Every byte written so far.
    pub fn raw(&self) -> Vec<u8> {
        self.out.lock().expect("screen").raw.clone()
    }
}

impl<S: Sink> Pty<S> {
    /// The binary with `args` in a temporary home of its own, its output read into `sink`.
    pub fn start_with(args: &[&str], sink: S) -> Pty<S> {
        let home = tempfile::tempdir().expect("temp dir");
        let mut pty = Pty::spawn(command(home.path(), args), sink);
        pty.keep_home(home);
        pty
    }

    /// Start `cmd` with the pty as its controlling terminal, its output read into `sink`.
    pub fn spawn(cmd: CommandBuilder, sink: S) -> Pty<S> {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let child = pty.slave.spawn_command(cmd).expect("start tim-receipts");
        drop(pty.slave);
        let out = Arc::new(Mutex::new(sink));
        spawn_reader(
            pty.master.try_clone_reader().expect("pty reader"),
            Arc::clone(&out),
        );
        let writer = pty.master.take_writer().expect("pty writer");
        Pty {
            out,
            child,
            writer,
            master: pty.master,
            poll: POLL,
            home: None,
        }
    }

    /// Keep `dir` (the program's home) until the program is gone.
    pub fn keep_home(&mut self, dir: tempfile::TempDir) {
        self.home = Some(dir);
    }

    /// The home kept with [`Pty::keep_home`].
    pub fn home(&self) -> &Path {
        self.home.as_ref().expect("a home of its own").path()
    }

    pub fn text(&self) -> String {
        screen_text(&self.out)
    }

    /// Poll the screen until `pred` holds; fail with the screen shown otherwise.
    pub fn wait_until(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let child = &mut self.child;
        let exited = || match child.try_wait() {
            Ok(Some(status)) => Some(format!("{status:?}")),
            _ => None,
        };
        wait_screen(&self.out, what, self.poll, exited, pred)
    }

    pub fn wait_for(&mut self, needle: &str) -> String {
        let n = needle.to_string();
        self.wait_until(&format!("{needle:?}"), move |t| t.contains(&n))
    }

    /// Type `bytes` (keys, escape sequences).
    pub fn send(&mut self, bytes: &str) {
        self.writer
            .write_all(bytes.as_bytes())
            .expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    /// Wait for the program to exit; kill it and fail at the deadline.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                return status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!("tim-receipts did not exit; screen:\n{}", self.text());
            }
            thread::sleep(POLL);
        }
    }

    /// Resize the terminal: the emulator first, so whatever the program draws for the new
    /// size is read at that size.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        self.out
            .lock()
            .expect("screen")
            .parser_mut()
            .screen_mut()
            .set_size(nz(rows), nz(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    pub fn alternate_screen(&self) -> bool {
        self.out
            .lock()
            .expect("screen")
            .parser()
            .screen()
            .alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.out
            .lock()
            .expect("screen")
            .parser()
            .screen()
            .hide_cursor()
    }
}

impl<S: Sink> Drop for Pty<S> {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
