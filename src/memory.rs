//! The global allocator's count of the bytes each thread holds, so that one
//! policy evaluation (which runs on one thread) can be bounded in memory.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

thread_local! {
    // Allocated minus freed by this thread, wrapping: a thread freeing what
    // another allocated goes "below zero". Const-initialised and without a
    // destructor, so using it inside the allocator cannot allocate.
    static HELD: Cell<usize> = const { Cell::new(0) };
}

/// Wraps an allocator and counts, per thread, the bytes it holds.
pub struct Counting<A>(pub A);

fn add(bytes: usize) {
    let _ = HELD.try_with(|h| h.set(h.get().wrapping_add(bytes)));
}

fn sub(bytes: usize) {
    let _ = HELD.try_with(|h| h.set(h.get().wrapping_sub(bytes)));
}

/// Bytes the current thread holds (see [`Counting`]); 0 when the binary does
/// not use it as its allocator.
pub fn held_by_this_thread() -> usize {
    HELD.try_with(Cell::get).unwrap_or(0)
}

// SAFETY: every call is forwarded unchanged to the wrapped allocator; the
// counting touches only a thread-local integer.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size());
        self.0.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add(layout.size());
        self.0.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        sub(layout.size());
        self.0.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size);
        sub(layout.size());
        self.0.realloc(ptr, layout, new_size)
    }
}
