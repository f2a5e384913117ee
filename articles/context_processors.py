from articles.models import Category


def navigation(request):
    """Top-level categories for the site header (evaluated only if a template uses them)."""
    return {"nav_categories": Category.objects.filter(parent=None).order_by("name")}
