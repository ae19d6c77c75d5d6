"""A `Diagram` as Graphviz DOT or as Mermaid: one model, two renderers."""

from __future__ import annotations

import html

from .diagram_model import STYLES, Diagram, Node


def to_dot(diagram: Diagram) -> str:
    """Graphviz DOT: left to right, the ECS cluster and the task as boxes, AWS colour families per kind."""
    groups = diagram.group_ids()
    out = [
        f"digraph {_dot_string(diagram.name)} {{",
        f'  graph [rankdir=TB, compound=true, fontname="Helvetica", fontsize=14, labelloc=t, nodesep=0.35, '
        f"ranksep=0.6, pad=0.3, label={_dot_string(diagram.title)}];",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, margin="0.15,0.06"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#5F6368", fontcolor="#37474F"];',
    ]
    for node in (n for n in diagram.nodes if n.group is None):
        out.append("  " + _dot_node(node))
    out += _dot_groups(diagram, None, "  ")
    first_in = {group: _first_node(diagram, group) for group in groups}
    for edge in diagram.edges:
        attributes = []
        source, target = edge.source, edge.target
        if source in groups:
            attributes.append(f"ltail=cluster_{source}")
            source = first_in[source]
        if target in groups:
            attributes.append(f"lhead=cluster_{target}")
            target = first_in[target]
        if edge.label:
            attributes.append(f"label={_dot_string(edge.label)}")
        if edge.style != "solid":
            attributes.append(f"style={edge.style}")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        out.append(f"  {source} -> {target}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_groups(diagram: Diagram, parent: str | None, indent: str) -> list[str]:
    out = []
    for group in (g for g in diagram.groups if g.parent == parent):
        out.append(f"{indent}subgraph cluster_{group.id} {{")
        out.append(
            f'{indent}  label={_dot_string(group.label)}; style="rounded,dashed"; color="#ED7100"; '
            f'fontname="Helvetica"; fontsize=11; margin=12;'
        )
        out += [f"{indent}  {_dot_node(n)}" for n in diagram.nodes if n.group == group.id]
        out += _dot_groups(diagram, group.id, indent + "  ")
        out.append(f"{indent}}}")
    return out


def _dot_node(node: Node) -> str:
    fill, border, shape, _ = STYLES[node.kind]
    label = f"<B>{html.escape(node.title)}</B>" + "".join(
        f'<BR/><FONT POINT-SIZE="9">{html.escape(line)}</FONT>' for line in node.lines
    )
    return f'{node.id} [label=<{label}>, shape={shape}, fillcolor="{fill}", color="{border}"];'


def _first_node(diagram: Diagram, group: str) -> str:
    for node in diagram.nodes:
        if node.group == group:
            return node.id
    for child in diagram.groups:
        if child.parent == group:
            return _first_node(diagram, child.id)
    raise ValueError(f"group {group!r} has no node")


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_mermaid(diagram: Diagram) -> str:
    """A Mermaid flowchart (GitHub and GitLab render it in Markdown)."""
    out = [f"%% {diagram.title}", "flowchart LR"]
    out += [f"  {_mermaid_node(n)}" for n in diagram.nodes if n.group is None]
    out += _mermaid_groups(diagram, None, "  ")
    arrows = {"solid": "-->", "dashed": "-.->"}
    for edge in diagram.edges:
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        out.append(f"  {edge.source} {arrows[edge.style]}{label} {edge.target}")
    for kind, (fill, border, _, _) in STYLES.items():
        out.append(f"  classDef {kind} fill:{fill},stroke:{border},color:#000")
    for kind in STYLES:
        members = [n.id for n in diagram.nodes if n.kind == kind]
        if members:
            out.append(f"  class {','.join(members)} {kind}")
    return "\n".join(out) + "\n"


def _mermaid_groups(diagram: Diagram, parent: str | None, indent: str) -> list[str]:
    out = []
    for group in (g for g in diagram.groups if g.parent == parent):
        out.append(f'{indent}subgraph {group.id}["{_mermaid_text(group.label)}"]')
        out += [f"{indent}  {_mermaid_node(n)}" for n in diagram.nodes if n.group == group.id]
        out += _mermaid_groups(diagram, group.id, indent + "  ")
        out.append(f"{indent}end")
    return out


def _mermaid_node(node: Node) -> str:
    text = "<br/>".join([f"<b>{_mermaid_text(node.title)}</b>", *(_mermaid_text(line) for line in node.lines)])
    shape = STYLES[node.kind][3]
    opening, closing = {"stadium": ('(["', '"])'), "cylinder": ('[("', '")]'), "box": ('["', '"]')}[shape]
    return f"{node.id}{opening}{text}{closing}"


def _mermaid_text(text: str) -> str:
    """Mermaid entity codes for the characters its label syntax would read."""
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("|", "#124;")
    )
