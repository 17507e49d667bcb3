//! An ordered parallel map: items produced in order by one thread, processed by a pool of
//! workers, consumed in the same order on the calling thread as soon as each is ready.
//!
//! Memory stays bounded whatever the number of items: at most `window` items are between
//! production and consumption (produced but not yet consumed), so a slow item holds back
//! the producer instead of letting finished results pile up. With one worker the result is
//! the same sequence as with many, by construction.
//!
//! [`Budget`] bounds the bytes in flight among the workers (the files being checked), so
//! that several large files are not held at once.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, sync_channel};
use std::sync::{Condvar, Mutex};

/// Items handed to a worker at once, at most: a few dozen files of a folder cost one
/// channel round trip instead of one each (with one hand-off per file, waking the threads
/// up took a tenth of the checker's time).
const BATCH: usize = 32;

/// Runs `process` over every item `produce` hands to its callback, on `threads` workers,
/// and calls `consume` with the results in production order. Returns when all are consumed.
/// A panic in `process` is resumed on the calling thread when its turn comes.
///
/// Items travel in batches of up to `window / 8` (at most [`BATCH`]), so that at most about
/// `window` items are ever between production and consumption.
pub fn ordered<I, R>(
    threads: usize,
    window: usize,
    produce: impl FnOnce(&mut dyn FnMut(I)) + Send,
    process: impl Fn(I) -> R + Sync,
    mut consume: impl FnMut(R),
) where
    I: Send,
    R: Send,
{
    let threads = threads.max(1);
    let window = window.max(1);
    let batch = (window / 8).clamp(1, BATCH);
    let tickets = (window / batch).max(1);
    let (job_tx, job_rx) = sync_channel::<(usize, Vec<I>)>(threads * 2);
    let job_rx = Mutex::new(job_rx);
    type Results<R> = Vec<std::thread::Result<R>>;
    let (result_tx, result_rx) = channel::<(usize, Results<R>)>();
    // One ticket per batch allowed between production and consumption.
    let (ticket_tx, ticket_rx) = sync_channel::<()>(tickets);
    for _ in 0..tickets {
        ticket_tx.send(()).expect("the receiver is alive");
    }
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut seq = 0;
            let mut open = true;
            let mut pending = Vec::with_capacity(batch);
            // A closed channel means the consumer is gone (it panicked): stop producing.
            let mut send = |pending: &mut Vec<I>| {
                let items = std::mem::replace(pending, Vec::with_capacity(batch));
                open = open && ticket_rx.recv().is_ok() && job_tx.send((seq, items)).is_ok();
                seq += 1;
            };
            produce(&mut |item| {
                pending.push(item);
                if pending.len() == batch {
                    send(&mut pending);
                }
            });
            if !pending.is_empty() {
                send(&mut pending);
            }
        });
        let process = &process;
        let job_rx = &job_rx;
        for _ in 0..threads {
            let result_tx = result_tx.clone();
            s.spawn(move || {
                // Once the consumer is gone, jobs are drained unprocessed until the producer
                // stops, so that it never waits on a full queue.
                let mut consumer_gone = false;
                loop {
                    let job = job_rx.lock().expect("no panic while holding it").recv();
                    let Ok((seq, items)) = job else { break };
                    if consumer_gone {
                        continue;
                    }
                    let results = items
                        .into_iter()
                        .map(|item| catch_unwind(AssertUnwindSafe(|| process(item))))
                        .collect();
                    consumer_gone = result_tx.send((seq, results)).is_err();
                }
            });
        }
        drop(result_tx);
        // Owned here, so that a panic in `consume` drops it and the producer stops.
        let ticket_tx = ticket_tx;
        let mut next = 0;
        let mut waiting = BTreeMap::new();
        for (seq, results) in result_rx {
            waiting.insert(seq, results);
            while let Some(results) = waiting.remove(&next) {
                for result in results {
                    match result {
                        Ok(r) => consume(r),
                        Err(panic) => resume_unwind(panic),
                    }
                }
                next += 1;
                let _ = ticket_tx.send(());
            }
        }
    });
}

/// A bound on the bytes being worked on at once. A worker takes its file's size before
/// reading it and gives it back when done; it waits while others hold the budget, except
/// that a file larger than the whole budget goes ahead alone when nothing else is held.
pub struct Budget {
    limit: u64,
    held: Mutex<u64>,
    freed: Condvar,
}

impl Budget {
    pub fn new(limit: u64) -> Budget {
        Budget {
            limit,
            held: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits until `bytes` fit, then holds them until the guard is dropped.
    pub fn take(&self, bytes: u64) -> BudgetGuard<'_> {
        let mut held = self.held.lock().expect("no panic while holding it");
        while *held > 0 && *held + bytes > self.limit {
            held = self.freed.wait(held).expect("no panic while holding it");
        }
        *held += bytes;
        BudgetGuard {
            budget: self,
            bytes,
        }
    }
}

/// Bytes held from a [`Budget`].
pub struct BudgetGuard<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Drop for BudgetGuard<'_> {
    fn drop(&mut self) {
        let mut held = self.budget.held.lock().expect("no panic while holding it");
        *held -= self.bytes;
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_come_in_order_with_any_number_of_threads() {
        for threads in [1, 2, 7] {
            let mut out = Vec::new();
            ordered(
                threads,
                5,
                |each| (0..200u64).for_each(each),
                |i| {
                    // Uneven work, so that workers finish out of order.
                    std::thread::sleep(std::time::Duration::from_micros((i * 37) % 11 * 50));
                    i * 2
                },
                |r| out.push(r),
            );
            assert_eq!(out, (0..200).map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn at_most_window_items_are_ahead_of_the_consumer() {
        let produced = AtomicUsize::new(0);
        let mut consumed = 0;
        ordered(
            4,
            8,
            |each| {
                for i in 0..100 {
                    produced.fetch_add(1, Ordering::SeqCst);
                    each(i);
                }
            },
            |i| i,
            |_| {
                consumed += 1;
                assert!(produced.load(Ordering::SeqCst) <= consumed + 8);
            },
        );
        assert_eq!(consumed, 100);
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let r = catch_unwind(|| {
            ordered(
                2,
                4,
                |each| (0..50).for_each(each),
                |i| assert_ne!(i, 20),
                |_| {},
            )
        });
        assert!(r.is_err());
    }

    #[test]
    fn the_budget_holds_large_items_one_at_a_time() {
        let budget = Budget::new(100);
        let in_flight = AtomicUsize::new(0);
        let max = AtomicUsize::new(0);
        ordered(
            4,
            16,
            |each| (0..40).for_each(each),
            |i| {
                let size = if i % 2 == 0 { 80 } else { 5 };
                let _g = budget.take(size);
                let now = in_flight.fetch_add(size as usize, Ordering::SeqCst) + size as usize;
                max.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_micros(200));
                in_flight.fetch_sub(size as usize, Ordering::SeqCst);
            },
            |_| {},
        );
        assert!(max.load(Ordering::SeqCst) <= 100);
        let _alone = budget.take(500); // larger than the budget: goes ahead alone
    }
}
