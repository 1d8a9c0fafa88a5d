"""The dashboard's request handlers: pages.py, classes.py, exports.py, login.py, and common.py, what they share."""
