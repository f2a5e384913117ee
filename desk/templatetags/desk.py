"""The editors' desk on the admin home: my drafts, what is scheduled, what was edited lately."""

from django import template

from content.models import Article

register = template.Library()

DESK_ROWS = 8


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def editors_desk(context):
    """Three short lists, a query each: drafts by the editor's own author
    profile, scheduled articles soonest first, and articles editors saved lately."""
    user = context["request"].user
    articles = Article.objects.select_related("author").only(
        "title", "status", "published_at", "updated_at", "junk_reason", "author__name"
    )
    return {
        "my_drafts": articles.drafts().filter(author__user=user).order_by("-updated_at")[:DESK_ROWS],
        "scheduled": articles.scheduled().order_by("published_at")[:DESK_ROWS],
        "recently_edited": articles.filter(edited_in_admin=True).order_by("-updated_at")[:DESK_ROWS],
        "junk_count": Article.objects.exclude(junk_reason="").count(),
    }
