"""Article text: sentence splitting, quote folding and W3C-style quote anchors, and reading the
text files a user names, within bounds. Standard library only."""
