//! Shared vocabulary of neq: plugin traits, the registry, values, frames and tables.

pub mod table;
