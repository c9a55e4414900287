//! Shared setup for the criterion benchmarks in `benches/`, and the
//! `peerbench` entry of the side-by-side benchmark against peers, and the
//! instruction-count workloads of `.ci/instruction_counts.sh`.

pub mod icount;
pub mod peerbench;

use std::time::Duration;

use criterion::Criterion;

/// The criterion configuration every bench uses: short runs (2 s of
/// measurement, 0.5 s warm-up, 30 samples) so `cargo bench` over the whole
/// workspace stays quick on a 2-core machine; ratios between side-by-side
/// benches are what the README reports.
pub fn quick() -> Criterion {
    Criterion::default()
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
        .sample_size(30)
}
