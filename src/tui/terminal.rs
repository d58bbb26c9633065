//! Terminal hygiene: enter/restore guard, panic hook, suspend on Ctrl-Z, OSC 52 copy,
//! synchronized output. Whatever happens (error, panic, SIGHUP), the terminal is given
//! back in the state it was found.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::Notify;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::clipboard::CopyToClipboard;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute, queue};

use super::model::actions::clipboard_safe;
use super::model::app::App;
use super::ui;
use super::ui::theme::Theme;

/// Mouse capture state for the panic hook (which cannot reach the guard).
static MOUSE: AtomicBool = AtomicBool::new(false);
/// Are we in raw mode / the alternate screen (so restore is needed)?
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Set when any thread panicked: the terminal is restored, and the loop must stop.
static PANICKED: AtomicBool = AtomicBool::new(false);
/// Wakes the loop after a panic in a background task.
static PANIC_WAKE: OnceLock<Arc<Notify>> = OnceLock::new();

/// Resolves when a panic happened anywhere (the loop stops then).
pub fn panic_wake() -> Arc<Notify> {
    Arc::clone(PANIC_WAKE.get_or_init(|| Arc::new(Notify::new())))
}

/// Has a panic restored the terminal under the loop's feet?
pub fn panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

/// Put the terminal back: leave the alternate screen, raw mode and mouse capture, show
/// the cursor. Safe to call more than once; errors are ignored (the terminal may be gone).
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(
        out,
        EndSynchronizedUpdate,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

fn enter(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// Restore the terminal before the default panic message is printed.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        PANICKED.store(true, Ordering::SeqCst);
        previous(info);
        // A panic in a background task does not end the process: wake the loop so the
        // dashboard stops instead of drawing on a restored terminal.
        panic_wake().notify_one();
    }));
}

/// Owns the terminal for the dashboard's lifetime; restores it on drop.
pub struct Tui {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
    mouse: bool,
}

impl Tui {
    pub fn enter(mouse: bool) -> io::Result<Tui> {
        MOUSE.store(mouse, Ordering::SeqCst);
        install_panic_hook();
        if let Err(e) = enter(mouse) {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => Ok(Tui { terminal, mouse }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Draw one frame as one synchronized update (no tearing over slow links).
    pub fn draw(&mut self, app: &App, theme: &Theme) -> io::Result<()> {
        queue!(self.terminal.backend_mut(), BeginSynchronizedUpdate)?;
        self.terminal.draw(|frame| ui::draw(frame, app, theme))?;
        queue!(self.terminal.backend_mut(), EndSynchronizedUpdate)?;
        self.terminal.backend_mut().flush()
    }

    /// Ctrl-Z: give the terminal back, stop, and take it again when resumed (`fg`).
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        #[cfg(unix)]
        // SAFETY: raising a signal on our own process; SIGTSTP's default action stops
        // the process until SIGCONT, then `raise` returns.
        #[allow(unsafe_code)] // raise(2) of SIGTSTP on our own process
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
        enter(self.mouse)?;
        // Clear and force a full redraw. (`Terminal::clear` would ask the terminal for the
        // cursor position, which some terminals and slow links never answer.)
        let size = self.terminal.size()?;
        self.terminal
            .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
    }

    /// Copy text to the clipboard of the terminal the user sits at (works over SSH; in
    /// tmux it needs `set -g set-clipboard on`). Text with a control character is refused:
    /// pasted, it could end a bracketed paste and run commands (`update` never asks for it;
    /// this is the last guard).
    pub fn copy(&mut self, text: &str) -> io::Result<()> {
        if !clipboard_safe(text) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not copied: the text contains control characters",
            ));
        }
        execute!(
            self.terminal.backend_mut(),
            CopyToClipboard::to_clipboard_from(text)
        )
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        restore();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clipboard_takes_no_control_characters() {
        assert!(super::clipboard_safe("@TGS#2TTV7VSII"));
        assert!(super::clipboard_safe("用户.01"));
        for bad in [
            "a\u{1b}[201~",
            "a\nb",
            "a\rb",
            "a\tb",
            "\u{7f}",
            "\u{9b}2J",
            "\u{0}",
        ] {
            assert!(!super::clipboard_safe(bad), "{bad:?}");
        }
    }
}
