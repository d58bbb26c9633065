//! The client's own bounds on its work (the service's documented ones are in
//! [`crate::vendor::limits`]).

use super::result::Result;

/// Calls in flight at once for chunked requests (within the budget).
pub const CHUNK_CONCURRENCY: usize = 4;

/// `items`, each once (its first place kept), in order: a batch never asks twice.
pub fn unique<T: Clone + Eq + std::hash::Hash>(items: &[T]) -> Vec<T> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items.iter().filter(|i| seen.insert(*i)).cloned().collect()
}

/// `call` for each chunk of `per_call` items, [`CHUNK_CONCURRENCY`] at once (the budget
/// paces each call), the answers in the chunks' order; the first error ends it.
pub async fn in_batches<'a, T, R, Fut>(
    items: &'a [T],
    per_call: usize,
    call: impl FnMut(&'a [T]) -> Fut,
) -> Result<Vec<R>>
where
    Fut: std::future::Future<Output = Result<R>>,
{
    use futures::{StreamExt, TryStreamExt};
    // The futures are built before they enter the stream: a `.map(closure)` on the stream
    // makes the whole future not provably `Send` (rust-lang/rust#64552).
    let calls: Vec<Fut> = items.chunks(per_call.max(1)).map(call).collect();
    futures::stream::iter(calls)
        .buffered(CHUNK_CONCURRENCY)
        .try_collect()
        .await
}
