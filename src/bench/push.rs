//! Section 5, Push overhead: handoff creation → request received by a local test push
//! endpoint. Web Push is not part of this build yet.

use super::report::Report;

pub fn run(r: &mut Report) {
    r.section("5. push overhead");
    r.skipped(
        "handoff created → push received (goal p99 < 100 ms)",
        "not measured: Web Push not merged yet",
    );
}
