//! Profiles, regions, secret sources, XDG paths, environment overrides (issue 3).
