"""Drawing a Wardley map with Qt: the scene, its items and the themes.

Shared by the canvas (views/, which adds interaction) and headless export (export/,
which renders to SVG/PNG/PDF with no window), so both draw exactly the same map.
Qt GUI only: nothing here handles input or owns widgets.
"""
