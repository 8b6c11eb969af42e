"""Documents for storage tests and the storage benchmark.

``rich_document`` fills every field of every model at least once (unicode, multi-line
text, every map element kind, None next to empty strings) so a round trip that drops
or mangles anything shows up as inequality. ``large_document`` generates a seeded
service of any size for the kill test and ``bench/bench_storage.py``.
"""

from __future__ import annotations

import datetime as dt
import random

from osom_desktop.model import (
    Accelerator,
    AcceleratorKind,
    Annotation,
    Area,
    AreaKind,
    Assessment,
    AssessmentKind,
    AssessmentOutcome,
    Component,
    ComponentKind,
    Contract,
    ContractChange,
    DecisionStatus,
    Dependency,
    EvolutionStage,
    Evolve,
    FlowDirection,
    GuidanceDecision,
    GuidanceItem,
    LifecycleStage,
    Link,
    Measure,
    MeasureDirection,
    Method,
    Note,
    Offset,
    Pipeline,
    RawKind,
    RawLine,
    RecordedValue,
    Revision,
    Service,
    ServiceDocument,
    ServiceRef,
    Url,
    WardleyMap,
)

UTC = dt.UTC


def rich_map() -> WardleyMap:
    """A map using every element kind and every optional field."""
    components = [
        Component(id="c-user", name="Résident 👩‍💻", kind=ComponentKind.ANCHOR, visibility=0.95, evolution=0.63),
        Component(
            id="c-kettle",
            name="Kettle",
            visibility=0.43,
            evolution=0.35,
            label=Offset(dx=-57.5, dy=4),
            method=Method.BUILD,
            inertia=True,
            market=True,
            ecosystem=True,
            evolve=Evolve(
                evolution=0.62,
                name="Electric Kettle",
                label=Offset(dx=16, dy=5.25),
                method=Method.BUY,
                market=True,
                ecosystem=True,
            ),
            description="Boils water.\nSecond line, with “quotes” and 'apostrophes'; DROP TABLE components;--",
            provided_by=ServiceRef(name="Appliances", service_id="svc-appliances"),
        ),
        Component(
            id="c-power",
            name="Power",
            visibility=0.1,
            evolution=0.7,
            method=Method.OUTSOURCE,
            evolve=Evolve(evolution=0.89),
            provided_by=ServiceRef(name="Grid (no file yet)"),
        ),
        Component(
            id="c-sub",
            name="Payments submap",
            kind=ComponentKind.SUBMAP,
            visibility=0.5,
            evolution=0.55,
            url_ref="payments",
            description="",
            provided_by=ServiceRef(name=""),
        ),
        Component(id="c-pipe", name="Cup", visibility=0.73, evolution=0.2),
        Component(id="c-child1", name="Paper cup", evolution=0.3, pipeline_id="p-block"),
        Component(id="c-child2", name="Ceramic cup", visibility=-0.2, evolution=1.7, pipeline_id="p-block", url_ref=""),
        Component(id="c-blank", name=" ", kind=ComponentKind.COMPONENT, visibility=0.0, evolution=0.0),
    ]
    links = [
        Link(id="l1", source="c-user", target="c-kettle"),
        Link(id="l2", source="c-kettle", target="c-power", context="limited by\nsupply", flow=FlowDirection.FORWARD),
        Link(id="l3", source="c-kettle", target="c-power", flow=FlowDirection.BACKWARD, flow_value="$0.10"),
        Link(id="l4", source="c-user", target="c-kettle", flow=FlowDirection.BOTH, flow_value="", context="", target_evolved=True),
        Link(id="l5", source="c-kettle", target="c-sub", source_evolved=True),
    ]
    return WardleyMap(
        title="Tea shop — ☕ «map»",
        evolution_labels=["Unexplored", "Diverging", "Converging", "Accepted\nwidely"],
        style="wardley",
        annotations_legend=(0.23, 0.71),
        components=components,
        links=links,
        pipelines=[
            Pipeline(id="p-legacy", component_id="c-kettle", start=0.15, end=0.65),
            Pipeline(id="p-block", component_id="c-pipe", start=0.1, end=0.9, block=True),
            Pipeline(id="p-open", component_id="c-power"),
        ],
        notes=[
            Note(id="n1", text="+a generic note\nwith two lines", visibility=0.23, evolution=0.33),
            Note(id="n2", text="", visibility=1.5, evolution=-0.1),
        ],
        annotations=[
            Annotation(id="a1", number=1, points=[(0.48, 0.85), (0.15, 0.65), (0.33, 0.2)], text="Standardising power"),
            Annotation(id="a2", number=2, points=[(0.5, 0.5)], text="Hot water\n≠ tea"),
            Annotation(id="a3", number=3, points=[], text=""),
        ],
        areas=[
            Area(id="ar1", kind=AreaKind.PIONEERS, top=0.9, left=0.1, bottom=0.6, right=0.3),
            Area(id="ar2", kind=AreaKind.SETTLERS, top=0.5, left=0.4, bottom=0.3, right=0.6),
            Area(id="ar3", kind=AreaKind.TOWNPLANNERS, top=0.4, left=0.7, bottom=0.1, right=0.95),
        ],
        accelerators=[
            Accelerator(id="acc1", kind=AcceleratorKind.ACCELERATOR, name="Cloud", visibility=0.2, evolution=0.6),
            Accelerator(id="acc2", kind=AcceleratorKind.DEACCELERATOR, name="Regulation", visibility=0.3, evolution=0.4),
        ],
        urls=[Url(id="u1", name="payments", url="https://example.org/maps/payments?x=1&y=ü")],
        raw_lines=[
            RawLine(id="r1", text="", kind=RawKind.BLANK),
            RawLine(id="r2", text="// a comment — kept", kind=RawKind.COMMENT),
            RawLine(id="r3", text="frobnicate Kettle [0.1, 0.2]"),
        ],
        layout=[
            "title",
            "r2",
            "evolution",
            "style",
            "c-user",
            "c-kettle",
            "c-kettle#evolve",
            "r1",
            "l1",
            "l2",
            "gone-element",
            "annotations",
            "a1",
            "r3",
        ],
    )


def rich_document() -> ServiceDocument:
    """A document with every field of every model filled."""
    return ServiceDocument(
        service=Service(id="svc-tea", name="Tea for 🫖 everyone", manager="Åsa Ñúñez", lifecycle=LifecycleStage.BETA),
        contract=Contract(
            purpose="Serve tea.\n\nTo everyone, \"quickly\".",
            user_needs=["Hot tea", "Cold tea?\nNo.", "日本茶"],
            evolution_stage=EvolutionStage.PRODUCT,
            usage="Walk in; or order via the app (API: /v1/tea).",
            expectations_success="Tea within 3 min, 99% of the time.",
            expectations_failure="Refund\tand apology.",
            measures=[
                Measure(
                    id="m1",
                    name="Time to tea",
                    unit="s",
                    target=180.0,
                    direction=MeasureDirection.LOWER_IS_BETTER,
                    values=[
                        RecordedValue(date=dt.date(2024, 1, 31), value=190.5, note="January\nbusy"),
                        RecordedValue(date=dt.date(2024, 2, 29), value=175.0),
                    ],
                ),
                Measure(id="m2", name="Satisfaction", direction=MeasureDirection.ON_TARGET),
                Measure(id="m3", name="Cups", unit="cups/day", target=-0.0, direction=MeasureDirection.HIGHER_IS_BETTER),
            ],
            help="Ring the bell 🔔 or mail tea-help@example.org",
            dependencies=[
                Dependency(id="d1", service_name="Appliances", service_id="svc-appliances", description="Kettles."),
                Dependency(id="d2", service_name="Water board"),
            ],
        ),
        map=rich_map(),
        decisions=[
            GuidanceDecision(
                id="g1",
                guidance=GuidanceItem(
                    id="GDS-12",
                    version="3.1",
                    title="Use the shared kettle service",
                    text="All services must…\n– use shared kettles",
                    source="https://example.org/guidance/12",
                    published=dt.date(2023, 6, 1),
                ),
                status=DecisionStatus.REJECTED,
                reason="Our tea needs 80 °C water.",
                alternative="Own kettles with thermostats.",
                accepted_risk="Higher cost.",
                decided_by="Åsa",
                decided_on=dt.date(2024, 3, 1),
                review_by=dt.date(2025, 3, 1),
            ),
            GuidanceDecision(
                id="g2",
                guidance=GuidanceItem(id="GDS-7", title="Publish an API"),
                status=DecisionStatus.ACCEPTED,
                decided_on=dt.date(2024, 3, 2),
            ),
        ],
        assessments=[
            Assessment(
                id="as1",
                date=dt.date(2024, 4, 1),
                kind=AssessmentKind.TRANSITION,
                from_stage=LifecycleStage.ALPHA,
                to_stage=LifecycleStage.BETA,
                outcome=AssessmentOutcome.MET_WITH_CONDITIONS,
                assessors=["Exec One", "Exec Two", "Ïñtl"],
                notes="Conditions:\n1. measure more",
                map_revision=2,
            ),
            Assessment(id="as2", date=dt.date(2024, 10, 1), kind=AssessmentKind.PERIODIC, outcome=AssessmentOutcome.NOT_MET),
        ],
        contract_changes=[
            ContractChange(id="cc1", date=dt.date(2024, 5, 5), reason="New SLA", summary="3 min → 2 min", author="Åsa"),
            ContractChange(id="cc2", date=dt.date(2024, 5, 6), reason="typo", summary="fixed"),
        ],
        revisions=[
            Revision(number=1, saved_at=dt.datetime(2024, 1, 1, 9, 30, 0, 123456, tzinfo=UTC), author="Åsa", summary="first",
                     fingerprint="0" * 64),
            Revision(number=2, saved_at=dt.datetime(2024, 2, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))), fingerprint="f" * 64),
        ],
    )


def large_map(n_components: int, seed: int = 1) -> WardleyMap:
    """A seeded map with ``n_components`` components and about twice as many links.

    Realistic rather than minimal: names, positions, some labels, methods, evolves,
    descriptions and providing services, so rows are the width real ones are.
    """
    rnd = random.Random(seed)
    components: list[Component] = []
    for i in range(n_components):
        kind = ComponentKind.ANCHOR if i % 200 == 0 else ComponentKind.COMPONENT
        evolve = Evolve(evolution=rnd.random()) if i % 17 == 0 else None
        components.append(
            Component(
                id=f"c{seed}-{i:06d}",
                name=f"Component {i} {rnd.choice(['API', 'Store', 'Queue', 'Portal', 'Auth'])}",
                kind=kind,
                visibility=rnd.random(),
                evolution=rnd.random(),
                label=Offset(dx=rnd.uniform(-20, 20), dy=rnd.uniform(-20, 20)) if i % 3 == 0 else None,
                method=rnd.choice([None, None, Method.BUILD, Method.BUY, Method.OUTSOURCE]),
                inertia=i % 11 == 0,
                evolve=evolve,
                description=f"Description of component {i}." if i % 4 == 0 else "",
                provided_by=ServiceRef(name=f"Service {i % 50}", service_id=f"svc-{i % 50}") if i % 10 == 0 else None,
            )
        )
    links: list[Link] = []
    for j in range(2 * n_components):
        a = rnd.randrange(n_components)
        b = rnd.randrange(n_components)
        links.append(
            Link(
                id=f"l{seed}-{j:06d}",
                source=components[a].id,
                target=components[b].id,
                context="limited by capacity" if j % 25 == 0 else None,
                flow=FlowDirection.FORWARD if j % 30 == 0 else None,
            )
        )
    notes = [Note(id=f"n{seed}-{k}", text=f"Note {k}", visibility=rnd.random(), evolution=rnd.random()) for k in range(n_components // 100)]
    layout = [c.id for c in components] + [lk.id for lk in links] + [n.id for n in notes]
    return WardleyMap(title=f"Generated map {n_components}", components=components, links=links, notes=notes, layout=layout)


def large_document(n_components: int, seed: int = 1) -> ServiceDocument:
    """A service with a contract and a generated map of ``n_components`` components."""
    doc = rich_document()
    doc.revisions = []
    doc.map = large_map(n_components, seed)
    return doc
