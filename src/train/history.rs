//! Bounded snapshots for going back: parameters, optimizer state and data cursor as
//! they were at the start of each recent step. Buffers are recycled, so recording a
//! snapshot in steady state does not allocate.

use crate::nn::{Network, Optimizer, OptimizerConfig, OptimizerState, Rng};
use ndarray::{Array, Dimension};
use std::collections::VecDeque;

/// Where the trainer is in its data.
#[derive(Clone, Debug, PartialEq)]
pub struct Cursor {
    /// Sample order of the current epoch (indices into the training set).
    pub order: Vec<usize>,
    /// Next position in `order`.
    pub pos: usize,
    /// Completed epochs.
    pub epoch: u64,
    /// Generator used to reshuffle at each epoch.
    pub rng: Rng,
}

impl Cursor {
    /// `n` samples, shuffled with `seed` when `shuffle` is on.
    pub fn new(n: usize, shuffle: bool, seed: u64) -> Cursor {
        let mut c = Cursor { order: (0..n).collect(), pos: 0, epoch: 0, rng: Rng::new(seed ^ 0xBA7C_4000_0000_0001) };
        if shuffle {
            c.rng.shuffle(&mut c.order);
        }
        c
    }

    /// Takes the next `size` samples (fewer at the end of an epoch) into `batch`.
    /// Returns whether this batch finishes the epoch; the order is then reshuffled
    /// (the epoch count is advanced by the trainer when the step's update is made).
    pub fn next_batch(&mut self, size: usize, shuffle: bool, batch: &mut Vec<usize>) -> bool {
        let n = self.order.len();
        let end = (self.pos + size.max(1)).min(n);
        batch.clear();
        batch.extend_from_slice(&self.order[self.pos..end]);
        self.pos = end;
        if self.pos >= n {
            self.pos = 0;
            if shuffle {
                self.rng.shuffle(&mut self.order);
            }
            true
        } else {
            false
        }
    }
}

/// The state at the start of a step.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Parameters.
    pub net: Network,
    /// Optimizer state.
    pub opt: OptimizerState,
    /// The optimizer settings the state was made with.
    pub opt_config: OptimizerConfig,
    /// Data cursor.
    pub cursor: Cursor,
    /// Updates made.
    pub updates: u64,
}

impl Snapshot {
    fn copy_from(&mut self, net: &Network, opt: &Optimizer, cursor: &Cursor, updates: u64) {
        copy_net(&mut self.net, net);
        copy_opt_state(&mut self.opt, &opt.state);
        self.opt_config = opt.config;
        copy_cursor(&mut self.cursor, cursor);
        self.updates = updates;
    }
}

// `#[derive(Clone)]` does not override `clone_from`, whose default is
// `*self = source.clone()`: it allocates. These copy field by field into the existing
// buffers (`Vec::clone_from` and ndarray's `Array::clone_from` reuse their allocation),
// so they do not allocate when the shapes already match.

/// `dst = src` for networks, reusing `dst`'s buffers.
pub fn copy_net(dst: &mut Network, src: &Network) {
    if dst.layers.len() != src.layers.len() {
        dst.layers.clone_from(&src.layers);
        return;
    }
    for (d, s) in dst.layers.iter_mut().zip(&src.layers) {
        copy_array(&mut d.w, &s.w);
        copy_array(&mut d.b, &s.b);
        d.activation = s.activation;
    }
}

/// `dst = src` for arrays: a plain copy when the shapes match (the usual case), else `clone_from`.
fn copy_array<D: Dimension>(dst: &mut Array<f64, D>, src: &Array<f64, D>) {
    if dst.raw_dim() == src.raw_dim() {
        if let (Some(d), Some(s)) = (dst.as_slice_mut(), src.as_slice()) {
            d.copy_from_slice(s);
            return;
        }
    }
    dst.clone_from(src);
}

/// `dst = src` for optimizer states, reusing `dst`'s buffers.
pub fn copy_opt_state(dst: &mut OptimizerState, src: &OptimizerState) {
    dst.step = src.step;
    dst.slots.truncate(src.slots.len());
    let have = dst.slots.len();
    for (d, s) in dst.slots.iter_mut().zip(&src.slots) {
        d.momentum.clone_from(&s.momentum);
        d.square.clone_from(&s.square);
        d.mean.clone_from(&s.mean);
        d.max_square.clone_from(&s.max_square);
    }
    dst.slots.extend_from_slice(&src.slots[have..]);
}

/// `dst = src` for data cursors, reusing `dst`'s buffers.
pub fn copy_cursor(dst: &mut Cursor, src: &Cursor) {
    dst.order.clone_from(&src.order);
    dst.pos = src.pos;
    dst.epoch = src.epoch;
    dst.rng.clone_from(&src.rng);
}

/// A ring of the most recent snapshots.
#[derive(Clone, Debug, Default)]
pub struct History {
    ring: VecDeque<Snapshot>,
    /// Snapshots popped or cleared, kept for their buffers (ring + spare ≤ cap).
    spare: Vec<Snapshot>,
    cap: usize,
}

impl History {
    /// Keeps up to `cap` snapshots.
    pub fn new(cap: usize) -> Self {
        let cap = cap.max(1);
        History { ring: VecDeque::with_capacity(cap + 1), spare: Vec::with_capacity(cap + 1), cap }
    }

    /// Snapshots held.
    pub fn len(&self) -> usize {
        self.ring.len()
    }

    /// Whether there is nothing to go back to.
    pub fn is_empty(&self) -> bool {
        self.ring.is_empty()
    }

    /// Records a snapshot, dropping the oldest when full (its buffers are reused).
    pub fn push(&mut self, net: &Network, opt: &Optimizer, cursor: &Cursor, updates: u64) {
        let recycled = if self.ring.len() >= self.cap { self.ring.pop_front() } else { self.spare.pop() };
        let snap = match recycled {
            Some(mut s) => {
                s.copy_from(net, opt, cursor, updates);
                s
            }
            None => Snapshot {
                net: net.clone(),
                opt: opt.state.clone(),
                opt_config: opt.config,
                cursor: cursor.clone(),
                updates,
            },
        };
        self.ring.push_back(snap);
    }

    /// Removes and returns the newest snapshot.
    pub fn pop(&mut self) -> Option<&Snapshot> {
        let s = self.ring.pop_back()?;
        self.spare.push(s);
        self.spare.last()
    }

    /// Forgets everything (the buffers are kept for reuse).
    pub fn clear(&mut self) {
        self.spare.extend(self.ring.drain(..));
    }

    /// The newest snapshot.
    pub fn last(&self) -> Option<&Snapshot> {
        self.ring.back()
    }

    /// Update counts of the held snapshots, oldest first.
    pub fn updates(&self) -> impl Iterator<Item = u64> + '_ {
        self.ring.iter().map(|s| s.updates)
    }
}
