"""Content packs: national answers (data/topics) filled with one partnership's local values."""
