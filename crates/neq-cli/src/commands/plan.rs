//! `neq plan FILE`: the dataflow graph as text or Graphviz DOT.

use std::path::Path;

use neq_core::Registry;

use crate::EXIT_OK;

/// Prints the plan of a valid pipeline.
pub fn plan(file: &Path, dot: bool, overrides: Vec<(String, String)>, registry: &Registry) -> u8 {
    let (pipeline, _) = match super::load_pipeline(file, overrides, registry) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let plan = neq_engine::plan(&pipeline);
    if dot {
        println!("{}", plan.to_dot());
    } else {
        print!("{}", plan.to_text());
    }
    EXIT_OK
}
