//! [`Clock`]: where a codec reads the time, so tests can set it.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time in whole Unix seconds.
///
/// [`SystemClock`] is the default; [`ManualClock`] is for tests. Every
/// codec operation also has an `_at` form that takes the time explicitly.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now(&self) -> u64;
}

/// The operating system's wall clock. A clock set before 1970 reads 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// A clock that only moves when told to: for tests.
///
/// ```
/// use std::sync::Arc;
/// use scimkit_cursor::{Clock, ManualClock};
///
/// let clock = Arc::new(ManualClock::new(1_700_000_000));
/// clock.advance(600);
/// assert_eq!(clock.now(), 1_700_000_600);
/// ```
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// A clock reading `now` (Unix seconds).
    pub fn new(now: u64) -> Self {
        Self(AtomicU64::new(now))
    }

    /// Set the reading.
    pub fn set(&self, now: u64) {
        self.0.store(now, Ordering::SeqCst);
    }

    /// Move the reading forward by `secs` (saturating).
    pub fn advance(&self, secs: u64) {
        let _ = self
            .0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                Some(t.saturating_add(secs))
            });
    }
}

impl Clock for ManualClock {
    fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> u64 {
        (**self).now()
    }
}

impl<C: Clock + ?Sized> Clock for &'static C {
    fn now(&self) -> u64 {
        (**self).now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.now() > 1_577_836_800);
    }

    #[test]
    fn manual_clock() {
        let c = ManualClock::new(5);
        c.advance(u64::MAX);
        assert_eq!(c.now(), u64::MAX);
        c.set(7);
        assert_eq!(c.now(), 7);
    }
}
