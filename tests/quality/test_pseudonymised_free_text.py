"""A pseudonymised export names the learner nowhere, free text included."""

import csv
import io

from django.urls import reverse

from applications.models import EvidenceItem
from quality import exporters


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def _name_the_learner(app):
    learner = app.learner
    learner.display_name = "Zelda Quux"
    learner.email = "zelda.quux@example.org"
    learner.save()
    return exporters.pseudonym(learner.pk)


def test_a_pseudonymised_judgements_csv_hides_the_learner_named_in_feedback(
    client, auditor, scenario
):
    app = scenario.apps[1]
    code = _name_the_learner(app)
    judgement = app.rounds.get().reviews.order_by("id").first().judgements.order_by("id").first()
    judgement.feedback = "Zelda planned well (see zelda.quux@example.org); well done, ZELDA QUUX."
    judgement.save()
    client.force_login(auditor)
    body = _body(
        client.get(reverse("quality:export_csv", args=["judgements"]), {"pseudonymise": "1"})
    )
    rows = list(csv.reader(io.StringIO(body)))
    column = rows[0].index("feedback")
    feedback = [r[column] for r in rows[1:] if r[column]]
    assert feedback == [f"{code} planned well (see {code}); well done, {code}."]


def test_a_pseudonymised_applications_csv_hides_the_learner_named_in_the_decision_reason(
    client, auditor, scenario
):
    app = scenario.apps[3]
    code = _name_the_learner(app)
    app.decision_reason = "Quux did not show K1."
    app.save(update_fields=["decision_reason"])
    client.force_login(auditor)
    body = _body(
        client.get(reverse("quality:export_csv", args=["applications"]), {"pseudonymise": "1"})
    )
    header, *rows = csv.reader(io.StringIO(body))
    row = next(r for r in rows if r[0] == str(app.pk))
    assert row[header.index("decision_reason")] == f"{code} did not show K1."


def test_a_pseudonymised_decision_trail_hides_the_learner_in_the_evidence_listing(
    client, auditor, scenario
):
    app = scenario.apps[1]
    code = _name_the_learner(app)
    item = EvidenceItem.objects.create(
        application=app,
        kind="link",
        description="Zelda Quux's lesson plan",
        url="https://example.org/zelda-quux/plan",
    )
    upload = EvidenceItem.objects.create(
        application=app, kind="file", description="CV", original_filename="CV_Zelda_Quux.pdf"
    )
    app.rounds.get().evidence.add(item, upload)
    client.force_login(auditor)
    data = client.get(
        reverse("quality:application_trail", args=[app.pk]), {"pseudonymise": "1"}
    ).json()
    assert "zelda" not in str(data).lower()
    listed = {e["kind"]: e for e in data["rounds"][0]["evidence"]}
    assert listed["link"]["description"] == f"{code}'s lesson plan"
    assert listed["file"]["file_name"] == f"CV_{code}_{code}.pdf"
