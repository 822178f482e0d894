"""Coordinator pages for content translations: which are missing, and filling them in side
by side with the default texts (a constellation; a draft badge version with its criteria and
rubric levels in one form, which is how a translator works through a badge)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.errors import DomainError, ValidationFailed
from core.i18n import content_language

from .. import selectors, services, translations
from ..forms import TranslationForm, TranslationLanguageForm
from ..models import (
    BadgeStatus,
    Competence,
    CompetenceArea,
    Criterion,
    Framework,
    ProficiencyLevel,
    RubricLevel,
)
from ._common import _constellation, _require, _show_errors, _version


def _language(request):
    """The target language from `?language=` (default: the first one offered), or the
    bound form with its error (the page answers 400)."""
    languages = services.translation_languages()
    form = TranslationLanguageForm(
        request.GET if "language" in request.GET else None,
        languages=languages,
        initial={"language": languages[0][0]},
    )
    if not form.is_bound:
        return languages[0][0], form
    return (form.cleaned_data["language"] if form.is_valid() else None), form


def _heading(obj) -> str:
    if isinstance(obj, Framework):
        return _("Framework")
    if isinstance(obj, ProficiencyLevel):
        return _("Proficiency level %(code)s") % {"code": obj.code}
    if isinstance(obj, CompetenceArea):
        return _("Competence area %(code)s") % {"code": obj.code}
    if isinstance(obj, Competence):
        return _("Competence %(code)s") % {"code": obj.code}
    if isinstance(obj, Criterion):
        return _("Criterion %(code)s") % {"code": obj.code or obj.order}
    if isinstance(obj, RubricLevel):
        return _("Rubric level %(n)s") % {"n": obj.order}
    return _("Badge")


def _render(request, template: str, context: dict, *, bad: bool = False):
    return render(request, template, context, status=400 if bad else 200)


def _edit(request, *, template, context, objects, headings, save, done_url):
    language, language_form = _language(request)
    context = {**context, "language_form": language_form, "default_language": content_language()}
    if language is None:
        return _render(request, template, context, bad=True)
    form = TranslationForm(
        request.POST if request.method == "POST" else None,
        objects=objects,
        headings=headings,
        language=language,
    )
    context.update(
        form=form,
        language=language,
        language_name=dict(services.translation_languages())[language],
        missing=translations.missing_translations(objects, language),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = save(language, form.texts())
        except ValidationFailed as error:
            for place, problem in error.details or [("", error.message)]:
                form.add_error(None, f"{place}: {problem}" if place else problem)
        except DomainError as error:
            _show_errors(request, error)
            return redirect(done_url)
        else:
            if changed:
                messages.success(request, _("The translations were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(f"{request.path}?language={language}")
    return _render(request, template, context, bad=request.method == "POST")


@login_required
@require_safe
def translation_overview(request, slug: str):
    constellation = _constellation(request, slug, "frameworks.change_constellation")
    languages = services.translation_languages()
    rows = translations.translation_overview(
        constellation=constellation, languages=[code for code, _name in languages]
    )
    return render(
        request,
        "frameworks/translation_overview.html",
        {
            "constellation": constellation,
            "languages": languages,
            "rows": rows,
            "default_language_name": dict(settings.LANGUAGES)[content_language()],
        },
    )


@login_required
def constellation_translate(request, slug: str):
    constellation = _constellation(request, slug, "frameworks.change_constellation")
    return _edit(
        request,
        template="frameworks/translate.html",
        context={"constellation": constellation, "subject_title": constellation.name},
        objects=[constellation],
        headings=[_("Constellation")],
        save=lambda language, texts: services.constellation_translate(
            actor=request.user,
            constellation=constellation,
            language=language,
            texts=texts[constellation],
        ),
        done_url=reverse("frameworks:constellation_detail", args=[constellation.slug]),
    )


@login_required
def badge_translate(request, pk: int):
    version = _version(request, pk, "frameworks.change_badgeversion")
    if version.status != BadgeStatus.DRAFT:
        messages.info(
            request,
            _("A published version cannot be changed. Create a new draft version to translate."),
        )
        return redirect("frameworks:badge_detail", pk=version.pk)
    version = translations.badge_version_for_translation(user=request.user, pk=pk)
    objects = translations.version_texts(version)
    return _edit(
        request,
        template="frameworks/translate.html",
        context={
            "constellation": version.badge.constellation,
            "version": version,
            "subject_title": f"{version.title} (v{version.version})",
        },
        objects=objects,
        headings=[_heading(obj) for obj in objects],
        save=lambda language, texts: services.badge_version_translate(
            actor=request.user, version=version, language=language, texts=texts
        ),
        done_url=reverse("frameworks:badge_detail", args=[version.pk]),
    )


@login_required
def framework_translate(request, pk: int):
    framework = selectors.framework_with_content(user=request.user, pk=pk)
    _require(request, "frameworks.change_framework", framework)
    objects = translations.framework_texts(framework)
    return _edit(
        request,
        template="frameworks/translate.html",
        context={
            "framework": framework,
            "subject_title": f"{framework.name} (v{framework.version})",
        },
        objects=objects,
        headings=[_heading(obj) for obj in objects],
        save=lambda language, texts: services.framework_translate(
            actor=request.user, framework=framework, language=language, texts=texts
        ),
        done_url=reverse("frameworks:framework_detail", args=[framework.pk]),
    )
