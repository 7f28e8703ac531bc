//! Symbolic expressions in space and time.
