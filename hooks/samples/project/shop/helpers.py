"""A module of the sample project: its name is the project's own."""
