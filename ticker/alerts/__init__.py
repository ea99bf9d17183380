"""Alert rules: where they come from (:mod:`.rules`), when they fire (:mod:`.evaluate`)
and how a firing reaches the user (:mod:`.deliver`)."""
