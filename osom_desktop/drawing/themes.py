"""How a Wardley map looks: one small frozen ``Theme`` per OWM ``style``.

A theme holds colours as CSS-like strings (``"#rrggbb"`` or ``"#rrggbbaa"``), font
families and stroke widths, not Qt objects: it stays hashable, comparable and cheap
to pass around, and the scene turns it into pens, brushes and fonts once
(``map_items.Paints``) instead of on every paint.

Colours follow OnlineWardleyMaps' own style sheets (``plain``, ``wardley``,
``colour``, ``handwritten``, ``dark``) so a map looks like what its author drew in
OWM, with two deliberate departures:

- OWM's ``wardley``/``colour``/``handwritten`` styles draw build, buy and outsource
  identically (an accident of how it merges styles); here they always differ, since a
  reader must tell them apart.
- ``dark`` uses softer link and text greys than OWM's pure white so labels stay
  readable where lines cross them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Families tried in order for the handwritten style; the first one installed wins,
# otherwise the theme's italic fallback is used (Debian: fonts-comic-neue adds one).
HANDWRITTEN_FAMILIES = (
    "Gloria Hallelujah",
    "Patrick Hand",
    "Architects Daughter",
    "Comic Neue",
    "Comic Sans MS",
    "Humor Sans",
    "xkcd Script",
)


@dataclass(frozen=True, slots=True)
class AreaColours:
    """A pioneers / settlers / town-planners box: outline and translucent fill."""

    stroke: str
    fill: str
    fill_opacity: float = 0.4
    stroke_opacity: float = 0.7


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    # Page and axes
    background: str = "#ffffff"
    # (offset, colour) stops of a left-to-right gradient over the map area, or ().
    map_gradient: tuple[tuple[float, str], ...] = ()
    axis: str = "#000000"
    axis_width: float = 1.0
    stage_line: str = "#000000"
    grid_text: str = "#000000"
    title_text: str = "#000000"
    show_uncharted: bool = False  # "Uncharted" / "Industrialised" corner captions
    # Fonts: families in order of preference; the first installed one is used.
    font_families: tuple[str, ...] = ("Helvetica Neue", "Helvetica", "Arial", "DejaVu Sans")
    italic_fallback: bool = False  # no preferred family installed -> use italic
    font_size: float = 13.0
    # Components
    component_fill: str = "#ffffff"
    component_stroke: str = "#000000"
    component_width: float = 1.0
    component_radius: float = 5.0
    component_text: str = "#000000"
    anchor_text: str = "#000000"
    submap_fill: str = "#000000"
    evolved: str = "#ff0000"
    evolved_fill: str = "#ffffff"
    evolved_text: str = "#ff0000"
    inertia: str = "#000000"
    # Methods: (fill, stroke)
    build: tuple[str, str] = ("#d6d6d6", "#000000")
    buy: tuple[str, str] = ("#aaa5a9", "#d6d6d6")
    outsource: tuple[str, str] = ("#444444", "#444444")
    market_stroke: str = "#ff0000"
    market_fill: str = "#ffffff"
    market_motif: str = "#000000"
    ecosystem_fill: str = "#d7d7d7"
    ecosystem_ring: str = "#9e9b9e"
    ecosystem_hatch: str = "#80808080"
    # Links and flows
    link: str = "#808080"
    link_width: float = 1.0
    flow: str = "#99c5ee9e"
    flow_width: float = 10.0
    flow_text: str = "#03a9f4"
    context_text: str = "#404040"
    # Pipelines
    pipeline_stroke: str = "#000000"
    pipeline_fill: str = "#ffffff00"
    # Notes and annotations
    note_text: str = "#000000"
    annotation_stroke: str = "#595959"
    annotation_fill: str = "#ffffff"
    annotation_text: str = "#000000"
    legend_stroke: str = "#595959"
    legend_fill: str = "#ffffff"
    legend_text: str = "#000000"
    # Pioneer / settler / town-planner areas
    pioneers: AreaColours = AreaColours("#3490dd", "#3ccaf8")
    settlers: AreaColours = AreaColours("#396dc0", "#599afa")
    townplanners: AreaColours = AreaColours("#4768c8", "#936ff9")
    # Accelerators: arrow gradient from light to dark, outline
    accelerator_light: str = "#ffffff"
    accelerator_dark: str = "#8c8995"
    accelerator_stroke: str = "#000000"
    accelerator_text: str = "#000000"
    # Ours: a component provided by another service
    provided: str = "#00838f"
    # Selection highlight (drawn by items; the interaction layer selects)
    selection: str = "#2196f3"


PLAIN = Theme(name="plain")

WARDLEY = replace(
    PLAIN,
    name="wardley",
    map_gradient=((0.0, "#c4c4c4"), (0.3, "#ffffff"), (0.7, "#ffffff"), (1.0, "#c4c4c4")),
    stage_line="#b8b8b8",
    show_uncharted=True,
    font_families=("Consolas", "Lucida Console", "DejaVu Sans Mono", "Monospace"),
)

COLOUR = replace(
    PLAIN,
    name="colour",
    axis="#c23667",
    axis_width=3.0,
    stage_line="#b8b8b8",
    component_stroke="#8cb358",
    component_width=2.0,
    component_radius=7.0,
    component_text="#486b1a",
    submap_fill="#8cb358",
    evolved="#ea7f5b",
    evolved_text="#ea7f5b",
    link="#5c5c5c",
    pipeline_stroke="#8cb358",
    annotation_stroke="#015fa5",
    annotation_fill="#99c5ee",
    legend_stroke="#015fa5",
    legend_fill="#99c5ee",
)

HANDWRITTEN = replace(
    PLAIN,
    name="handwritten",
    font_families=HANDWRITTEN_FAMILIES,
    italic_fallback=True,
)

DARK = replace(
    PLAIN,
    name="dark",
    background="#353347",
    axis="#ffffff",
    stage_line="#ffffffb0",
    grid_text="#ffffffcc",
    title_text="#ffffff",
    component_fill="#353347",
    component_stroke="#ffffff",
    component_text="#ffffffdd",
    anchor_text="#ffffff",
    submap_fill="#ffffff",
    evolved="#90caf9",
    evolved_fill="#353347",
    evolved_text="#90caf9",
    inertia="#ffffff",
    build=("#d6d6d6", "#000000"),
    buy=("#aaa5a9", "#d6d6d6"),
    outsource=("#6a6a6a", "#d6d6d6"),
    market_stroke="#90caf9",
    market_fill="#353347",
    market_motif="#ffffff",
    ecosystem_fill="#5b5870",
    ecosystem_ring="#b0adc0",
    ecosystem_hatch="#ffffff60",
    link="#c8c6d4",
    flow_text="#4fc3f7",
    context_text="#d8d6e4",
    pipeline_stroke="#ffffff",
    note_text="#ffffffdd",
    # The annotations' circles and their box dark like the page, their text light: a
    # white box was the one bright thing on a dark map (and its black text the only dark).
    annotation_stroke="#c8c6d4",
    annotation_fill="#353347",
    annotation_text="#ffffffdd",
    legend_stroke="#c8c6d4",
    legend_fill="#353347e6",
    legend_text="#ffffffdd",
    accelerator_light="#ffffff",
    accelerator_dark="#6d6a80",
    accelerator_stroke="#ffffff",
    accelerator_text="#ffffffdd",
    provided="#4dd0e1",
    selection="#90caf9",
)

THEMES: dict[str, Theme] = {t.name: t for t in (PLAIN, WARDLEY, COLOUR, HANDWRITTEN, DARK)}
DEFAULT_STYLE = "plain"


def theme_for(style: str | None) -> Theme:
    """The theme a map's ``style`` line asks for; unknown or missing styles get plain.

    OWM draws a map with no ``style`` line (or one it does not know) plainly, so we do
    too rather than refuse: the text came from someone else's editor.
    """
    if not style:
        return THEMES[DEFAULT_STYLE]
    return THEMES.get(style.strip().lower(), THEMES[DEFAULT_STYLE])
