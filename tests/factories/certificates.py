"""Issuers with keys, approved applications (driven by the model's transition methods) and
issued credentials."""

import factory
from django.utils import timezone

from applications.models import EvidenceItem, EvidenceKind, Round
from applications.services import application_start
from certificates.models import Issuer
from certificates.services import credential_issue_for_application, issuer_keys_create
from core.roles import Role
from frameworks.models import BadgeKind
from review.models import Judgement, JudgementOutcome, Review
from tests.factories.core import UserFactory
from tests.factories.frameworks import (
    CompetenceFactory,
    ConstellationFactory,
    CriterionAlignmentFactory,
    RubricLevelFactory,
    published_badge_version,
)


class IssuerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issuer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Academy {n}")
    url = "https://academy.example.org"
    email = "badges@academy.example.org"
    country_code = "FI"
    region = "Uusimaa"
    is_default = True

    @factory.post_generation
    def with_keys(self, create, extracted, **kwargs):
        if create and extracted is not False:
            issuer_keys_create(issuer=self)


def micro_badge(*, constellation=None, criteria=2, rubric=True, **kwargs):
    """A published micro badge whose criteria have rubric levels and competence alignments."""
    constellation = constellation or ConstellationFactory()
    version = published_badge_version(
        criteria=criteria, badge__constellation=constellation, **kwargs
    )
    for criterion in version.criteria.all():
        if rubric:
            RubricLevelFactory(criterion=criterion, order=1, name="Emerging", is_passing=False)
            RubricLevelFactory(criterion=criterion, order=2, name="Proficient", is_passing=True)
        CriterionAlignmentFactory(criterion=criterion, competence=CompetenceFactory())
    return version


def rule_badge(*, constellation, kind=BadgeKind.MILESTONE, required, count, title=None):
    """A published milestone/meta badge: `count` of the `required` badges."""
    kwargs = {"title": title} if title else {}
    version = published_badge_version(
        criteria=0,
        badge__constellation=constellation,
        badge__kind=kind,
        required_count=count,
        **kwargs,
    )
    version.required_badges.set([v.badge for v in required])
    return version


def approved_application(*, learner=None, badge_version=None, assessor=None, public_evidence=True):
    """An application driven through submit → start_review → approve, with a round, public
    and private evidence and a submitted review judging every criterion."""
    learner = learner or UserFactory(roles=[Role.LEARNER])
    badge_version = badge_version or micro_badge()
    assessor = assessor or UserFactory(roles=[Role.ASSESSOR])
    application = application_start(learner=learner, badge_version=badge_version)
    now = timezone.now()
    public = EvidenceItem.objects.create(
        application=application,
        kind=EvidenceKind.LINK,
        description="Lesson plan on systems thinking",
        url="https://example.org/lesson-plan",
        is_public=public_evidence,
    )
    private = EvidenceItem.objects.create(
        application=application,
        kind=EvidenceKind.REFLECTION,
        description="Private reflection",
        text="What I learned, privately.",
        is_public=False,
    )
    application.submit(when=now, due_at=now + timezone.timedelta(days=14))
    application.save()
    round_ = Round.objects.create(application=application, number=1, submitted_at=now)
    round_.evidence.set([public, private])
    application.start_review(when=now)
    application.save()
    review = Review.objects.create(
        round=round_,
        assessor=assessor,
        recommendation="approve",
        is_submitted=True,
        submitted_at=now,
    )
    for criterion in badge_version.criteria.all():
        Judgement.objects.create(
            review=review,
            criterion=criterion,
            outcome=JudgementOutcome.MET,
            rubric_level=criterion.rubric_levels.filter(is_passing=True).first(),
            feedback=f"Clear evidence for {criterion.title}.",
        )
    application.approve(by=assessor, when=now)
    application.save()
    return application


def issued_credential(**kwargs):
    application = approved_application(**kwargs)
    return credential_issue_for_application(application_id=application.pk)


def legacy_credential(**kwargs):
    """A credential as the earlier version signed it, for the re-signing command: the
    credential contexts without the OB 3.0 extensions context (its credentialSchema type
    undefined), a Data Integrity proof over that, and an ES256 VC-JWT whose `kid` is a bare
    JWK thumbprint and whose `sub` is the identity hash; the issuer has an ES256 key and no
    RS256 key, as before."""
    import hashlib
    import json

    from joserfc import jwt
    from joserfc.jwk import ECKey

    from certificates.models import Credential, IssuerKey, KeyAlgorithm
    from certificates.openbadges import signing
    from certificates.openbadges.keys import ed25519_private

    credential = issued_credential(**kwargs)
    rs256 = credential.jwt_key
    document = {k: v for k, v in credential.ob3_credential.items() if k != "proof"}
    document["@context"] = [signing.VC_V2_CONTEXT, signing.OB_V3_CONTEXT]
    proof = {**credential.ob3_credential["proof"][0]}
    proof.pop("proofValue")
    options = {**proof, "@context": document["@context"]}
    # The earlier signer canonicalised without safe-mode checks.
    data = b"".join(
        hashlib.sha256(signing.canonicalize(part, strict=False).encode()).digest()
        for part in (options, document)
    )
    signature = ed25519_private(credential.di_key).sign(data)
    es256 = ECKey.generate_key("P-256")
    thumbprint = es256.thumbprint()
    key = IssuerKey.objects.create(
        issuer=credential.issuer,
        algorithm=KeyAlgorithm.ES256,
        key_id=thumbprint,
        public_jwk={**es256.as_dict(private=False), "kid": thumbprint, "alg": "ES256"},
        private_key_encrypted=signing.encrypt_private(json.dumps(es256.as_dict()).encode()),
    )
    claims = {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "sub": document["credentialSubject"]["identifier"][0]["identityHash"],
        "nbf": int(credential.issued_at.timestamp()),
    }
    token = jwt.encode(
        {"alg": "ES256", "typ": "JWT", "kid": thumbprint}, claims, es256, algorithms=["ES256"]
    )
    Credential.objects.filter(pk=credential.pk).update(
        ob3_credential={
            **document,
            "proof": [{**proof, "proofValue": signing.multibase_encode(signature)}],
        },
        ob3_jwt=token,
        jwt_key=key,
    )
    rs256.delete()
    credential.refresh_from_db()
    return credential
