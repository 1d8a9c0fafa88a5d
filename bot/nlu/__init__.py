"""NLU helpers: safeguarding vocabulary, the project's spaCy pipeline, custom Rasa components."""
