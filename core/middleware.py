from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in user's preferred language wins over the browser's, unless they chose one
    with the language switcher in this session (the switcher also saves their preference)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.preferred_language
            and translation.check_for_language(user.preferred_language)
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
