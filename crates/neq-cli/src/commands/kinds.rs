//! `neq kinds`: every registered kind with its parameters, from the registry.

use neq_core::Registry;

use crate::EXIT_OK;

/// Prints the kinds as text, or the language reference section as Markdown.
pub fn kinds(registry: &Registry, markdown: bool) -> u8 {
    if markdown {
        print!("{}", neq_check::reference_markdown(registry));
    } else {
        print!("{}", neq_check::kinds_text(registry));
    }
    EXIT_OK
}
