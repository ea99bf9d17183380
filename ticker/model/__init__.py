"""Pure values and decisions (no I/O): pairs, health, freshness, routing, rules, records."""
