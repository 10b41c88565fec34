"""Browser list pages' pagination (the API's is ``common.api.Pagination``)."""

from django.core.paginator import Page, Paginator


def list_page(request, queryset, *, per_page: int) -> Page:
    """One page of a list from ``?page=N``; a page number out of range shows the last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The request's query string minus ``page``, for the pager's links to keep the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
