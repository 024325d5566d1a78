"""Pictures: the network and the map of the example and of a generated dataset of ~1,000 region pairs.

SVGs are read as XML with a parser that refuses any DOCTYPE or entity declaration; PNGs by their
signature and header.
"""

from __future__ import annotations

import importlib.util
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from xml.parsers import expat

import pytest

from coopkg import pictures
from coopkg.cli import main
from coopkg.errors import CoopkgError
from coopkg.ingest import load
from coopkg.pictures.graph import fetch
from coopkg.pictures.places import points
from coopkg.reference import Reference
from coopkg.store import Store

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BENCH = Path(__file__).resolve().parents[1] / "bench"
LIAONING = "https://w3id.org/coopkg/id/region/cn/210000"
DASH = "\u2013"  # an en dash: the mark of a link without direction


def parse_svg(data: bytes) -> ET.Element:
    """The SVG as XML, read by expat: a DOCTYPE or an entity declaration is refused, never expanded."""

    def refuse(*_: object) -> None:
        raise AssertionError("the SVG declares a DOCTYPE or an entity")

    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda tag, attributes: builder.start(
        "{" + tag if "}" in tag else tag, {("{" + k if "}" in k else k): v for k, v in attributes.items()}
    )
    parser.EndElementHandler = lambda tag: builder.end("{" + tag if "}" in tag else tag)
    parser.CharacterDataHandler = builder.data
    parser.Parse(data, True)
    root = builder.close()
    assert root.tag == f"{SVG}svg"
    return root


def groups(root: ET.Element, prefix: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith(prefix)]


def group(root: ET.Element, gid: str) -> ET.Element:
    (found,) = [g for g in root.iter(f"{SVG}g") if g.get("id") == gid]
    return found


def title(element: ET.Element) -> str:
    found = element.find(f"{SVG}title")
    assert found is not None and found.text
    return found.text


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# --- the example ---------------------------------------------------------------------------------


def test_the_network_of_the_example(example_store: Store, reference: Reference) -> None:
    root = parse_svg(pictures.network(example_store, reference=reference))
    links, regions = groups(root, "link-"), groups(root, "region-")
    assert len(links) == 2  # the mechanism and the agreement, each an edge
    assert len(regions) == 2
    assert {"Liaoning", "Nagqu"} <= set(texts(root))
    assert "tourism" in texts(root)  # the legend names the area of both links
    agreement, mechanism = sorted(title(g) for g in links)  # the dash sorts before the arrow
    name = f"Liaoning{DASH}Nagqu cooperation mechanism for tourism aid to Tibet"
    assert mechanism == f"Liaoning 辽宁省 → Nagqu 那曲市: {name} (mechanism; tourism)"
    assert agreement.startswith(f"Liaoning 辽宁省 {DASH} Nagqu 那曲市: Agreement of Liaoning and Nagqu")
    # the aid mechanism has an arrowhead (a second, closed path); the agreement is a line
    paths = {title(g).split(":")[0]: len(g.findall(f"{SVG}path")) for g in links}
    assert paths == {"Liaoning 辽宁省 → Nagqu 那曲市": 2, f"Liaoning 辽宁省 {DASH} Nagqu 那曲市": 1}
    assert sorted(title(g) for g in regions) == ["Liaoning 辽宁省: 2 links", "Nagqu 那曲市: 2 links"]


def test_the_map_of_the_example(example_store: Store, reference: Reference) -> None:
    root = parse_svg(pictures.map(example_store, reference=reference))
    (flow,) = groups(root, "link-")  # only the aid mechanism is a flow
    assert title(flow).startswith("Liaoning 辽宁省 → Nagqu 那曲市")
    assert len(groups(root, "region-")) == 2
    words = texts(root)
    assert {"Liaoning", "Nagqu", "aid flows", "tourism"} <= set(words)
    assert any("Vonng/adcode (CC BY 4.0)" in w for w in words)  # the points' credit
    # every division of China is a faint dot behind the flows
    assert len(group(root, "divisions").findall(f".//{SVG}use")) == len(points()) == 367


@pytest.mark.parametrize("picture", ["network", "map"])
def test_png_pictures_have_a_fixed_size(picture: str, example_store: Store, reference: Reference) -> None:
    data = getattr(pictures, picture)(example_store, format="png", reference=reference)
    assert png_size(data) == (1000, 750)


@pytest.mark.parametrize("picture", ["network", "map"])
@pytest.mark.parametrize("format", ["svg", "png"])
def test_the_same_graph_gives_the_same_bytes(
    picture: str, format: str, example_store: Store, reference: Reference
) -> None:
    draw = getattr(pictures, picture)
    first = draw(example_store, format=format, reference=reference)
    assert draw(example_store, format=format, reference=reference) == first
    assert b"Matplotlib" not in first  # no version in the metadata
    if format == "svg":
        assert b"<dc:date>" not in first and b"<!DOCTYPE" not in first


@pytest.mark.parametrize(
    "name", ["Nagchu", "那曲市", "540600", "https://w3id.org/coopkg/id/region/cn/540600"]
)
def test_a_region_by_any_name_code_or_iri(name: str, example_store: Store, reference: Reference) -> None:
    assert pictures.network(example_store, region=name, reference=reference) == pictures.network(
        example_store, region="Nagqu", reference=reference
    )


def test_a_region_without_links_says_so(example_store: Store, reference: Reference) -> None:
    root = parse_svg(pictures.network(example_store, region="Beijing", reference=reference))
    assert groups(root, "link-") == [] and groups(root, "region-") == []
    assert "no mechanisms or agreements of Beijing" in texts(root)
    root = parse_svg(pictures.map(example_store, region="Beijing", reference=reference))
    assert "no aid flows from or to Beijing" in texts(root)
    assert len(groups(root, "region-")) == 1  # Beijing itself, in red


def test_unknown_regions_and_formats_are_errors(example_store: Store, reference: Reference) -> None:
    with pytest.raises(CoopkgError, match="unknown region 'Atlantis'"):
        pictures.network(example_store, region="Atlantis", reference=reference)
    with pytest.raises(CoopkgError, match="unknown picture format 'gif'"):
        pictures.map(example_store, format="gif", reference=reference)


def test_the_plot_command(tmp_path: Path, example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    assert main(["load", str(example), "--store", str(store)]) == 0
    png, svg = tmp_path / "map.png", tmp_path / "network.svg"
    assert main(["plot", "map", "--region", "Liaoning", "--store", str(store), "-o", str(png)]) == 0
    assert png_size(png.read_bytes()) == (1000, 750)  # the format follows the file's suffix
    assert main(["plot", "network", "--store", str(store), "--output", str(svg)]) == 0
    assert len(groups(parse_svg(svg.read_bytes()), "link-")) == 2
    assert "wrote the network (SVG" in capsys.readouterr().out
    forced = tmp_path / "picture"
    assert main(["plot", "network", "--format", "png", "--store", str(store), "-o", str(forced)]) == 0
    assert forced.read_bytes()[:8] == PNG_SIGNATURE
    assert main(["plot", "map", "--region", "Atlantis", "--store", str(store), "-o", str(png)]) == 2
    assert main(["plot", "map", "--store", str(store), "-o", str(tmp_path / "no" / "map.svg")]) == 2
    assert "there is no folder" in capsys.readouterr().err


def test_matplotlib_missing_is_a_message(
    example_store: Store, reference: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    with pytest.raises(CoopkgError, match=r"pip install 'coopkg\[plot\]'"):
        pictures.network(example_store, reference=reference)


# --- a generated dataset of about 1,000 region pairs ---------------------------------------------


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("coopkg_bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, reference: Reference) -> Store:
    generator = _generator()
    folder = tmp_path_factory.mktemp("generated") / "generated-1k-pairs"
    generator.generate(generator.records_for_pairs(1000), folder, seed=7)
    store = Store()
    load(folder, store, reference)
    return store


def test_a_thousand_region_pairs(generated: Store, reference: Reference) -> None:
    graph = fetch(generated, reference)
    pairs = {tuple(sorted((link.source, link.target))) for link in graph.links}
    assert 950 <= len(pairs) <= 1000
    flows = [link for link in graph.links if link.directed]
    # the network: every link a line in one layer, every aid flow a head
    root = parse_svg(pictures.network(generated, reference=reference))
    assert len(group(root, "links").findall(f"{SVG}path")) == len(graph.links) == 2000
    assert len(group(root, "aid-heads").findall(f"{SVG}path")) == len(flows)
    assert len(group(root, "regions").findall(f"{SVG}path")) == len(graph.regions)
    # the map: the aid flows between regions at their places
    root = parse_svg(pictures.map(generated, reference=reference))
    assert len(group(root, "links").findall(f"{SVG}path")) == len(flows)
    for picture in (pictures.network, pictures.map):
        assert png_size(picture(generated, format="png", reference=reference)) == (1000, 750)


def test_one_region_of_the_generated_dataset(generated: Store, reference: Reference) -> None:
    graph = fetch(generated, reference, region="Liaoning")
    assert graph.links and all(LIAONING in (link.source, link.target) for link in graph.links)
    root = parse_svg(pictures.network(generated, region="Liaoning", reference=reference))
    assert len(groups(root, "link-")) == len(graph.links)
    assert "Cooperation network of Liaoning" in texts(root)
