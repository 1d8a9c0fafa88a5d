"""Training mode: scenario quizzes (content in data/scenarios/) and class results for trainers."""
