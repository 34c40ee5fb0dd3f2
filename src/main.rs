// The engine allocates many small values per document; mimalloc is ~2x
// faster than glibc malloc on this workload. The count per thread bounds an
// evaluation's memory (`--eval-memory`).
#[global_allocator]
static ALLOCATOR: container_policy::memory::Counting<mimalloc::MiMalloc> =
    container_policy::memory::Counting(mimalloc::MiMalloc);

fn main() {
    // Regorus builds error values during normal evaluation; backtraces would
    // make that ~45% slower (see NOTES on regorus traps).
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
    std::process::exit(container_policy::cli::main());
}
