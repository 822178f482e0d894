"""User HTML keeps its formatting and loses everything that could run or load anything."""

import pytest

from core.sanitize import clean_html, plain_text


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ('<p onclick="steal()" onmouseover="x()">Hi</p>', "<p>Hi</p>"),
        ('<img src="x" onerror="steal()">', ""),
        (
            '<a href="javascript:alert(1)">link</a>',
            '<a rel="noopener noreferrer nofollow">link</a>',
        ),
        (
            '<a href="JaVaScRiPt:alert(1)">link</a>',
            '<a rel="noopener noreferrer nofollow">link</a>',
        ),
        ('<p style="background:url(https://evil.example/x)">Hi</p>', "<p>Hi</p>"),
        ("<style>body{display:none}</style><p>Hi</p>", "<p>Hi</p>"),
        ('<iframe src="https://evil.example"></iframe><p>Hi</p>', "<p>Hi</p>"),
        ('<object data="x.swf"></object><embed src="x.swf">', ""),
        ('<form action="https://evil.example"><input name="q"></form>', ""),
        ("<p>Hi<!-- hidden --></p>", "<p>Hi</p>"),
        ('<svg onload="alert(1)"><circle r="1"/></svg>', ""),
    ],
)
def test_dangerous_markup_is_removed(dirty, clean):
    assert clean_html(dirty) == clean


def test_allowed_formatting_is_kept():
    html = (
        "<h3>Reflection</h3><p><strong>Bold</strong>, <em>italic</em> and <code>code</code>.</p>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>quote</blockquote>"
    )

    assert clean_html(html) == html


def test_links_keep_a_safe_href_and_are_marked_nofollow():
    assert clean_html('<a href="https://example.org/x" title="See">see</a>') == (
        '<a href="https://example.org/x" title="See" rel="noopener noreferrer nofollow">see</a>'
    )
    assert clean_html('<a href="mailto:a@example.org">mail</a>') == (
        '<a href="mailto:a@example.org" rel="noopener noreferrer nofollow">mail</a>'
    )


def test_empty_input_gives_an_empty_string():
    assert clean_html(None) == ""
    assert clean_html("") == ""
    assert plain_text(None) == ""


def test_plain_text_drops_all_markup_and_keeps_entities_escaped():
    assert plain_text("<p>Fish &amp; <b>chips</b><script>x()</script></p>") == "Fish &amp; chips"
    assert plain_text("1 < 2") == "1 &lt; 2"
