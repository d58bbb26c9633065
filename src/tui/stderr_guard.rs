//! While the dashboard owns the screen, nothing may print over it. Our own code never
//! writes to stderr there, but libraries can: the log appender, for one, prints to stderr
//! when it cannot write its files (a full disk). So for the dashboard's lifetime, file
//! descriptor 2 points at /dev/null; it is put back before the terminal is handed back,
//! and before a panic message is printed.

use std::fs::OpenOptions;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::Mutex;

/// The real stderr, saved while it is silenced.
static SAVED: Mutex<Option<RawFd>> = Mutex::new(None);

/// Point stderr at /dev/null until [`restore`]. Does nothing if it cannot (stderr then
/// stays as it was) or if it is already silenced.
pub fn silence() {
    let mut saved = SAVED.lock().unwrap_or_else(|p| p.into_inner());
    if saved.is_some() {
        return;
    }
    let Ok(null) = OpenOptions::new().write(true).open("/dev/null") else {
        return;
    };
    // SAFETY: dup/dup2 on descriptors we own (2, and /dev/null opened above); no memory
    // is involved.
    #[allow(unsafe_code)] // dup/dup2/close on descriptors this module owns
    unsafe {
        let copy = libc::dup(libc::STDERR_FILENO);
        if copy < 0 {
            return;
        }
        if libc::dup2(null.as_raw_fd(), libc::STDERR_FILENO) < 0 {
            libc::close(copy);
            return;
        }
        *saved = Some(copy);
    }
}

/// Give stderr back. Safe to call more than once, and from a panic hook.
pub fn restore() {
    let mut saved = SAVED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(copy) = saved.take() {
        // SAFETY: `copy` is the descriptor `silence` saved; putting it back on 2.
        #[allow(unsafe_code)] // dup2/close of the descriptor `silence` saved
        unsafe {
            libc::dup2(copy, libc::STDERR_FILENO);
            libc::close(copy);
        }
    }
}

/// Give stderr back before any panic message is printed.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    /// Runs in a child process (the test binary itself), so silencing fd 2 cannot hide
    /// the output of other tests.
    #[test]
    fn nothing_reaches_stderr_while_silenced_and_it_comes_back() {
        const CHILD: &str = "TIM_RECEIPTS_STDERR_GUARD_CHILD";
        if std::env::var_os(CHILD).is_some() {
            super::silence();
            let _ = writeln!(std::io::stderr(), "LEAKED while silenced");
            super::restore();
            let _ = writeln!(std::io::stderr(), "BACK after restore");
            return;
        }
        let exe = std::env::current_exe().unwrap();
        let out = std::process::Command::new(exe)
            .args([
                "--exact",
                "tui::stderr_guard::tests::nothing_reaches_stderr_while_silenced_and_it_comes_back",
                "--nocapture",
            ])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(!err.contains("LEAKED"), "{err}");
        assert!(err.contains("BACK after restore"), "{err}");
    }
}
