//! Behaviour of the Fokker–Planck solver against analytic solutions, independent ODE
//! solutions, conserved quantities and grid refinement.

mod potentials;
mod support;

mod api;
mod breathing;
mod dragged;
mod plane;
mod prinz;
mod properties;
