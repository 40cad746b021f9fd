//! Golden before/after files and unit tests of the editor.
