"""Every write: single entries and edits, the bundle format, import (one batch pipeline) and export."""
