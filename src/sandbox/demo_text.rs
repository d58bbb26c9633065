//! What people say in the demo world: the war room's incident script, the on-call rota's
//! hand-overs, release-train notices, announcements and chatter.

pub(super) const WAR_ROOM_SCRIPT: &[(&str, bool)] = &[
    (
        "INCIDENT OPEN: payments API error rate above 5% in ap-southeast. Severity 2. IC: nora.ops",
        true,
    ),
    ("seeing it too, checkout p99 is 9s", false),
    ("paging the payments on-call", false),
    ("dashboards: grafana/d/payments-overview", false),
    (
        "UPDATE: error rate 12%, cause unknown. Customer support please hold refunds.",
        true,
    ),
    ("db replicas look healthy", false),
    (
        "the deploy at 13:05 touched the connection pool config",
        false,
    ),
    ("rolling back payments-api to v2.41.3", false),
    ("oops wrong channel", false),
    (
        "UPDATE: rollback started, ETA 10 min. Next update in 15 min.",
        true,
    ),
    ("rollback done in 2 of 3 regions", false),
    (
        "ap-southeast still failing, LB health checks flapping",
        false,
    ),
    (
        "Severity raised to 1. Status page updated. Execs informed.",
        true,
    ),
    ("failing over ap-southeast traffic to ap-northeast", false),
    (
        "UPDATE: Outage — payments unavailable in ap-southeast; failover in progress. Next update in 15 min.",
        true,
    ),
];

pub(super) const ANNOUNCEMENTS: &[&str] = &[
    "Q3 results call on Thursday: please join, questions welcome.",
    "New expense policy takes effect on the 1st. Read it before your next trip.",
    "Security reminder: turn on hardware keys for SSO by Friday.",
    "Office closed on Monday for the public holiday.",
    "Welcome to the 42 people who joined this month!",
    "Benefits enrollment closes in one week.",
    "Town hall recording is up on the intranet.",
    "Phishing test results: 7% clicked. Please report suspicious mail.",
];

pub(super) const CHATTER: &[&str] = &[
    "sounds good",
    "can someone review my PR?",
    "standup in 5",
    "thanks!",
    "on it",
    "the build is green again",
    "lunch?",
    "pushed a fix",
    "any blockers?",
    "see the doc",
    "moving this to Thursday",
    "who owns this alert?",
    "LGTM",
    "deploying now",
    "+1",
];

/// The Payments on-call rota (200 members): hand-overs and pages that ask for a receipt,
/// replies that do not. `{}` is replaced by a number to vary the text.
pub(super) const ON_CALL: &[(&str, bool)] = &[
    (
        "HANDOVER: week {} on-call starts now. Runbook: go/payments-runbook. Please acknowledge.",
        true,
    ),
    (
        "PAGE: settlement batch {} delayed past SLA; primary is on it. Please acknowledge.",
        true,
    ),
    ("ack, looking", false),
    ("batch {} caught up, closing the page", false),
    (
        "Reminder: card-network maintenance window tonight 01:00-03:00 UTC (ticket {}).",
        true,
    ),
    ("who has the pager this weekend?", false),
    ("swapped with me, thanks", false),
    (
        "Escalation policy changed: secondary now paged after 10 min (change {}). Please read.",
        true,
    ),
];

/// Release-train notices (the long-history group): most ask for a receipt.
pub(super) const RELEASE_NOTICES: &[&str] = &[
    "Release {} branch cut. Freeze starts now: fixes only, please acknowledge.",
    "Release {} is in staging. QA sign-off needed by 16:00.",
    "Release {} rolling out: 10% of traffic. Watch your dashboards.",
    "Release {} at 100%. Thanks all.",
    "Release {} paused: error budget burn in checkout. Hold merges.",
    "Release {} resumed after the hotfix. Please acknowledge.",
];

/// What live activity posts in the war room while the incident goes on: numbered status
/// updates that ask for a receipt (`{}` is the update's number) ...
pub(super) const LIVE_UPDATES: &[&str] = &[
    "UPDATE {}: failover holding, error rate down to 0.8%. Next update in 15 min.",
    "UPDATE {}: payments recovering in ap-southeast; monitoring. Please acknowledge.",
    "UPDATE {}: root cause identified (connection pool limit). Fix rolling out.",
    "UPDATE {}: fix at 50% of hosts, no new errors. Refunds still on hold.",
    "UPDATE {}: checkout p99 back to 900 ms. Customer support may resume refunds.",
    "UPDATE {}: a second spike in ap-southeast, smaller; investigating. Please acknowledge.",
    "UPDATE {}: all regions healthy for 10 min. Staying in monitoring.",
    "UPDATE {}: postmortem owner assigned, draft due tomorrow. Please acknowledge.",
];

/// ... and the chatter around them, without receipts.
pub(super) const LIVE_CHATTER: &[&str] = &[
    "error rate 0.3% on my dashboard",
    "ack",
    "+1, watching",
    "support queue is slowing down",
    "who is on comms for the next update?",
    "LB health checks stable for 5 min",
    "pool size bumped on the canary, looks good",
    "status page updated",
];

/// The all-hands' newest announcement when the demo starts: the incident reaches everyone.
pub(super) const ALL_HANDS_NOTICE: &str = "Service notice for all staff: payments are degraded in ap-southeast \
     (INC-4721). Customer-facing teams: check the status page before answering customers.";

/// What live activity posts in the all-hands (`{}` is the update's number).
pub(super) const ALL_HANDS_UPDATES: &[&str] = &[
    "Service notice {}: payments recovering in ap-southeast. Refunds still on hold.",
    "Service notice {}: payments fully restored. Thank you for your patience with customers.",
    "Service notice {}: a postmortem will be shared on Friday. Questions to #incident-4721.",
    "Service notice {}: customer support may resume refunds now.",
];

/// The Community's newest announcement when the demo starts, and the replies after it.
pub(super) const COMMUNITY_ANNOUNCEMENT: &str = "Announcement: payments SDK v3 is out. Migration guide \
     pinned; v2 keeps working until March. Please read before upgrading.";

pub(super) const COMMUNITY_CHATTER: &[&str] = &[
    "upgraded to v3, went smoothly",
    "does v3 still support webhooks over plain HTTP?",
    "anyone else seeing 502s from the sandbox?",
    "the migration guide link is broken on mobile",
    "welcome to all the new folks!",
    "v3 release notes are great, thanks",
    "is there a changelog for the Python client?",
    "how do I rotate the secret key without downtime?",
];
