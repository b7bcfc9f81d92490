//! The batch loss of each recent update, for the step-mode timeline. Entries after the
//! current update stay when the trainer goes back (they can be replayed exactly), and
//! are dropped when a new update overwrites them or a setting changes.

use std::collections::VecDeque;

/// Recent `(update, batch loss)` pairs, oldest first, at most `cap` of them. Recording
/// never allocates once constructed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LossLog {
    entries: VecDeque<(u64, f64)>,
    cap: usize,
}

impl LossLog {
    /// Keeps up to `cap` entries.
    pub fn new(cap: usize) -> Self {
        let cap = cap.max(1);
        LossLog { entries: VecDeque::with_capacity(cap + 1), cap }
    }

    /// Records the loss of update `t`, replacing any entry at or after `t`.
    pub fn record(&mut self, t: u64, loss: f64) {
        self.forget_after(t.saturating_sub(1));
        if self.entries.len() >= self.cap {
            self.entries.pop_front();
        }
        self.entries.push_back((t, loss));
    }

    /// Drops the entries after update `t` (a setting changed: they would not replay).
    pub fn forget_after(&mut self, t: u64) {
        while self.entries.back().is_some_and(|e| e.0 > t) {
            self.entries.pop_back();
        }
    }

    /// Drops everything.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The entries, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (u64, f64)> + '_ {
        self.entries.iter().copied()
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_and_overwrites_the_future() {
        let mut log = LossLog::new(3);
        for t in 1..=5 {
            log.record(t, t as f64);
        }
        assert_eq!(log.iter().collect::<Vec<_>>(), vec![(3, 3.0), (4, 4.0), (5, 5.0)]);
        // Went back to update 3 and made update 4 again, differently.
        log.record(4, 40.0);
        assert_eq!(log.iter().collect::<Vec<_>>(), vec![(3, 3.0), (4, 40.0)]);
        log.forget_after(3);
        assert_eq!(log.iter().collect::<Vec<_>>(), vec![(3, 3.0)]);
        log.clear();
        assert!(log.is_empty());
    }
}
