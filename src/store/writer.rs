//! The single writer: one thread owns the write connection and commits events in small
//! batches. A submitter queues its event and waits for the commit of the batch it went
//! into; while a commit runs, new events queue up and go into the next batch together
//! (group commit), so under load each commit carries many events and handlers wait for
//! one commit, never for each other.
//!
//! Retention runs on the same thread: at the start, then every [`TRIM_EVERY`] (age and
//! size), and the size alone after every [`SIZE_CHECK_EVERY`] commits.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::db::{Db, Outcome};
use super::retention::Retention;
use super::types::{NewEvent, StoreError, now_ms};

/// Events waiting for the writer; a submitter beyond it waits for room.
const QUEUE: usize = 16_384;
/// At most this many events in one commit.
const MAX_BATCH: usize = 1_024;
/// Age and size are trimmed this often.
const TRIM_EVERY: Duration = Duration::from_secs(3600);
/// The size is checked after this many commits.
const SIZE_CHECK_EVERY: u64 = 2_000;

/// How a [`Store`] is opened.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub retention: Retention,
    /// How long a commit waits for a lock another process holds before it fails.
    pub busy_timeout: Duration,
    /// How long a submitter waits for its commit before it is told the store failed.
    pub commit_timeout: Duration,
}

impl Default for StoreOptions {
    /// The default retention, 2 s of busy wait, 10 s for a commit.
    fn default() -> Self {
        StoreOptions {
            retention: Retention::default(),
            busy_timeout: Duration::from_secs(2),
            commit_timeout: Duration::from_secs(10),
        }
    }
}

/// What the writer has done, readable while it runs (the dashboard shows `failing`).
#[derive(Debug, Default)]
struct Counters {
    stored: AtomicU64,
    repeats: AtomicU64,
    failed: AtomicU64,
    failing: AtomicBool,
}

/// A copy of the writer's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Health {
    /// New events committed.
    pub stored: u64,
    /// Events that were already stored (repeats, replays): nothing written.
    pub repeats: u64,
    /// Events whose commit failed.
    pub failed: u64,
    /// The last commit failed (cleared by the next one that succeeds).
    pub failing: bool,
}

struct Job {
    event: NewEvent,
    done: oneshot::Sender<Result<Outcome, StoreError>>,
}

/// The store of one app, with its writer thread. Cloning shares the writer; the thread
/// ends when every clone is dropped (after committing what was queued).
#[derive(Clone)]
pub struct Store {
    tx: mpsc::Sender<Job>,
    counters: Arc<Counters>,
    path: Arc<PathBuf>,
    commit_timeout: Duration,
}

impl Store {
    /// Open the store at `path` for app `app` (creating it), trim it, and start the writer.
    pub fn open(path: &Path, app: u64, options: StoreOptions) -> Result<Store, StoreError> {
        let mut db = Db::open(path, app, options.busy_timeout)?;
        if let Err(e) = db.trim(&options.retention, now_ms()) {
            tracing::warn!("store: trimming at the start failed: {e}");
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        let counters = Arc::new(Counters::default());
        let thread_counters = Arc::clone(&counters);
        let retention = options.retention.clone();
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || run(db, rx, &thread_counters, &retention))
            .map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                why: format!("cannot start the writer thread: {e}"),
            })?;
        Ok(Store {
            tx,
            counters,
            path: Arc::new(path.to_path_buf()),
            commit_timeout: options.commit_timeout,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Queue `event` and wait until the batch it went into is committed.
    pub async fn submit(&self, event: NewEvent) -> Result<Outcome, StoreError> {
        let (done, answer) = oneshot::channel();
        let timeout = self.commit_timeout;
        let waited = tokio::time::timeout(timeout, async {
            self.tx
                .send(Job { event, done })
                .await
                .map_err(|_| StoreError::Closed)?;
            answer.await.map_err(|_| StoreError::Closed)?
        })
        .await;
        match waited {
            Ok(result) => result,
            Err(_) => {
                self.counters.failed.fetch_add(1, Ordering::Relaxed);
                self.counters.failing.store(true, Ordering::Relaxed);
                Err(StoreError::Timeout(timeout.as_secs()))
            }
        }
    }

    /// What the writer has done so far.
    pub fn health(&self) -> Health {
        Health {
            stored: self.counters.stored.load(Ordering::Relaxed),
            repeats: self.counters.repeats.load(Ordering::Relaxed),
            failed: self.counters.failed.load(Ordering::Relaxed),
            failing: self.counters.failing.load(Ordering::Relaxed),
        }
    }
}

/// The writer thread: take what is queued (up to a batch), commit it, answer each
/// submitter; trim now and then. Ends when every [`Store`] is dropped and the queue is empty.
fn run(mut db: Db, mut rx: mpsc::Receiver<Job>, counters: &Counters, retention: &Retention) {
    let mut last_trim = Instant::now();
    let mut commits: u64 = 0;
    while let Some(first) = rx.blocking_recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        commit(&mut db, jobs, counters);
        commits += 1;
        if last_trim.elapsed() >= TRIM_EVERY {
            last_trim = Instant::now();
            trim(&mut db, retention, false);
        } else if commits.is_multiple_of(SIZE_CHECK_EVERY) {
            trim(&mut db, retention, true);
        }
    }
}

fn trim(db: &mut Db, retention: &Retention, size_only: bool) {
    let result = if size_only {
        db.trim_size(retention.max_bytes)
    } else {
        db.trim(retention, now_ms())
    };
    match result {
        Ok(report) if report.removed_events > 0 || report.removed_reads > 0 => {
            tracing::info!(
                events = report.removed_events,
                reads = report.removed_reads,
                "store: trimmed by retention"
            );
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("store: trimming failed: {e}"),
    }
}

/// Commit a batch and answer its submitters. A failure fails the whole batch: what makes
/// a commit fail (a full disk, a lock held elsewhere, an I/O error) is not one event's doing.
fn commit(db: &mut Db, jobs: Vec<Job>, counters: &Counters) {
    let (events, answers): (Vec<NewEvent>, Vec<_>) =
        jobs.into_iter().map(|j| (j.event, j.done)).unzip();
    match db.insert_batch(&events) {
        Ok(outcomes) => {
            counters.failing.store(false, Ordering::Relaxed);
            for (outcome, done) in outcomes.into_iter().zip(answers) {
                count(counters, outcome);
                let _ = done.send(Ok(outcome));
            }
        }
        Err(error) => {
            fail(counters, &error, answers.len() as u64);
            for done in answers {
                let _ = done.send(Err(error.clone()));
            }
        }
    }
}

fn count(counters: &Counters, outcome: Outcome) {
    match outcome {
        Outcome::Added => counters.stored.fetch_add(1, Ordering::Relaxed),
        Outcome::Repeat => counters.repeats.fetch_add(1, Ordering::Relaxed),
    };
}

fn fail(counters: &Counters, error: &StoreError, n: u64) {
    let before = counters.failed.fetch_add(n, Ordering::Relaxed);
    counters.failing.store(true, Ordering::Relaxed);
    // The first failure and then about one batch in a thousand events, so a full disk
    // cannot fill the log.
    if before == 0 || before / 1000 != (before + n) / 1000 {
        tracing::warn!("store: {error} ({} events not stored so far)", before + n);
    }
}
