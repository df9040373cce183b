"""Every write to a workshop: one module per area, each write ending in ``events.record``."""
