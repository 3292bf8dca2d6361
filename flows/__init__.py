"""The user-level verbs, composed from page objects: each reads the state, acts (or, in a
dry run, walks to the last confirmation and backs out), reloads and verifies."""
