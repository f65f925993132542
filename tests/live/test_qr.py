from __future__ import annotations

import segno

from courseware.live.qr import qr_svg


def test_the_qr_code_is_inline_svg_with_a_label_and_black_on_white():
    svg = qr_svg("https://courses.example/live/ABC234/")
    assert svg.startswith('<svg role="img" aria-label="QR code of the join link" viewBox="0 0 ')
    assert 'stroke="#000"' in svg and 'fill="#fff"' in svg
    assert "<?xml" not in svg and "<script" not in svg


def test_the_qr_code_encodes_the_join_url():
    url = "https://courses.example/live/ABC234/"
    size = segno.make(url, error="m").symbol_size(scale=1, border=2)[0]
    assert f'viewBox="0 0 {size} {size}"' in qr_svg(url)
    assert qr_svg(url) is qr_svg(url)  # cached per URL
