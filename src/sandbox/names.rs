//! Human-looking account IDs and group names, generated without storing word lists per
//! account: the k-th person is a pure function of k.

const FIRST: &[&str] = &[
    "amelia", "noah", "olivia", "liam", "emma", "mateo", "ava", "lucas", "sofia", "ethan", "mia",
    "leo", "isla", "arjun", "chloe", "kenji", "zara", "omar", "hana", "felix", "priya", "diego",
    "yuki", "nora", "samuel", "lina", "tomas", "aisha", "victor", "mei", "jonas", "elena", "ravi",
    "clara", "hugo", "amara", "ivan", "sara", "daniel", "fatima", "marco", "julia", "chen",
    "layla", "oscar", "ines", "kofi", "ruby", "wei", "maya", "anton", "rosa", "sven", "leila",
    "pablo", "ingrid", "tariq", "grace", "min", "alba", "nikhil", "freya", "jae", "camila",
];

const LAST: &[&str] = &[
    "chen",
    "garcia",
    "smith",
    "kim",
    "nguyen",
    "patel",
    "muller",
    "rossi",
    "tanaka",
    "silva",
    "novak",
    "okafor",
    "johansson",
    "dubois",
    "kowalski",
    "haddad",
    "wang",
    "lopez",
    "brown",
    "sato",
    "ivanova",
    "martin",
    "khan",
    "park",
    "fischer",
    "costa",
    "lee",
    "ahmed",
    "moreau",
    "larsen",
    "yamamoto",
    "santos",
    "wilson",
    "zhang",
    "schmidt",
    "reyes",
    "ito",
    "murphy",
    "ali",
    "berg",
    "liu",
    "torres",
    "nakamura",
    "walker",
    "hoffmann",
    "mendes",
    "choi",
    "evans",
    "singh",
    "bianchi",
    "lin",
    "romero",
    "suzuki",
    "taylor",
    "weber",
    "ortiz",
    "huang",
    "clark",
    "jansen",
    "ferreira",
    "zhou",
    "hughes",
    "becker",
    "alvarez",
];

/// The k-th generated person: `amelia.chen`, …, then `amelia.chen2`, …; distinct for every k.
pub fn person(k: u64) -> String {
    let (nf, nl) = (FIRST.len() as u64, LAST.len() as u64);
    // Spread consecutive k over both lists so neighbours do not share a first name.
    let first = FIRST[(k % nf) as usize];
    let last = LAST[((k / nf + k % nf) % nl) as usize];
    let round = k / (nf * nl);
    if round == 0 {
        format!("{first}.{last}")
    } else {
        format!("{first}.{last}{}", round + 1)
    }
}

const TEAMS: &[&str] = &[
    "Payments",
    "Checkout",
    "Search",
    "Mobile",
    "Platform",
    "Data",
    "Growth",
    "Billing",
    "Identity",
    "Infra",
    "Support",
    "Design",
    "Security",
    "Logistics",
    "Finance",
    "Legal",
    "Sales",
    "Partners",
    "Ads",
    "Maps",
    "Media",
    "Messaging",
    "Storage",
    "Networking",
    "QA",
    "Recruiting",
    "Onboarding",
    "Analytics",
    "Localization",
    "Accessibility",
    "Fraud",
    "Pricing",
];

const WORK_KINDS: &[&str] = &[
    "team",
    "standup",
    "on-call",
    "leads",
    "backlog",
    "launch crew",
    "triage",
    "reviews",
];
const PUBLIC_KINDS: &[&str] = &[
    "announcements",
    "help desk",
    "guild",
    "office hours",
    "community",
    "release notes",
];
const MEETING_KINDS: &[&str] = &[
    "weekly sync",
    "retro",
    "planning",
    "1:1 prep",
    "design review",
    "incident review",
];
const LIVE_KINDS: &[&str] = &[
    "town hall stream",
    "live Q&A",
    "product launch live",
    "training live",
    "demo day stream",
];
const COMMUNITY_KINDS: &[&str] = &["users", "developers", "creators", "beta testers"];

/// A group name for the k-th group of a kind ("Work", "Public", "Meeting", "AVChatRoom",
/// "Community"), at most 30 bytes.
pub fn group_name(kind: &str, k: u64) -> String {
    let kinds = match kind {
        "Work" => WORK_KINDS,
        "Public" => PUBLIC_KINDS,
        "Meeting" => MEETING_KINDS,
        "AVChatRoom" => LIVE_KINDS,
        _ => COMMUNITY_KINDS,
    };
    let team = TEAMS[(k % TEAMS.len() as u64) as usize];
    let what = kinds[((k / TEAMS.len() as u64 + k) % kinds.len() as u64) as usize];
    let round = k / (TEAMS.len() as u64 * kinds.len() as u64);
    let mut name = if round == 0 {
        format!("{team} {what}")
    } else {
        format!("{team} {what} {}", round + 1)
    };
    name.truncate(30);
    name
}

/// A group ID in the service's automatic form: `@TGS#` + 9 characters from `k` and a kind
/// digit (Community IDs get the `@TGS#_` prefix as the service's do).
pub fn group_id(kind_digit: u8, k: u64, community: bool) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    // A bijective scramble of k so neighbouring IDs look unrelated.
    let mut x = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5bd1_e995;
    let mut s = String::with_capacity(24);
    s.push_str(if community { "@TGS#_@TGS#" } else { "@TGS#" });
    s.push(char::from(b'0' + kind_digit % 10));
    for _ in 0..8 {
        s.push(char::from(ALPHABET[(x & 31) as usize]));
        x >>= 5;
    }
    // Keep IDs unique even if the scramble collided in its low 40 bits: append k's tail.
    s.push(char::from(ALPHABET[(k & 31) as usize]));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn people_are_distinct_and_human_looking() {
        let names: HashSet<String> = (0..20_000).map(person).collect();
        assert_eq!(names.len(), 20_000);
        assert_eq!(person(0), "amelia.chen");
        assert!(
            person(5000)
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.')
        );
    }

    #[test]
    fn group_names_fit_the_limit() {
        for k in 0..2000 {
            for kind in ["Work", "Public", "Meeting", "AVChatRoom", "Community"] {
                assert!(group_name(kind, k).len() <= 30);
            }
        }
    }

    #[test]
    fn group_ids_are_valid_and_distinct() {
        let ids: HashSet<String> = (0..5000).map(|k| group_id(2, k, false)).collect();
        assert_eq!(ids.len(), 5000);
        for id in &ids {
            assert!(crate::sandbox::fields::group_id_is_valid(id), "{id}");
        }
        assert!(group_id(5, 1, true).starts_with("@TGS#_@TGS#"));
    }
}
