//! What the demo's people are called: nicknames (`Tag_Profile_IM_Nick`) in Latin, Chinese,
//! Japanese and Korean script, some with an emoji, some empty, and the name cards
//! (`NameCard`) members give themselves in a group. Every name is a pure function of the
//! seed and the account (and the group, for a card), so nothing is stored per account and
//! the same seed gives the same names.

use super::hash::mix;

/// Chinese surnames for the account IDs' family names that are Chinese.
const CHINESE_SURNAMES: &[(&str, &str)] = &[
    ("chen", "陈"),
    ("wang", "王"),
    ("zhang", "张"),
    ("liu", "刘"),
    ("lin", "林"),
    ("huang", "黄"),
    ("zhou", "周"),
    ("lee", "李"),
];
/// Chinese surnames for anyone else who picks a Chinese nickname.
const OTHER_CHINESE_SURNAMES: &[&str] = &["赵", "孙", "吴", "郑", "何", "高", "罗", "马"];
const CHINESE_GIVEN: &[&str] = &[
    "磊", "伟", "静", "敏", "思远", "子涵", "雨桐", "浩然", "欣怡", "俊杰", "婉清", "志强", "佳琪",
    "一鸣", "晓燕", "天宇",
];
const JAPANESE_SURNAMES: &[(&str, &str)] = &[
    ("tanaka", "田中"),
    ("sato", "佐藤"),
    ("suzuki", "鈴木"),
    ("ito", "伊藤"),
    ("yamamoto", "山本"),
    ("nakamura", "中村"),
];
const JAPANESE_GIVEN: &[&str] = &[
    "健太",
    "陽菜",
    "結衣",
    "翔",
    "美咲",
    "大輔",
    "さくら",
    "ゆうき",
];
const KOREAN_NAMES: &[(&str, &[&str])] = &[
    ("kim", &["김민준", "김서연", "김지호"]),
    ("park", &["박서준", "박지우", "박하은"]),
    ("choi", &["최유진", "최도윤"]),
];
/// Emoji that are one code point and two cells wide everywhere (no variation selectors).
const EMOJI: &[&str] = &[
    "🌸", "🚀", "☕", "🐼", "🎧", "🌊", "🔥", "🍀", "🐙", "🎸", "🌙", "🦊",
];
/// Teams a name card may mention.
const TEAMS: &[&str] = &[
    "SRE", "DBA", "Payments", "Support", "QA", "Infra", "On-call", "Mobile", "Security",
];

/// A hash of the account ID (FNV-1a), so a name follows the account, not its index.
fn account_hash(account: &str) -> u64 {
    account.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn pick<'a>(list: &[&'a str], h: u64) -> &'a str {
    list[(h % list.len() as u64) as usize]
}

fn title(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The given and family name in an account ID like `amelia.chen` or `amelia.chen42`.
fn parts(account: &str) -> (&str, &str) {
    let (first, last) = account.split_once('.').unwrap_or((account, ""));
    (first, last.trim_end_matches(|c: char| c.is_ascii_digit()))
}

/// A Chinese full name for `last` (the matching surname when it is a Chinese one).
pub(crate) fn chinese_name(last: &str, h: u64) -> String {
    let surname = CHINESE_SURNAMES
        .iter()
        .find(|(l, _)| *l == last)
        .map_or_else(|| pick(OTHER_CHINESE_SURNAMES, h >> 7), |(_, z)| *z);
    format!("{surname}{}", pick(CHINESE_GIVEN, h >> 13))
}

/// The nickname the demo gives `account` for `seed`; "" for about one account in ten (no
/// nickname set). Mixed scripts: Latin full names and first names, Chinese, Japanese and
/// Korean names for family names of those languages, names with an emoji, handles.
pub(crate) fn nick(seed: u64, account: &str) -> String {
    let h = mix(seed ^ 0x4E1C_4E1C ^ account_hash(account));
    let (first, last) = parts(account);
    let cjk = || -> Option<String> {
        if CHINESE_SURNAMES.iter().any(|(l, _)| *l == last) {
            return Some(chinese_name(last, h));
        }
        if let Some((_, sur)) = JAPANESE_SURNAMES.iter().find(|(l, _)| *l == last) {
            return Some(format!("{sur} {}", pick(JAPANESE_GIVEN, h >> 9)));
        }
        KOREAN_NAMES
            .iter()
            .find(|(l, _)| *l == last)
            .map(|(_, names)| pick(names, h >> 9).to_string())
    };
    match h % 100 {
        _ if last.is_empty() => title(first),
        0..=31 => format!("{} {}", title(first), title(last)),
        32..=41 => title(first),
        42..=61 => cjk().unwrap_or_else(|| format!("{} {}", title(first), title(last))),
        62..=73 => format!("{} {}", title(first), pick(EMOJI, h >> 17)),
        74..=81 => format!("{first}_{}", last.chars().next().unwrap_or('x')),
        82..=88 => format!("{} {}", title(first), chinese_name(last, h)),
        _ => String::new(),
    }
}

/// A name card for a member: a full name, a name with a team, or a Chinese name.
pub(crate) fn card(seed: u64, group: u64, account: &str) -> String {
    let h = mix(seed ^ mix(group ^ 0xCA4D) ^ account_hash(account));
    let (first, last) = parts(account);
    match h % 4 {
        0 => format!("{} {}", title(first), title(last)),
        1 => format!("{} · {}", title(first), pick(TEAMS, h >> 11)),
        2 => format!("{} ({})", title(first), pick(TEAMS, h >> 11)),
        _ => chinese_name(last, h),
    }
}

/// A hash in 0..10_000 for a decision about `account` in `group` (which members carry a
/// card, who muted the group).
pub(crate) fn draw(seed: u64, group: u64, account: &str, salt: u64) -> u64 {
    mix(seed ^ mix(group ^ salt) ^ account_hash(account)) % 10_000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    #[test]
    fn nicknames_mix_scripts_and_some_are_empty() {
        let nicks: Vec<String> = (0..2_000)
            .map(|k| nick(7, &crate::sandbox::names::person(k)))
            .collect();
        let empty = nicks.iter().filter(|n| n.is_empty()).count();
        let wide = nicks
            .iter()
            .filter(|n| text::width(n) > n.chars().count())
            .count();
        let emoji = nicks
            .iter()
            .filter(|n| EMOJI.iter().any(|e| n.contains(e)))
            .count();
        assert!((100..400).contains(&empty), "{empty} empty");
        assert!(wide > 200, "{wide} with wide characters");
        assert!(emoji > 100, "{emoji} with an emoji");
        assert!(nicks.iter().all(|n| !n.chars().any(text::is_unsafe)));
        // The same seed gives the same names; another seed other names.
        assert_eq!(nick(7, "amelia.chen"), nick(7, "amelia.chen"));
        let other: Vec<String> = (0..50)
            .map(|k| nick(8, &crate::sandbox::names::person(k)))
            .collect();
        assert_ne!(other[..], nicks[..50]);
    }

    #[test]
    fn cards_are_never_empty_and_follow_the_group() {
        let a = card(1, 3, "wei.wang");
        assert!(!a.is_empty());
        assert_eq!(a, card(1, 3, "wei.wang"));
        let differ = (0..20).any(|g| card(1, g, "wei.wang") != a);
        assert!(differ);
    }
}
