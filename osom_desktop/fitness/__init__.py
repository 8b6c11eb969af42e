"""Fitness data: measures over time, budgets, and roll-ups across the network.

Headless (no Qt): CSV values in and out, overdue and spend sums, roll-ups from
``rollups.toml``, and the charts, drawn by matplotlib's Agg/SVG/PDF backends so the
app, the HTML pack and the PDF pack show one picture.
"""
