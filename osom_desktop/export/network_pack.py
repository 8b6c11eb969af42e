"""The executive pack of a folder: the network as a whole, then each service's pack.

::

    net = load_network("services/")
    pack = build_network_pack(net, "services/")
    write_pack_html(pack, "network.html")   # same writers as the service pack
    write_pack_pdf(pack, "network.pdf")
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from osom_desktop.analysis.directory import (
    ServiceDirectory,
    ServiceSummary,
    normalise_name,
)
from osom_desktop.analysis.governance import network_governance
from osom_desktop.analysis.network import Network, network_findings, service_rows
from osom_desktop.export.pack import NetworkFront, NetworkNode, Pack, build_section
from osom_desktop.model.text_safety import scrubbed


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return path.name


def network_front(net: Network, folder: str | os.PathLike[str], today: dt.date) -> NetworkFront:
    folder = Path(folder)
    nodes = []
    for node, data in net.graph.nodes(data=True):
        nodes.append(NetworkNode(
            id=node, name=data["name"], lifecycle=net.lifecycle(node),
            evolution=data.get("evolution_stage"), external=bool(data["external"]),
        ))
    nodes.sort(key=lambda n: (normalise_name(n.name), n.id))
    edges = sorted((a, b) for a, b in net.graph.edges())
    return scrubbed(NetworkFront(  # texts made safe for HTML, SVG, PDF (model.text_safety)
        folder=folder.resolve().name or str(folder),
        services=len(net.documents),
        dependencies=net.graph.number_of_edges(),
        rows=service_rows(net, today),
        findings=network_findings(net, today),
        unreadable=[(_relative(p, folder), r) for p, r in [*net.unreadable, *net.duplicate_ids]],
        nodes=nodes,
        edges=edges,
        governance=network_governance(((d.service.name, d) for d in net.documents.values()), today).as_json(),
    ))


def build_network_pack(net: Network, folder: str | os.PathLike[str], today: dt.date | None = None) -> Pack:
    """One pack: the network front matter, then every service's section (by name)."""
    today = dt.date.today() if today is None else today
    directory = ServiceDirectory(services=[ServiceSummary.of(net.documents[s], net.paths[s]) for s in net.services()])
    sections = [
        build_section(net.documents[sid], source_path=net.paths[sid], directory=directory, today=today)
        for sid in net.services()
    ]
    front = network_front(net, folder, today)
    return Pack(title=f"{front.folder} — executive pack", generated_on=today, services=sections, network=front)
