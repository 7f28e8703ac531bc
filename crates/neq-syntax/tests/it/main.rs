//! Behaviour of the parser as a user sees it: diagnostics for broken files, the structure of
//! a realistic pipeline, and the parse/print round trip.

mod errors;
mod pipeline;
mod roundtrip;
