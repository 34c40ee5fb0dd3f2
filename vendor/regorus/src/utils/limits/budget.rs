// container-policy patch: bounds on one evaluation (see PATCHES.md, patch 5).
//
// The budget lives in thread-locals because builtins are plain functions
// with no access to the interpreter; an evaluation runs on one thread. The
// embedder's global allocator reports each thread's allocations
// (`record_alloc`/`record_dealloc`); without it only the sizes builtins
// announce before allocating are counted.

use core::cell::Cell;
use core::time::Duration;

use super::LimitError;

/// Bounds for one evaluation, configured per engine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EvaluationLimits {
    /// Bytes an evaluation may allocate beyond what the thread held at its start.
    pub memory: Option<usize>,
    /// Nested rule and function evaluations.
    pub call_depth: Option<usize>,
    /// Native stack an evaluation may use below where it started.
    pub stack: Option<usize>,
}

#[derive(Clone, Copy)]
pub(crate) struct Budget {
    /// `HELD` past which the evaluation is over its memory limit; 0 once a
    /// limit is hit, so that every later check fails (`tripped` says why).
    held_limit: isize,
    memory_limit: usize,
    memory_base: isize,
    started: Duration,
    time_limit: Option<Duration>,
    /// Once a limit is hit every later check fails too, so an error
    /// swallowed on the way up (`not f(x)`, a function's other body) cannot
    /// let the evaluation go on.
    tripped: Option<LimitError>,
}

/// Clock reads are amortised over this many checks (builtin loops check per element).
const CHECKS_PER_CLOCK_READ: u32 = 256;

// Const-initialised without destructors: usable from a global allocator.
#[cfg(feature = "std")]
std::thread_local! {
    /// Bytes allocated minus freed by this thread (negative when it frees
    /// what others allocated).
    static HELD: Cell<isize> = const { Cell::new(0) };
    /// The running evaluation's `Budget::held_limit`; `isize::MAX` when none.
    static HELD_LIMIT: Cell<isize> = const { Cell::new(isize::MAX) };
    static BUDGET: Cell<Option<Budget>> = const { Cell::new(None) };
    /// Checks left until the clock is read again.
    static UNTIL_CLOCK: Cell<u32> = const { Cell::new(CHECKS_PER_CLOCK_READ) };
}

/// Counts an allocation of the current thread (for the embedder's allocator).
#[inline]
pub fn record_alloc(bytes: usize) {
    #[cfg(feature = "std")]
    HELD.with(|h| h.set(h.get().wrapping_add(bytes as isize)));
    #[cfg(not(feature = "std"))]
    let _ = bytes;
}

/// Counts a deallocation by the current thread (for the embedder's allocator).
#[inline]
pub fn record_dealloc(bytes: usize) {
    #[cfg(feature = "std")]
    HELD.with(|h| h.set(h.get().wrapping_sub(bytes as isize)));
    #[cfg(not(feature = "std"))]
    let _ = bytes;
}

#[cfg(feature = "std")]
fn set(budget: Option<Budget>) {
    HELD_LIMIT.with(|l| l.set(budget.map_or(isize::MAX, |b| b.held_limit)));
    BUDGET.with(|b| b.set(budget));
}

/// Starts the budget of an evaluation on this thread.
#[cfg(feature = "std")]
pub(crate) fn begin(memory: Option<usize>, time_limit: Option<Duration>) {
    let memory_limit = memory.unwrap_or(usize::MAX);
    let memory_base = HELD.with(Cell::get);
    set(Some(Budget {
        held_limit: memory_base.saturating_add(isize::try_from(memory_limit).unwrap_or(isize::MAX)),
        memory_limit,
        memory_base,
        started: super::monotonic_now().unwrap_or_default(),
        time_limit,
        tripped: None,
    }));
}

/// Restores, when an evaluation returns whichever way, the budget that was in
/// force when it started: none, or the enclosing evaluation's (`eval_query`
/// runs `eval_modules`).
pub(crate) struct Scope(Option<Budget>);

impl Scope {
    pub(crate) fn new() -> Self {
        #[cfg(feature = "std")]
        return Scope(BUDGET.with(Cell::get));
        #[cfg(not(feature = "std"))]
        Scope(None)
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        #[cfg(feature = "std")]
        set(self.0);
    }
}

/// Records a limit hit so that every later check of the evaluation fails.
#[cfg(feature = "std")]
pub(crate) fn trip(error: LimitError) -> LimitError {
    if let Some(mut budget) = BUDGET.with(Cell::get) {
        budget.tripped.get_or_insert(error);
        budget.held_limit = isize::MIN;
        set(Some(budget));
    }
    error
}

/// Fails when the evaluation holds, or would hold after allocating `extra`
/// more bytes, more than its memory budget. Reads no clock: the interpreter
/// calls it at every step and has its own timer.
#[cfg(feature = "std")]
#[inline]
pub fn check_memory(extra: usize) -> Result<(), LimitError> {
    let held = HELD.with(Cell::get).saturating_add(extra as isize);
    if held <= HELD_LIMIT.with(Cell::get) {
        return Ok(());
    }
    over_memory(held)
}

#[cfg(feature = "std")]
#[cold]
fn over_memory(held: isize) -> Result<(), LimitError> {
    let Some(budget) = BUDGET.with(Cell::get) else {
        return Ok(());
    };
    if let Some(error) = budget.tripped {
        return Err(error);
    }
    Err(trip(LimitError::MemoryLimitExceeded {
        usage: held.saturating_sub(budget.memory_base).max(0) as u64,
        limit: budget.memory_limit as u64,
    }))
}

/// [`check_memory`], and whether the evaluation is past its time limit (the
/// clock is read every [`CHECKS_PER_CLOCK_READ`] calls, and before each
/// allocation announced): for builtins' loops, which the interpreter's
/// timer does not see.
#[cfg(feature = "std")]
pub fn check(extra: usize) -> Result<(), LimitError> {
    check_memory(extra)?;
    let due = UNTIL_CLOCK.with(|n| {
        let left = n.get().saturating_sub(1);
        let due = left == 0 || extra > 0;
        n.set(if due { CHECKS_PER_CLOCK_READ } else { left });
        due
    });
    if !due {
        return Ok(());
    }
    let Some(budget) = BUDGET.with(Cell::get) else {
        return Ok(());
    };
    let Some(limit) = budget.time_limit else {
        return Ok(());
    };
    let elapsed = super::monotonic_now()
        .unwrap_or_default()
        .saturating_sub(budget.started);
    if elapsed > limit {
        return Err(trip(LimitError::TimeLimitExceeded { elapsed, limit }));
    }
    Ok(())
}

#[cfg(not(feature = "std"))]
pub fn check_memory(_extra: usize) -> Result<(), LimitError> {
    Ok(())
}

#[cfg(not(feature = "std"))]
pub fn check(_extra: usize) -> Result<(), LimitError> {
    Ok(())
}

#[cfg(not(feature = "std"))]
pub(crate) fn begin(_memory: Option<usize>, _time_limit: Option<Duration>) {}

#[cfg(not(feature = "std"))]
pub(crate) fn trip(error: LimitError) -> LimitError {
    error
}
