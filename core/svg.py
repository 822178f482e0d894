"""User SVG, by an allow-list: only known-harmless SVG elements and attributes survive.

`check_svg(data)` is for uploads: it refuses (ValidationFailed, with a message that says
why) an SVG that carries script, event handlers, animation that could rewrite a link or a
style, external references, DOCTYPE/entities or foreign content; it returns the cleaned SVG
(unknown elements and attributes, comments and editor metadata dropped), which is what is
stored. `sanitize_svg(data)` is for output: it silently drops whatever is not allowed, so an
SVG stored before these rules (or a baked one) is served and baked clean; it raises
`UnsafeSvg` only when there is nothing safe to keep (not SVG, not XML, DOCTYPE).

Whatever this module lets through is also served with `SVG_HEADERS` (a sandbox CSP that
forbids script and every fetch but data: images), so a miss here is not a hole.
"""

import base64
import binascii
import io
import re

from django.utils.translation import gettext as _

from .errors import ValidationFailed
from .uploads import GIF, JPEG, PNG, WEBP, check_image_header

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_SVG_BYTES = 1024 * 1024
MAX_SVG_ELEMENTS = 20_000
# What the elements add up to once every <use> is expanded (nested <use> multiplies: ten
# levels of ten make ten billion shapes for the viewer's browser to draw).
MAX_SVG_EXPANDED = 50_000
MAX_EMBEDDED_PIXELS = 16_000_000

# Headers for every response whose body is a user-supplied (or user-derived) SVG.
SVG_HEADERS = {
    "Content-Security-Policy": (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    ),
    "X-Content-Type-Options": "nosniff",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ELEMENTS = _words(
    """svg g defs title desc symbol use path rect circle ellipse line polyline polygon text
    tspan textPath linearGradient radialGradient stop pattern clipPath mask marker image style
    a switch filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
    feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset
    fePointLight feSpecularLighting feSpotLight feTile feTurbulence"""
)
# Elements that run or embed something: their presence refuses an upload.
ACTIVE_ELEMENTS = frozenset(
    {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener", "audio",
     "video", "canvas"}
)  # fmt: skip
# Animation can set any attribute (href to javascript:, style to url(...)) after sanitising:
# never kept. Refused on upload when it targets a link, a style or a handler.
ANIMATION_ELEMENTS = frozenset({"set", "animate", "animateTransform", "animateMotion", "discard"})
ATTRIBUTES = _words(
    """id class x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points transform viewBox
    preserveAspectRatio version fill fill-opacity fill-rule stroke stroke-width stroke-linecap
    stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset stroke-opacity opacity
    color display visibility overflow font-family font-size font-size-adjust font-weight
    font-style font-variant font-stretch text-anchor dominant-baseline alignment-baseline
    baseline-shift letter-spacing word-spacing text-decoration writing-mode direction
    unicode-bidi dx dy rotate textLength lengthAdjust startOffset method spacing side offset
    stop-color stop-opacity gradientUnits gradientTransform spreadMethod patternUnits
    patternContentUnits patternTransform clipPathUnits clip-path clip-rule mask maskUnits
    maskContentUnits filter filterUnits primitiveUnits in in2 result stdDeviation mode operator
    k1 k2 k3 k4 values type tableValues slope intercept amplitude exponent flood-color
    flood-opacity lighting-color baseFrequency numOctaves seed stitchTiles scale
    xChannelSelector yChannelSelector radius kernelMatrix kernelUnitLength order divisor bias
    targetX targetY edgeMode preserveAlpha surfaceScale specularConstant specularExponent
    diffuseConstant azimuth elevation z pointsAtX pointsAtY pointsAtZ limitingConeAngle
    markerWidth markerHeight markerUnits refX refY orient marker-start marker-mid marker-end
    pathLength shape-rendering text-rendering image-rendering color-interpolation
    color-interpolation-filters color-rendering mix-blend-mode isolation paint-order
    vector-effect role aria-label aria-hidden aria-labelledby aria-describedby focusable lang
    requiredFeatures systemLanguage style href"""
)
LINK_ATTRIBUTES = frozenset({"href", f"{{{XLINK_NS}}}href"})
XML_ATTRIBUTES = frozenset({f"{{{XML_NS}}}lang", f"{{{XML_NS}}}space"})
_SAFE_HREF = re.compile(
    r"^(#[A-Za-z_][\w.\-:]*|data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*)$"
)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# url( that does not point inside the document, and every way CSS can fetch without url(.
_CSS_FETCH = re.compile(
    r"url\(\s*(?![\"']?\s*#)|@import|@font-face|@namespace|image-set\(|cross-fade\(|src\(", re.I
)
_CSS_URL = re.compile(r"url\(\s*(?![\"']?\s*#)", re.I)
_CSS_ACTIVE = re.compile(r"\\|expression\s*\(|javascript:|behaviou?r\s*:|-moz-binding", re.I)


class UnsafeSvg(ValidationFailed):
    """An SVG that is refused (upload) or cannot be made safe (output)."""


def _parse(data: bytes, *, max_bytes: int = MAX_SVG_BYTES):
    from lxml import etree  # noqa: PLC0415 - lxml is heavy: loaded only where it is used

    if len(data) > max_bytes:
        raise UnsafeSvg(_("The SVG image is too large."))
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.fromstring(data, parser=parser).getroottree()
    except etree.XMLSyntaxError as error:
        raise UnsafeSvg(_("The SVG image is not well-formed XML.")) from error
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeSvg(_("The SVG image may not declare a DOCTYPE or entities."))
    root = tree.getroot()
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeSvg(_("The file is not an SVG image."))
    return etree, root


def _css_problem(css: str) -> str | None:
    css = _CSS_COMMENT.sub("", css)
    if _CSS_FETCH.search(css):
        return _("The SVG image's style refers to an external resource.")
    if _CSS_ACTIVE.search(css):
        return _(
            "The SVG image's style contains CSS escapes or expressions, which are not allowed."
        )
    return None


def _embedded_image_problem(match: re.Match) -> str | None:
    """An embedded data: image is held to the pixel ceiling too (a few kilobytes of PNG can
    declare gigabytes of pixels for the viewer's browser)."""
    if not match.group(2):
        return None  # a #fragment
    kind = {"png": PNG, "jpeg": JPEG, "gif": GIF, "webp": WEBP}[match.group(2)]
    try:
        data = base64.b64decode(match.group(1).split(",", 1)[1], validate=False)
        check_image_header(io.BytesIO(data), kind, max_pixels=MAX_EMBEDDED_PIXELS)
    except binascii.Error:
        return _("The SVG image embeds an image that cannot be read.")
    except ValidationFailed as error:
        return str(error.message)
    return None


def remove_element(element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _clean(
    data: bytes,
    *,
    strict: bool,
    keep: dict[str, frozenset[str]] | None = None,
    max_bytes: int = MAX_SVG_BYTES,
) -> bytes:
    """The allow-listed SVG. strict: refuse active content with a message instead of
    dropping it. keep: extra elements ({namespace}name -> attributes) to keep as they are
    (the Open Badges elements a baked SVG carries)."""
    etree, root = _parse(data, max_bytes=max_bytes)
    if sum(1 for _element in root.iter()) > MAX_SVG_ELEMENTS:
        raise UnsafeSvg(_("The SVG image has too many elements."))
    _clean_element(etree, root, strict=strict, keep=keep or {})
    _check_use_expansion(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _check_use_expansion(root) -> None:
    """Refuse an SVG whose <use> references expand beyond MAX_SVG_EXPANDED elements or
    refer to themselves."""
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    use_tag = f"{{{SVG_NS}}}use"
    sizes: dict = {}
    visiting: set = set()

    def expanded(element) -> int:
        if element in sizes:
            return sizes[element]
        if element in visiting:
            raise UnsafeSvg(_("The SVG image has <use> references that refer to themselves."))
        visiting.add(element)
        total = 1 + sum(expanded(child) for child in element if isinstance(child.tag, str))
        if element.tag == use_tag:
            link = element.get("href") or element.get(f"{{{XLINK_NS}}}href") or ""
            target = by_id.get(link[1:]) if link.startswith("#") else None
            if target is not None:
                total += expanded(target)
        visiting.discard(element)
        sizes[element] = min(total, MAX_SVG_EXPANDED + 1)
        return sizes[element]

    try:
        too_many = expanded(root) > MAX_SVG_EXPANDED
    except RecursionError:
        too_many = True
    if too_many:
        raise UnsafeSvg(
            _("The SVG image is too complex: its <use> references expand to too many elements.")
        )


def _clean_element(etree, element, *, strict: bool, keep: dict[str, frozenset[str]]) -> None:
    """Clean `element`'s attributes, then each child: removed, kept as is, or cleaned."""
    _clean_attributes(element, strict=strict)
    for child in list(element):
        if not isinstance(child.tag, str):  # an entity reference left unresolved
            if strict:
                raise UnsafeSvg(_("The SVG image may not declare a DOCTYPE or entities."))
            remove_element(child)
            continue
        if child.tag in keep:
            for name in list(child.attrib):
                if name not in keep[child.tag]:
                    del child.attrib[name]
            for grandchild in list(child):
                child.remove(grandchild)
            continue
        qname = etree.QName(child)
        local = qname.localname
        if strict and local in ACTIVE_ELEMENTS:
            raise UnsafeSvg(_("The SVG image contains script or embedded content."))
        if local in ANIMATION_ELEMENTS:
            if strict and any(name.lower().startswith("on") for name in child.attrib):
                raise UnsafeSvg(_("The SVG image contains event handlers (script)."))
            if strict and _animation_is_active(child):
                raise UnsafeSvg(
                    _("The SVG image contains animation that changes a link, style or script.")
                )
            remove_element(child)
            continue
        if qname.namespace != SVG_NS or local not in ELEMENTS:
            remove_element(child)
            continue
        if local == "style":
            problem = _css_problem(child.text or "")
            if problem:
                if strict:
                    raise UnsafeSvg(problem)
                remove_element(child)
                continue
        _clean_element(etree, child, strict=strict, keep=keep)


def _animation_is_active(element) -> bool:
    target = (element.get("attributeName") or "").split(":")[-1].lower()
    values = " ".join(element.get(a, "") for a in ("to", "from", "values", "by")).lower()
    return (
        target in {"href", "style", "class"}
        or target.startswith("on")
        or "javascript:" in values
        or "url(" in values
    )


def _clean_attributes(element, *, strict: bool) -> None:
    for name, value in list(element.attrib.items()):
        local = name.rsplit("}", 1)[-1]
        if local.lower().startswith("on"):
            if strict:
                raise UnsafeSvg(_("The SVG image contains event handlers (script)."))
            del element.attrib[name]
            continue
        if name in LINK_ATTRIBUTES:
            match = _SAFE_HREF.match(value.strip())
            problem = (
                _("The SVG image refers to an external resource.")
                if match is None
                else _embedded_image_problem(match)
            )
            if problem:
                if strict:
                    raise UnsafeSvg(problem)
                del element.attrib[name]
            continue
        if name not in ATTRIBUTES and name not in XML_ATTRIBUTES:
            del element.attrib[name]
            continue
        if name == "style":
            problem = _css_problem(value)
        elif _CSS_URL.search(value):
            problem = _("The SVG image refers to an external resource.")
        else:
            problem = None
        if problem:
            if strict:
                raise UnsafeSvg(problem)
            del element.attrib[name]


def check_svg(data: bytes) -> bytes:
    """For an upload: the cleaned SVG to store, or UnsafeSvg saying what is not allowed."""
    return _clean(data, strict=True)


def sanitize_svg(
    data: bytes,
    *,
    keep: dict[str, frozenset[str]] | None = None,
    max_bytes: int = MAX_SVG_BYTES,
) -> bytes:
    """For output: the SVG with everything not allow-listed removed (UnsafeSvg when it is
    not an SVG that can be parsed safely at all)."""
    return _clean(data, strict=False, keep=keep, max_bytes=max_bytes)
