from quality.charts import bar_chart, stacked_chart


def test_a_bar_chart_is_accessible_svg_with_escaped_labels():
    svg = bar_chart([("<b>Badge</b> & co", 3), ("Other", None)], title="Applications <per> badge")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    assert "<title id=" in svg and "<desc id=" in svg
    assert "Applications &lt;per&gt; badge" in svg
    assert "&lt;b&gt;Badge&lt;/b&gt; &amp; co" in svg
    assert "<b>" not in svg
    assert "style=" not in svg
    assert "&lt;b&gt;Badge&lt;/b&gt; &amp; co: 3; Other: —" in svg  # the description


def test_a_stacked_chart_draws_one_segment_per_non_zero_value():
    svg = stacked_chart(
        [("Badge", [2, 0, 1])], series=["Issued", "Revoked", "Expired"], title="Credentials"
    )
    assert svg.count("<rect") == 3 + 2  # three legend keys, two segments
    assert "Badge, Issued: 2" in svg and "Badge, Expired: 1" in svg


def test_an_empty_chart_still_renders():
    assert "<svg" in bar_chart([], title="Nothing")
