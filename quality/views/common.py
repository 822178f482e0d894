"""What every page of the quality section shares: the permission check, the filter form,
pagination."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from core.params import ParameterForm, page_of

from ..forms import FilterForm

PAGE_SIZE = 50


def permission(name):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(name):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def filter_form(request, data=None, *, paginated=False):
    form = FilterForm(
        data if data is not None else (request.GET or None),
        user=request.user,
        paginated=paginated,
    )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return form, form.filters(), status


def paginate(form: ParameterForm, queryset):
    """The page `form` asked for (its `page` parameter, checked with the others)."""
    return page_of(queryset, form, PAGE_SIZE)


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
