"""Missing-children protocol assistant: content, NLU helpers and command line."""
