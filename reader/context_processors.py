from django.conf import settings

from content.models import Category


def navigation(request):
    """Top-level categories for the site header (evaluated only if a template uses them)."""
    return {"nav_categories": Category.objects.filter(parent=None).order_by("name")}


def site(request):
    """The site's name and tagline (settings ``SITE_NAME``, ``SITE_TAGLINE``), for every template."""
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "site_description": site_description(),
    }


def site_description() -> str:
    """What a page or feed without a description of its own says about the site."""
    return f"{settings.SITE_NAME}：{settings.SITE_TAGLINE}。"
