#![cfg(not(target_arch = "wasm32"))]
//! The fast path does not allocate: once the trainer is warmed up (workspace grown,
//! snapshot ring full), `step()` makes zero heap allocations.
//!
//! A counting `#[global_allocator]` wraps the system allocator; it counts only on the
//! thread that turned counting on, so the test harness's other threads do not interfere.

use gradlab::train::report::bench_experiments;
use gradlab::train::{Experiment, StepUnit, Trainer};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // `const` initialisation: no lazy init, no destructor, so the allocator may read it.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn note() {
    if COUNTING.with(|c| c.get()) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap allocations made by `f` on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

/// Benchmark (b) with Adam: spiral, all seven features, 8-8-8-8-8-8 tanh, batch 10.
fn spiral_adam() -> Trainer {
    let (_, exp) = bench_experiments().into_iter().nth(1).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&exp.to_json()).unwrap();
    v["optimizer"] = serde_json::json!({"name": "adam", "lr": 0.01});
    let t = Experiment::from_json(&v.to_string()).unwrap().build().unwrap().trainer;
    assert_eq!(t.net().inputs(), 7);
    assert_eq!(t.net().layers.len(), 7);
    assert!(t.net().layers[..6].iter().all(|l| l.units() == 8));
    assert_eq!(t.config().batch_size, 10);
    t
}

/// Warms up: two epochs, and at least until the snapshot ring is full (it grows by one
/// snapshot per step up to its capacity, then recycles the oldest one's buffers).
fn warm_up(t: &mut Trainer) {
    t.step_epoch();
    t.step_epoch();
    let mut last = usize::MAX;
    while t.history_len() != last {
        last = t.history_len();
        t.step();
    }
}

#[test]
fn counting_allocator_counts() {
    // The counter is live: a Vec allocates, a no-op does not.
    assert!(allocations(|| drop(std::hint::black_box(vec![1u8; 100]))) >= 1);
    assert_eq!(allocations(|| {}), 0);
}

#[test]
fn steps_do_not_allocate_after_warm_up() {
    let mut t = spiral_adam();
    warm_up(&mut t);
    let updates = t.updates();
    let n = allocations(|| {
        for _ in 0..500 {
            t.step();
        }
    });
    assert_eq!(t.updates(), updates + 500);
    assert!(t.epoch() >= 20, "500 steps of 25 batches cross epochs (reshuffles)");
    assert!(t.last_loss().is_finite());
    assert_eq!(n, 0, "500 steps made {n} allocations");
}

#[test]
fn untraced_phases_and_sample_steps_do_not_allocate() {
    let mut t = spiral_adam();
    warm_up(&mut t);
    let phases = gradlab::train::Phase::count(t.net().layers.len());
    let n = allocations(|| {
        for _ in 0..50 * phases {
            t.next_phase();
        }
    });
    assert_eq!(n, 0, "phase stepping without a trace made {n} allocations");

    t.set_unit(StepUnit::Sample);
    t.run(50); // the ring and the workspace are already large enough
    let n = allocations(|| {
        t.run(300);
    });
    assert_eq!(n, 0, "single-sample steps made {n} allocations");
}

#[test]
fn going_back_does_not_allocate() {
    let mut t = spiral_adam();
    warm_up(&mut t);
    let n = allocations(|| {
        for _ in 0..20 {
            assert!(t.back());
        }
        for _ in 0..20 {
            t.step();
        }
    });
    assert_eq!(n, 0, "back() and re-stepping made {n} allocations");
}
