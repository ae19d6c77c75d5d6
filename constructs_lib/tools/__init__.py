"""What works beside synthesis: cost, diff, diagram, guard, prerequisites, schema (pure Python where possible)."""
