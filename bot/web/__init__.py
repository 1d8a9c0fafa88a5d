"""The web app on port 8080: the practitioners' chat page, in front of the Rasa server."""
