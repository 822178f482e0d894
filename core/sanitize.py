"""The one place user HTML is cleaned (nh3, an explicit allow-list).

bleach is no longer maintained, not even for security fixes; nh3 (Rust's ammonia) is.
Everything users write as rich text — reflections, feedback, descriptions — passes through
`clean_html` before it is stored, and `plain_text` where only text is wanted.
"""

import nh3

# fmt: off
ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "s", "blockquote", "code", "pre",
        "ul", "ol", "li", "h3", "h4", "a", "span", "sub", "sup", "hr",
    }
)
# fmt: on
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_html(value: str | None) -> str:
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(value: str | None) -> str:
    """All markup removed; entities kept escaped so the result is safe in HTML too."""
    if not value:
        return ""
    return nh3.clean(value, tags=set(), attributes={}).strip()
