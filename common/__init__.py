"""Pieces every app uses and that belong to none of them; it imports no app."""
