//! The global allocator, counting the bytes each thread holds so that one
//! policy evaluation (which runs on one thread) can be bounded in memory
//! (`--eval-memory`; regorus keeps the count, `utils::limits`).

use regorus::utils::limits::{record_alloc, record_dealloc};
use std::alloc::{GlobalAlloc, Layout};

/// Wraps an allocator and counts, per thread, the bytes it holds.
pub struct Counting<A>(pub A);

// SAFETY: every call is forwarded unchanged to the wrapped allocator; the
// counting touches only a const-initialised thread-local integer, which
// cannot allocate.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record_alloc(layout.size());
        self.0.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record_alloc(layout.size());
        self.0.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        record_dealloc(layout.size());
        self.0.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record_alloc(new_size);
        record_dealloc(layout.size());
        self.0.realloc(ptr, layout, new_size)
    }
}
