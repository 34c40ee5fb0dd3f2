//! Rendering small charts end to end (loading, values, templates, spans).
