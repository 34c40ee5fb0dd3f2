// container-policy patch: bounds on one evaluation (see PATCHES.md, patch 5).
//
// The budget lives in a thread-local because builtins are plain functions
// with no access to the interpreter; an evaluation runs on one thread. The
// embedder supplies the allocation counter (its global allocator knows the
// bytes the current thread holds); without one only the sizes builtins
// announce before allocating are counted.

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

#[cfg(feature = "std")]
static ALLOCATED_BYTES: std::sync::OnceLock<fn() -> usize> = std::sync::OnceLock::new();

/// Sets, once per process, the function returning the bytes the current
/// thread holds (allocated minus freed, wrapping).
pub fn set_allocated_bytes_probe(probe: fn() -> usize) {
    #[cfg(feature = "std")]
    let _ = ALLOCATED_BYTES.set(probe);
    #[cfg(not(feature = "std"))]
    let _ = probe;
}

#[derive(Clone, Copy)]
struct Budget {
    memory_limit: usize,
    memory_base: usize,
    started: Duration,
    time_limit: Option<Duration>,
    /// Checks left until the clock is read again.
    until_clock: u32,
    /// Once a limit is hit every later check fails too, so an error
    /// swallowed on the way up (`not f(x)`, a function's other body) cannot
    /// let the evaluation go on.
    tripped: Option<LimitError>,
}

/// Clock reads are amortised over this many checks (builtin loops check per element).
const CHECKS_PER_CLOCK_READ: u32 = 256;

#[cfg(feature = "std")]
std::thread_local! {
    static BUDGET: core::cell::Cell<Option<Budget>> = const { core::cell::Cell::new(None) };
}

#[cfg(feature = "std")]
fn allocated() -> usize {
    ALLOCATED_BYTES.get().map_or(0, |probe| probe())
}

/// Starts the budget of an evaluation on this thread.
#[cfg(feature = "std")]
pub(crate) fn begin(memory: Option<usize>, time_limit: Option<Duration>) {
    let budget = Budget {
        memory_limit: memory.unwrap_or(usize::MAX),
        memory_base: allocated(),
        started: super::monotonic_now().unwrap_or_default(),
        time_limit,
        until_clock: CHECKS_PER_CLOCK_READ,
        tripped: None,
    };
    BUDGET.with(|b| b.set(Some(budget)));
}

/// Restores, when an evaluation returns whichever way, the budget that was in
/// force when it started: none, or the enclosing evaluation's (`eval_query`
/// runs `eval_modules`).
pub(crate) struct Scope(Option<Budget>);

impl Scope {
    pub(crate) fn new() -> Self {
        #[cfg(feature = "std")]
        return Scope(BUDGET.try_with(|b| b.get()).ok().flatten());
        #[cfg(not(feature = "std"))]
        Scope(None)
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        #[cfg(feature = "std")]
        let _ = BUDGET.try_with(|b| b.set(self.0));
    }
}

/// Records a limit hit so that every later check of the evaluation fails.
#[cfg(feature = "std")]
pub(crate) fn trip(error: LimitError) -> LimitError {
    let _ = BUDGET.try_with(|b| {
        if let Some(mut budget) = b.get() {
            budget.tripped.get_or_insert(error);
            b.set(Some(budget));
        }
    });
    error
}

/// Fails when the evaluation holds, or would hold after allocating `extra`
/// more bytes, more than its memory budget, or is past its deadline.
#[cfg(feature = "std")]
pub fn check(extra: usize) -> Result<(), LimitError> {
    BUDGET
        .try_with(|b| {
            let Some(mut budget) = b.get() else {
                return Ok(());
            };
            if let Some(error) = budget.tripped {
                return Err(error);
            }
            let used = allocated().wrapping_sub(budget.memory_base);
            // Freed memory that was held before the evaluation started wraps.
            let used = if used > isize::MAX as usize { 0 } else { used };
            let mut failed = None;
            if used.saturating_add(extra) > budget.memory_limit {
                failed = Some(LimitError::MemoryLimitExceeded {
                    usage: used.saturating_add(extra) as u64,
                    limit: budget.memory_limit as u64,
                });
            } else if let Some(limit) = budget.time_limit {
                budget.until_clock = budget.until_clock.saturating_sub(1);
                if budget.until_clock == 0 || extra > 0 {
                    budget.until_clock = CHECKS_PER_CLOCK_READ;
                    let now = super::monotonic_now().unwrap_or_default();
                    let elapsed = now.saturating_sub(budget.started);
                    if elapsed > limit {
                        failed = Some(LimitError::TimeLimitExceeded { elapsed, limit });
                    }
                }
            }
            budget.tripped = failed;
            b.set(Some(budget));
            failed.map_or(Ok(()), Err)
        })
        .unwrap_or(Ok(()))
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
