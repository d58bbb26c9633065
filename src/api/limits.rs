//! The client's own bounds on its work (the service's documented ones are in
//! [`crate::vendor::limits`]).

/// Calls in flight at once for chunked requests (within the budget).
pub const CHUNK_CONCURRENCY: usize = 4;
