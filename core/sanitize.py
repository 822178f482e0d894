"""The one place user HTML is cleaned (nh3, an explicit allow-list).

bleach is no longer maintained, not even for security fixes; nh3 (Rust's ammonia) is.
Everything users write as rich text — reflections, feedback, descriptions — passes through
`clean_html` before it is stored. `plain_text` answers "is there any text in this HTML?";
its result is escaped, so it is never stored: plain text is stored as typed
(`core.workflow.plain_input`) and escaped once, on output.
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
    """All markup removed; entities kept escaped so the result is safe in HTML too.

    For checks only: storing the result would escape the text twice on output."""
    if not value:
        return ""
    return nh3.clean(value, tags=set(), attributes={}).strip()
