"""Article text: sentence splitting, quote folding and W3C-style quote anchors. Standard library only."""
