"""rasa-sdk custom actions; each module is thin and calls into the bot package."""
