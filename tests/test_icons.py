"""The app icon: one SVG, and PNG/ICO/ICNS files rendered from it by packaging/render_icons.py."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture(scope="module")
def render_icons():
    script = ROOT / "packaging" / "render_icons.py"
    spec = importlib.util.spec_from_file_location("render_icons", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _image(qapp, data_or_path):
    from PySide6.QtGui import QImage

    image = QImage()
    ok = image.loadFromData(data_or_path) if isinstance(data_or_path, bytes) else image.load(
        str(data_or_path))
    assert ok, f"Qt cannot read {data_or_path if not isinstance(data_or_path, bytes) else 'data'}"
    return image


def test_svg_is_valid_for_qtsvg(qapp):
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "linkwriter.svg"))
    assert renderer.isValid()
    assert renderer.defaultSize().width() == renderer.defaultSize().height() == 512


@pytest.mark.parametrize("size", SIZES)
def test_png_has_its_size_and_a_transparent_corner(qapp, size):
    image = _image(qapp, ICONS / f"linkwriter-{size}.png")
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    assert image.pixelColor(0, 0).alpha() == 0  # rounded tile: the corner stays clear
    assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_pngs_are_rendered_from_the_current_svg(qapp, render_icons):
    """Editing the SVG without re-running render_icons.py leaves stale PNGs: catch it."""
    for size in (32, 256):
        fresh = _image(qapp, render_icons.render_png(ICONS / "linkwriter.svg", size))
        committed = _image(qapp, ICONS / f"linkwriter-{size}.png")
        fresh = fresh.convertToFormat(committed.format())
        diff = sum(
            abs(fresh.pixelColor(x, y).red() - committed.pixelColor(x, y).red())
            + abs(fresh.pixelColor(x, y).green() - committed.pixelColor(x, y).green())
            + abs(fresh.pixelColor(x, y).blue() - committed.pixelColor(x, y).blue())
            + abs(fresh.pixelColor(x, y).alpha() - committed.pixelColor(x, y).alpha())
            for x in range(0, size, max(1, size // 64)) for y in range(0, size, max(1, size // 64))
        )
        samples = len(range(0, size, max(1, size // 64))) ** 2
        assert diff / samples < 4, f"{size}px PNG differs from the SVG: run render_icons.py"


def test_ico_holds_png_entries_up_to_256(qapp, render_icons):
    data = (ICONS / "linkwriter.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1) and count == len(render_icons.ICO_SIZES)
    sizes = []
    for index in range(count):
        width, height, _, _, planes, bpp, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index)
        image = _image(qapp, data[offset:offset + length])
        size = width or 256
        assert (image.width(), image.height()) == (size, height or 256)
        assert (planes, bpp) == (1, 32)
        sizes.append(size)
    assert tuple(sizes) == render_icons.ICO_SIZES


def test_icns_holds_png_elements_for_every_type(qapp, render_icons):
    data = (ICONS / "linkwriter.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    offset, seen = 8, {}
    while offset < len(data):
        code, length = data[offset:offset + 4], struct.unpack_from(">I", data, offset + 4)[0]
        image = _image(qapp, data[offset + 8:offset + length])
        seen[code] = image.width()
        offset += length
    assert offset == len(data)
    assert seen == {code: size for code, size in render_icons.ICNS_TYPES}
