"""The graph that `diagram` draws (diagram_build.py fills it from a synthesized stack, diagram_render.py renders it):
nodes, edges, groups. Each node and group names the Terraform addresses it draws, so a test can hold the picture
against the stack."""

from __future__ import annotations

from dataclasses import dataclass, field

# Kind -> (fill colour, border colour, DOT shape, Mermaid shape), in the AWS architecture icons' colour families.
STYLES = {
    "client": ("#ECEFF1", "#546E7A", "oval", "stadium"),
    "network": ("#EDE7F6", "#8C4FFF", "box", "box"),
    "compute": ("#FFF3E0", "#ED7100", "box", "box"),
    "security": ("#FDECEA", "#DD344C", "box", "box"),
    "storage": ("#F1F8E9", "#7AA116", "cylinder", "cylinder"),
    "observability": ("#FCE4EC", "#E7157B", "cylinder", "cylinder"),
}


@dataclass(frozen=True)
class Node:
    id: str
    title: str
    lines: tuple[str, ...]
    kind: str
    group: str | None = None
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edge:
    source: str
    target: str  # a node id, or a group id (drawn to the group's box)
    label: str = ""
    style: str = "solid"  # solid | dashed


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    parent: str | None = None
    addresses: tuple[str, ...] = ()


@dataclass
class Diagram:
    name: str
    title: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    def node(
        self,
        id: str,
        title: str,
        *lines: str | None,
        kind: str,
        group: str | None = None,
        addresses: tuple[str, ...] = (),
    ) -> str:
        """Add a node; returns its id, made unique (`id_2`, ...) when two names map to the same id."""
        taken = {node.id for node in self.nodes} | self.group_ids()
        unique, count = id, 1
        while unique in taken:
            count += 1
            unique = f"{id}_{count}"
        self.nodes.append(Node(unique, title, tuple(line for line in lines if line), kind, group, addresses))
        return unique

    def edge(self, source: str, target: str, label: str = "", style: str = "solid") -> None:
        """Add an edge, once: the same arrow found twice (two references, one meaning) is drawn once."""
        edge = Edge(source, target, label, style)
        if source != target and edge not in self.edges:
            self.edges.append(edge)

    def group_ids(self) -> set[str]:
        return {group.id for group in self.groups}
