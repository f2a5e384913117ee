"""Content models: authors (people and source publications), a category tree,
and articles whose stored body is already-sanitised HTML."""

from django.conf import settings
from django.core.files import File
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles import images
from articles.rendering import BodyFormat, reading_minutes, render_body

SLUG_MAX_LENGTH = 80
# ArticleSource.key of a feed item: FEED_KEY_PREFIX, the feed's id, ":", the item's hash.
FEED_KEY_PREFIX = "feed:"
# Uploaded head images and their list renditions (see articles.images).
HEAD_IMAGE_FOLDER = "heads/%Y/%m/"


def slug_base(text: str, fallback: str) -> str:
    """A readable slug for ``text``: Chinese keeps its characters (``allow_unicode``)."""
    return slugify(text, allow_unicode=True)[:SLUG_MAX_LENGTH].strip("-_") or fallback


def unique_slug(rows: models.QuerySet, text: str, fallback: str, reserved: frozenset | set = frozenset()) -> str:
    """A readable slug for ``text`` that none of ``rows`` uses, nor any in ``reserved``
    (slugs given out but not saved yet)."""
    base = slug_base(text, fallback)
    if base not in reserved and not rows.filter(slug=base).exists():  # the usual case, answered by the index
        return base
    taken = set(rows.filter(slug__startswith=base).values_list("slug", flat=True)) | reserved
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class Author(models.Model):
    """Who an article is by: a staff writer, or the publication it came from."""

    class Kind(models.TextChoices):
        STAFF = "staff", "编辑"
        SOURCE = "source", "来源"

    name = models.CharField("名称", max_length=200, unique=True)
    slug = models.SlugField(max_length=SLUG_MAX_LENGTH, unique=True, allow_unicode=True, blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.STAFF)
    bio = models.TextField("简介", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "作者"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author.objects.exclude(pk=self.pk), self.name, "author")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])


class CategoryQuerySet(models.QuerySet):
    def with_ancestry(self):
        """Categories with their parents loaded, so breadcrumbs and full paths
        (``ancestry()``, ``str()``) cost no query per category. The crawler's
        paths have at most three levels; a deeper one loads the rest lazily."""
        return self.select_related("parent__parent")


class Category(models.Model):
    """A node in the category tree (group › source › channel).

    ``path`` is the slash-joined slugs from the root: it is the URL, and being
    unique it keeps same-named categories under different parents apart.
    """

    name = models.CharField("名称", max_length=200)
    slug = models.SlugField(max_length=SLUG_MAX_LENGTH, allow_unicode=True, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    path = models.CharField(max_length=500, unique=True, editable=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "分类"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="category_unique_root_name"
            ),
        ]

    def __str__(self):
        return " › ".join(c.name for c in self.ancestry())

    def save(self, *args, **kwargs):
        if not self.slug:
            siblings = Category.objects.filter(parent=self.parent).exclude(pk=self.pk)
            self.slug = unique_slug(siblings, self.name, "category")
        old_path = self.path
        self.path = f"{self.parent.path}/{self.slug}" if self.parent else self.slug
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def get_absolute_url(self):
        return reverse("articles:category", args=[self.path])

    def ancestry(self) -> list["Category"]:
        """Root first, this category last (uses ``parent`` as already loaded)."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: marked published and due (a future date is scheduled)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Marked published with a future date: readers see them once it passes."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        """Neither live nor scheduled (an undated "published" article is never shown either)."""
        return self.filter(Q(status=Article.Status.DRAFT) | Q(published_at__isnull=True))

    def for_listing(self):
        """Everything a list of article cards shows, without a query per card."""
        return self.select_related("author").prefetch_related(
            models.Prefetch("categories", queryset=Category.objects.with_ancestry()),
            "tags",
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    class State(models.TextChoices):
        """What readers get, derived from ``status`` and ``published_at`` (no cron job)."""

        DRAFT = "draft", "草稿"
        SCHEDULED = "scheduled", "定时发布"
        PUBLISHED = "published", "已发布"

    title = models.CharField("标题", max_length=300)
    slug = models.SlugField(max_length=SLUG_MAX_LENGTH + 10, unique=True, allow_unicode=True, blank=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles", verbose_name="作者")
    categories = models.ManyToManyField(Category, related_name="articles", blank=True, verbose_name="分类")
    tags = TaggableManager("标签", blank=True, through="articles.TaggedArticle")

    body_format = models.CharField("正文格式", max_length=10, choices=BodyFormat.choices, default=BodyFormat.HTML)
    body_source = models.TextField("正文（原文）", blank=True)
    body = models.TextField("正文（已净化）", blank=True, editable=False)
    excerpt = models.TextField("摘要", blank=True)
    # An http(s) URL or a path on this site (/media/…: imported or uploaded copies).
    head_image = models.CharField("头图", max_length=1000, blank=True, validators=[images.validate_image_url])
    thumbnail = models.CharField("缩略图", max_length=1000, blank=True, validators=[images.validate_image_url])
    # An uploaded head image wins over the URLs above: while there is one,
    # head_image and thumbnail point at it and its list rendition, so templates
    # keep reading only the URLs. Imported articles keep their remote URLs.
    head_image_file = models.ImageField("上传的头图", upload_to=HEAD_IMAGE_FOLDER, max_length=300, blank=True)
    thumbnail_file = models.ImageField(upload_to=HEAD_IMAGE_FOLDER, max_length=300, blank=True, editable=False)

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    allow_comments = models.BooleanField("允许评论", default=False)

    # Provenance of imported articles; see ArticleSource for the files themselves.
    fingerprint = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    edited_in_admin = models.BooleanField(
        "编辑改过", default=False, help_text="Set when an editor saves the article; re-imports leave it alone."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "文章"
        indexes = [models.Index(fields=["status", "-published_at"], name="article_status_date")]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article.objects.exclude(pk=self.pk), self.title, "article")
        if self.head_image_file:
            self.head_image = self.head_image_file.url
            self.thumbnail = self.thumbnail_file.url if self.thumbnail_file else self.head_image
        super().save(*args, **kwargs)
        self._remember_old_slug()

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._saved_slug = article.__dict__.get("slug")  # to notice a changed slug without a query
        return article

    def _remember_old_slug(self) -> None:
        """Links to the article's old address keep working after its slug changes."""
        saved = getattr(self, "_saved_slug", None)
        if saved and saved != self.slug:
            OldSlug.objects.update_or_create(slug=saved, defaults={"article": self})
            OldSlug.objects.filter(slug=self.slug).delete()
        self._saved_slug = self.slug

    def render(self) -> None:
        """Render ``body_source`` into the stored, sanitised ``body`` (render on write)."""
        rendered = render_body(self.body_source, self.body_format)
        self.body = rendered.html
        self.excerpt = self.excerpt or rendered.excerpt

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def state(self) -> "Article.State":
        if self.is_live:
            return self.State.PUBLISHED
        if self.status == self.Status.PUBLISHED and self.published_at is not None:
            return self.State.SCHEDULED
        return self.State.DRAFT

    def attach_head_image(self, upload: File) -> None:
        """Store an uploaded head image (checked by ``articles.images.check_upload``)
        and its list rendition; ``save()`` then points the URLs at them."""
        # The rendition first: storing the upload may move its temporary file away.
        rendition = images.thumbnail_rendition(upload)
        self.head_image_file.save(images.storage_name(upload), upload, save=False)
        self.thumbnail_file.save(images.thumbnail_name(self.head_image_file.name), rendition, save=False)

    def detach_head_image(self) -> None:
        """Forget the uploaded head image (the stored files stay); no head image then."""
        self.head_image_file = self.thumbnail_file = ""
        self.head_image = self.thumbnail = ""

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.body)

    def category_paths(self) -> list[list[Category]]:
        """Each category's breadcrumb, root first (uses prefetched categories)."""
        return [c.ancestry() for c in self.categories.all()]


class OldSlug(models.Model):
    """A slug an article had before an editor changed it; its URL redirects."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=SLUG_MAX_LENGTH + 10, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = verbose_name_plural = "旧网址"

    def __str__(self):
        return self.slug


class ArticleSource(models.Model):
    """One imported file behind an article.

    ``key`` is the stable identity of a post across re-crawls (see
    ``articles.importing.parser.source_key``); ``content_hash`` is the SHA-256 of
    the file's bytes, so an unchanged file is recognised without parsing it.
    An article re-published in several feeds has one source per file.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    key = models.CharField(max_length=500, unique=True)
    file_name = models.CharField(max_length=500)
    content_hash = models.CharField(max_length=64, db_index=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入来源"

    def __str__(self):
        return self.file_name


class Tag(TagBase):
    """A taggit tag; its slug keeps Chinese characters (``电动汽车``)."""

    class Meta:
        verbose_name = verbose_name_plural = "标签"

    def get_absolute_url(self):
        return reverse("articles:tag", args=[self.slug])


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique")]


class FeedQuerySet(models.QuerySet):
    def due(self, now=None):
        """Active feeds whose next fetch time has come (a new feed is due at once)."""
        now = now or timezone.now()
        return self.filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now), is_active=True)


class Feed(models.Model):
    """An RSS or Atom feed whose items become articles (see ``articles.ingest``).

    Its articles are filed under ``category_path`` (group/source/channel, the
    names joined by ``/``) and are by ``source_name``, an author of kind source.
    """

    class Status(models.TextChoices):
        NEW = "", "未抓取"
        OK = "ok", "正常"
        NOT_MODIFIED = "not_modified", "无更新"
        ERROR = "error", "失败"

    url = models.URLField("地址", max_length=1000, unique=True)
    category_path = models.CharField("分类路径", max_length=500, help_text="如 新媒体/高科技行业门户/新闻")
    source_name = models.CharField("来源名称", max_length=200, help_text="文章的作者（来源）")
    is_active = models.BooleanField("启用", default=True)
    interval_minutes = models.PositiveIntegerField("抓取间隔（分钟）", default=60)
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField("上次抓取", null=True, blank=True, editable=False)
    next_fetch_at = models.DateTimeField("下次抓取", null=True, blank=True, db_index=True)
    last_status = models.CharField("状态", max_length=20, choices=Status.choices, blank=True, editable=False)
    last_error = models.TextField("上次错误", blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField("连续失败", default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["category_path", "url"]
        verbose_name = verbose_name_plural = "订阅源"

    def __str__(self):
        return self.url

    @property
    def source_key_prefix(self) -> str:
        """Every item of this feed has an ``ArticleSource.key`` starting with this."""
        return f"{FEED_KEY_PREFIX}{self.pk}:"

    def category_levels(self) -> list[str]:
        return [level.strip() for level in self.category_path.split("/") if level.strip()]
