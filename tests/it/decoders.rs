//! Bad input: every response decoder of the client fed arbitrary bytes, mutated samples
//! from the vendor pages and wrong-type fields (proptest), and the binary fed malformed
//! configuration files. Nothing may panic; every failure is one clear line.
//! Run: `cargo test --test it decoders::`.
//!
//! The webhook parser has its own properties in tests/it/webhook/parser_properties.rs.

/// The ten response decoders and their samples.
mod samples;

/// Properties over every decoder: no panic, and a failure is an error about the right API,
/// one line of printable text with a next step.
mod decoder_properties;

/// Concrete cases with the exact answers wanted.
mod decoder_cases;

/// Malformed configuration, run through the real binary with `--config`: one line on
/// stderr naming the file, the field and the fix (tests/it/cli has the wrong-type sdkappid
/// and the world-readable key file; these are the rest), and no network call (cases that need an
/// endpoint use `http://127.0.0.1:9`, where nothing listens).
mod bad_config;
