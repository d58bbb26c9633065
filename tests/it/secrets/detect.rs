use tim_receipts::usersig;

/// Characters a UserSig (TLSSigAPIv2's base64 with `*-_`) or a percent-encoded or plain
/// base64 rendering of one can contain.
fn sig_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "*-_+/=%".contains(c)
}

/// `%XX` sequences decoded (a UserSig in a URL may have its `*` encoded).
fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if b[i] == b'%'
            && let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every UserSig in `text`: each run of sig characters is tried as a UserSig from each
/// `eJ` (the base64 of a zlib header) on, as is and percent-decoded. A run of 100 or more
/// sig characters from an `eJ` counts as well even if it does not decode (a damaged or
/// differently keyed sig is still a credential-shaped leak).
pub fn usersigs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for run in text.split(|c: char| !sig_char(c)).filter(|r| r.len() >= 40) {
        let decoded = percent_decoded(run);
        let candidates = if decoded == run {
            vec![decoded]
        } else {
            vec![decoded, run.to_string()]
        };
        let hit = candidates.iter().find_map(|candidate| {
            candidate
                .match_indices("eJ")
                .map(|(i, _)| &candidate[i..])
                .find(|tail| usersig::decode(tail).is_ok() || tail.len() >= 100)
                .map(str::to_string)
        });
        found.extend(hit);
    }
    found
}

/// Where `secret` (or its first 12 characters) occurs in `text`.
pub fn contains_secret(text: &str, secret: &str) -> bool {
    let prefix: String = secret.chars().take(12).collect();
    text.contains(secret) || text.contains(&prefix)
}

#[test]
fn the_detector_finds_sigs_plain_in_urls_and_percent_encoded() {
    let sig = usersig::generate(1_400_000_000, "some key", "administrator", 3600);
    assert!(sig.starts_with("eJ"), "{sig}");
    let in_url = format!("POST http://h/v4/x?sdkappid=1&usersig={sig}&random=3");
    let encoded = sig.replace('*', "%2A").replace('-', "%2D");
    let in_json = format!("{{\"usersig\":\"{encoded}\"}}");
    for text in [sig.as_str(), &in_url, &in_json, &format!("sig {sig}\nnext")] {
        assert_eq!(usersigs(text), std::slice::from_ref(&sig), "in {text}");
    }
    // Damaged (cut in half): still flagged by length.
    let cut = &sig[..sig.len() - 30];
    assert!(cut.len() >= 100 && !usersigs(cut).is_empty());
    // Ordinary log lines are not.
    let log = "2026-01-01T00:00:00Z DEBUG tim_receipts::api::client: call api=\"get_group_msg_receipt\" ms=20 ok=true cursor=144115213529088617";
    assert!(usersigs(log).is_empty());
    assert!(contains_secret("xx some key-ish", "some key-ish and more"));
}
