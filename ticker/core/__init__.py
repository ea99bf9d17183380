"""Headless services: the one wiring, collector, scheduler, backfill, rates, alerts, export."""
