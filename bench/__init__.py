"""`make bench`: compare this assistant with Rasa's own starter bot under the same load."""
