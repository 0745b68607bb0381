"""Previews of links to other entries: what a cross-link (``a.xref``) shows on hover, focus or tap."""
