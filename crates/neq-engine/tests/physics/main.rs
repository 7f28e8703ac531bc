//! End-to-end physics checks: pipelines go through check and run, their tables are read
//! back from Parquet and compared with closed forms and quadratures computed here,
//! independently of the code under test.

mod common;
mod dragged_trap;
mod equilibrium;
mod initial;
mod threads;
mod tracking;
