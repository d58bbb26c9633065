//! The receipt-counts world shared by `faults` and `benches/counts.rs`: a sender and 100
//! readers, 1,000 messages of which every seventh has no receipt, and reader `i` has read up
//! to seq 10·i, so message `s` has `#{i : 10·i ≥ s}` readers. A module of `common`; the
//! bench includes this file by path.

use tim_receipts::api::{GroupType, ReceiptCount};
use tim_receipts::sandbox::World;

pub const READERS: u64 = 100;
pub const SEQS: u64 = 1_000;

pub fn reader(i: u64) -> String {
    format!("reader{i:03}")
}

/// Add the counts group `id`, whose messages `sender` posted, to `w`.
pub fn add_counts_group(w: &mut World, id: &str, sender: &str) {
    let names: Vec<String> = (0..READERS).map(reader).collect();
    let mut members: Vec<&str> = names.iter().map(String::as_str).collect();
    members.insert(0, sender);
    let mut g = w.add_group(id, GroupType::Public, &members);
    for s in 1..=SEQS {
        g.post(sender, &format!("update {s}"), s % 7 != 0);
    }
    for i in 0..READERS {
        g.read_up_to(&reader(i), 10 * i);
    }
}

/// What get_group_msg_receipt must say for `seq` in a counts group (10062 for a message
/// without a receipt, and for seqs outside 1..=SEQS).
pub fn expected_count(seq: u64) -> ReceiptCount {
    if seq.is_multiple_of(7) || seq > SEQS || seq == 0 {
        return ReceiptCount {
            seq,
            read: None,
            unread: None,
            code: 10062,
        };
    }
    let read = (0..READERS).filter(|i| 10 * i >= seq).count() as u64;
    ReceiptCount {
        seq,
        read: Some(read),
        unread: Some(READERS - read),
        code: 0,
    }
}
