//! Fixtures shared by several areas of the integration tests (and, by path, by the benches).

pub mod audit_lines;
pub mod cli;
pub mod counts_world;
pub mod pty;
