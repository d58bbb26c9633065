//! Regions, their main REST domains and their standby domains, as the vendor lists them.

/// One region of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// The name used in `region = ...`, e.g. `silicon-valley`.
    pub name: &'static str,
    /// The name shown, e.g. `Silicon Valley`.
    pub label: &'static str,
    /// The main REST domain.
    pub endpoint: &'static str,
    /// The standby domain the vendor lists for when the main one fails (e.g. its DNS is
    /// hijacked); none is listed for Tokyo.
    pub standby: Option<&'static str>,
}

const fn r(
    name: &'static str,
    label: &'static str,
    endpoint: &'static str,
    standby: Option<&'static str>,
) -> Region {
    Region {
        name,
        label,
        endpoint,
        standby,
    }
}

/// Every region, with its main and standby domains.
pub const REGIONS: [Region; 8] = [
    r(
        "china",
        "China",
        "https://console.tim.qq.com",
        Some("https://adminapi.my-imcloud.com"),
    ),
    r(
        "singapore",
        "Singapore",
        "https://adminapisgp.im.qcloud.com",
        Some("https://adminapisgp.my-imcloud.com"),
    ),
    r(
        "seoul",
        "Seoul",
        "https://adminapikr.im.qcloud.com",
        Some("https://adminapikr.my-imcloud.com"),
    ),
    r("tokyo", "Tokyo", "https://adminapijpn.im.qcloud.com", None),
    r(
        "frankfurt",
        "Frankfurt",
        "https://adminapiger.im.qcloud.com",
        Some("https://adminapiger.my-imcloud.com"),
    ),
    r(
        "mumbai",
        "Mumbai",
        "https://adminapiind.im.qcloud.com",
        Some("https://adminapiind.my-imcloud.com"),
    ),
    r(
        "silicon-valley",
        "Silicon Valley",
        "https://adminapiusa.im.qcloud.com",
        Some("https://adminapiusa.my-imcloud.com"),
    ),
    r(
        "jakarta",
        "Jakarta",
        "https://adminapiidn.im.qcloud.com",
        Some("https://adminapiidn.my-imcloud.com"),
    ),
];

/// The region of a name (case-insensitive; `_` or space for `-`).
pub fn region(name: &str) -> Option<&'static Region> {
    let norm = name.trim().to_ascii_lowercase().replace(['_', ' '], "-");
    let norm = if norm == "siliconvalley" || norm == "usa" {
        "silicon-valley".to_string()
    } else {
        norm
    };
    REGIONS.iter().find(|r| r.name == norm)
}

/// The region names, comma-separated (for messages).
pub fn region_names() -> String {
    REGIONS.map(|r| r.name).join(", ")
}
