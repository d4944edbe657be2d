"""The pages of investment promotion, one module each: teams and activities, leads, the
pipeline board, and the figures."""
