//! Config and key files that could hang, flood or leak: devices and FIFOs, huge files,
//! files of another user or in a directory anyone can write to, secrets quoted back in
//! errors, credentials in the endpoint URL.
#![allow(unsafe_code)] // mkfifo(2), chown(2) and geteuid(2) on the test's own temporary files

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::*;

fn write(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

fn resolve_file(path: &Path, profile: Option<&str>) -> anyhow::Result<Settings> {
    let global = Overrides {
        config: Some(path.to_path_buf()),
        profile: profile.map(str::to_string),
        ..Overrides::default()
    };
    let env: HashMap<String, String> = HashMap::new();
    resolve_with(&global, &|k| env.get(k).cloned(), None)
}

#[test]
fn a_device_or_a_huge_file_is_not_read_as_config() {
    let err = resolve_file(Path::new("/dev/zero"), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a regular file"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let big = write(dir.path(), "big.toml", &"# x\n".repeat(100_000), 0o600);
    let err = resolve_file(&big, None).unwrap_err().to_string();
    assert!(err.contains("larger than"), "{err}");
}

#[test]
fn a_key_file_that_is_a_fifo_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let fifo = dir.path().join("k.key");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path inside our own temporary directory.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let cfg = write(
        dir.path(),
        "c.toml",
        "[profiles.default]\nsdkappid = 1\nidentifier = \"admin\"\nendpoint = \"http://127.0.0.1:1\"\nsecret_key_file = \"k.key\"\n",
        0o600,
    );
    let s = resolve_file(&cfg, None).unwrap();
    let err = s.require_key().unwrap_err().to_string();
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn a_key_file_in_a_directory_anyone_can_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let key = write(dir.path(), "k.key", "abc\n", 0o600);
    let err = check::read_key_file(&key).unwrap_err();
    assert!(err.contains("anyone can write to"), "{err}");

    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(check::read_key_file(&key).unwrap(), "abc");
}

#[test]
fn a_secret_of_the_wrong_type_is_never_quoted_back() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "c.toml",
        "[profiles.default]\nsdkappid = 1\nidentifier = \"admin\"\nsecret_key = 918273645546372819\n",
        0o600,
    );
    let err = format!("{:#}", resolve_file(&cfg, None).unwrap_err());
    assert!(!err.contains("918273645546372819"), "{err}");
    assert!(
        err.contains("secret_key") && err.contains("not shown"),
        "{err}"
    );
}

#[test]
fn credentials_in_the_endpoint_url_are_refused_and_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "c.toml",
        "[profiles.default]\nsdkappid = 1\nidentifier = \"admin\"\nendpoint = \"https://ops:hunter2@proxy.example:8443\"\nsecret_key_env = \"K\"\n",
        0o600,
    );
    let err = format!("{:#}", resolve_file(&cfg, None).unwrap_err());
    assert!(!err.contains("hunter2"), "{err}");
    assert!(err.contains("user name or password"), "{err}");
}

#[test]
fn a_key_file_of_another_user_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = write(dir.path(), "k.key", "abc\n", 0o600);
    let c = std::ffi::CString::new(key.to_str().unwrap()).unwrap();
    // SAFETY: chown of a file in our own temporary directory. Needs root (as CI and this
    // project's machines run); anyone else cannot make a file of another user.
    let rc = unsafe { libc::chown(c.as_ptr(), 65534, 65534) };
    if rc != 0 {
        assert_ne!(unsafe { libc::geteuid() }, 0, "root could not chown");
        eprintln!("not root: the other-owner case cannot be set up here");
        return;
    }
    let err = check::read_key_file(&key).unwrap_err();
    assert!(err.contains("belongs to another user"), "{err}");
}
