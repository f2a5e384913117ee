"""Content models: authors (people and source publications), a category tree,
and articles whose stored body is already-sanitised HTML, with the rows derived
from them on write (listing rows, read counts) and the feeds they come from.

The app's other models live beside the code that uses them and are imported
here so Django finds them: ``Image`` (the media library, ``content.images``),
``AutosavedDraft`` (``content.autosave``) and ``SearchDocument``
(``content.search_documents``). Nothing here imports another app.
"""

from django.conf import settings
from django.core.files import File
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from content import image_files
from content.autosave import AutosavedDraft  # noqa: F401  (a model of this app)
from content.body_repairs import BodyOrigin
from content.images import RENDITION_WIDTHS, Image
from content.limits import (
    FILE_NAME_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SLUG_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    URL_MAX_LENGTH,
)
from content.listings import ListingManager
from content.rendering import BodyFormat, RenderedBody, reading_minutes, render_body
from content.search_documents import SearchDocument  # noqa: F401  (a model of this app)
from newsroom.addresses import address

# Uploaded head images and their list renditions (see content.image_files).
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


def assign_slugs(articles: list["Article"]) -> None:
    """Readable unique slugs for the articles that have none: one query for any
    number of them, unless a title's slug is taken."""
    unslugged = [article for article in articles if not article.slug]
    if not unslugged:
        return
    bases = [slug_base(article.title, "article") for article in unslugged]
    others = Article.objects.exclude(pk__in=[article.pk for article in unslugged if article.pk])
    taken = set(others.filter(slug__in=bases).values_list("slug", flat=True))
    for article, base in zip(unslugged, bases, strict=True):
        article.slug = base if base not in taken else unique_slug(others, article.title, "article", taken)
        taken.add(article.slug)


class Author(models.Model):
    """Who an article is by: a staff writer, or the publication it came from."""

    class Kind(models.TextChoices):
        STAFF = "staff", "编辑"
        SOURCE = "source", "来源"

    name = models.CharField("名称", max_length=NAME_MAX_LENGTH, unique=True)
    slug = models.SlugField("网址别名", max_length=SLUG_MAX_LENGTH, unique=True, allow_unicode=True, blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.STAFF)
    bio = models.TextField("简介", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        verbose_name="登录账号",
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
        return address("articles:author", self.slug)

    @property
    def credit(self) -> str:
        """How a byline names the author: a publication reads "来源：…"."""
        return f"来源：{self.name}" if self.kind == self.Kind.SOURCE else self.name


class CategoryQuerySet(models.QuerySet):
    def with_ancestry(self):
        """Categories with their parents loaded, so breadcrumbs and full paths
        (``ancestry()``, ``str()``) cost no query per category. The crawler's
        paths have at most three levels; a deeper one loads the rest lazily."""
        return self.select_related("parent__parent")

    def get_or_create_path(self, names: list[str]) -> "Category":
        """The category at the end of ``names`` (top level first), creating any level that is missing."""
        parent = None
        for name in names:
            parent, _ = self.get_or_create(parent=parent, name=name)
        return parent


class Category(models.Model):
    """A node in the category tree (group › source › channel).

    ``path`` is the slash-joined slugs from the root: it is the URL, and being
    unique it keeps same-named categories under different parents apart.
    """

    name = models.CharField("名称", max_length=NAME_MAX_LENGTH)
    slug = models.SlugField("网址别名", max_length=SLUG_MAX_LENGTH, allow_unicode=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name="上级分类"
    )
    path = models.CharField("路径", max_length=500, unique=True, editable=False)

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
            CategoryListing.objects.refresh_category(self)  # its articles are now listed under other ancestors

    def get_absolute_url(self):
        return address("articles:category", self.path)

    def ancestry(self) -> list["Category"]:
        """Root first, this category last (uses ``parent`` as already loaded)."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


# What an article card shows besides its row: categories (as paths) and tags.
CARD_PREFETCHES = (models.Prefetch("categories", queryset=Category.objects.with_ancestry()), "tags")


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

    def pinned(self):
        """头条: pinned by an editor and not past their end time, lowest order first."""
        now = timezone.now()
        pinned = Q(pin_order__isnull=False) & (Q(pinned_until__isnull=True) | Q(pinned_until__gt=now))
        return self.filter(pinned).order_by("pin_order", "-published_at", "-id")

    def for_listing(self):
        """Everything a list of article cards shows, without a query per card."""
        return self.select_related("author").prefetch_related(*CARD_PREFETCHES)

    def for_cards(self):
        """``for_listing()`` without the bodies (up to 50 KB each, twice): a card
        shows the excerpt."""
        return self.for_listing().defer("body", "body_source")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    class State(models.TextChoices):
        """What readers get, derived from ``status`` and ``published_at`` (no cron job)."""

        DRAFT = "draft", "草稿"
        SCHEDULED = "scheduled", "定时发布"
        PUBLISHED = "published", "已发布"

    title = models.CharField("标题", max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField("网址别名", max_length=SLUG_MAX_LENGTH + 10, unique=True, allow_unicode=True, blank=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles", verbose_name="作者")
    categories = models.ManyToManyField(Category, related_name="articles", blank=True, verbose_name="分类")
    # In the order they were added, prefetched or not (taggit orders only an instance's own query).
    tags = TaggableManager("标签", blank=True, through="articles.TaggedArticle", ordering=["tagged_articles__pk"])

    body_format = models.CharField("正文格式", max_length=10, choices=BodyFormat.choices, default=BodyFormat.HTML)
    body_source = models.TextField("正文（原文）", blank=True)
    body = models.TextField("正文（已净化）", blank=True, editable=False)
    excerpt = models.TextField("摘要", blank=True)
    # An http(s) URL or a path on this site (/media/…: imported or uploaded copies).
    head_image = models.CharField(
        "头图", max_length=URL_MAX_LENGTH, blank=True, validators=[image_files.validate_image_url]
    )
    thumbnail = models.CharField(
        "缩略图", max_length=URL_MAX_LENGTH, blank=True, validators=[image_files.validate_image_url]
    )
    # An uploaded head image wins over the URLs above: while there is one,
    # head_image and thumbnail point at it and its list rendition, so templates
    # keep reading only the URLs. Imported articles keep their remote URLs.
    head_image_file = models.ImageField("上传的头图", upload_to=HEAD_IMAGE_FOLDER, max_length=300, blank=True)
    # A head image picked from the media library: like an upload, it wins over the URLs.
    head_image_library = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="heading", verbose_name="图库头图"
    )
    thumbnail_file = models.ImageField(upload_to=HEAD_IMAGE_FOLDER, max_length=300, blank=True, editable=False)

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # Kept for the seed format's `comments:` key (import and export); the site has no comments, so no form shows it.
    allow_comments = models.BooleanField("允许评论", default=False)
    # 头条: pinned articles lead the home page, lowest order first, until their end time (if any).
    pin_order = models.PositiveSmallIntegerField(
        "头条顺序", null=True, blank=True, help_text="填写后置顶为头条，数字小的在前；留空则不置顶。"
    )
    pinned_until = models.DateTimeField(
        "头条截止", null=True, blank=True, help_text="到这个时间后不再置顶；留空则一直置顶。"
    )
    # Set by the importer (ingest.records.junk_reason): such a post is kept as a draft.
    junk_reason = models.CharField("疑似空文", max_length=100, blank=True, editable=False)

    # Provenance of imported articles; see ArticleSource for the files themselves.
    fingerprint = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    edited_in_admin = models.BooleanField(
        "编辑改过", default=False, help_text="编辑保存过的导入文章，重新导入时不会覆盖。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    # What is stored, to notice changes without a query (see _remember_saved_state);
    # until the article is saved or loaded nothing is stored, nothing was rendered.
    _saved_state: dict = {}
    _rendered_from: tuple[str, str] | None = None

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "文章"
        indexes = [
            # Home, archives and previous/next read these in order, newest first.
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_date_id"),
            models.Index(fields=["author", "status", "-published_at", "-id"], name="article_author_date"),
            # The admin's list: undated first (PostgreSQL sorts NULL first when descending), newest next.
            models.Index(fields=["-published_at", "-id"], name="article_date_id"),
            # The home page's 头条: a handful of rows among a million.
            models.Index(fields=["pin_order"], name="article_pinned", condition=Q(pin_order__isnull=False)),
        ]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """The one write path: whoever saves (admin, importer, feeds, API, shell),
        the stored body is rendered from the source and the change is announced."""
        assign_slugs([self])
        self.derive()
        super().save(*args, **kwargs)
        self._remember_old_slug()
        self._remember_saved_state()
        # post_save then announces the change (content.changes, connected in ContentConfig.ready()).

    def get_absolute_url(self):
        return address("articles:detail", self.slug)

    def save_as_editor(self, **kwargs) -> None:
        """An editor's save (admin, bulk actions, API, revision restore): an
        imported article is the editor's from then on, and re-imports leave it
        alone; an editor has looked at it, so it is no longer suspected junk."""
        marked = []
        if self.pk and not self.edited_in_admin and self.sources.exists():
            self.edited_in_admin = True
            marked.append("edited_in_admin")
        if self.junk_reason:
            self.junk_reason = ""
            marked.append("junk_reason")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = [*kwargs["update_fields"], *marked]
        self.save(**kwargs)

    def derive(self) -> None:
        """Work out what is derived from what the writer set: the rendered body
        and excerpt (only when the source changed) and the head-image URLs of an
        upload or a library picture. ``save()`` calls it; so does the importer's bulk path."""
        if self._rendered_from != (self.body_source, self.body_format):
            self.render()
        if self.head_image_file:
            self.head_image = self.head_image_file.url
            self.thumbnail = self.thumbnail_file.url if self.thumbnail_file else self.head_image
        elif self.head_image_library_id:
            self.head_image = self.head_image_library.url(max(RENDITION_WIDTHS))
            self.thumbnail = self.head_image_library.url(image_files.THUMBNAIL_WIDTH)

    def render(self, rendered: RenderedBody | None = None) -> None:
        """Render ``body_source`` into the stored, sanitised ``body`` (render on write).

        ``rendered`` is this source already rendered by ``render_body`` (the
        importer renders while parsing). An excerpt the writer did not change is
        derived again from the new body."""
        rendered = rendered or render_body(self.body_source, self.body_format, self.body_origin())
        self.body = rendered.html
        if not self.excerpt or self.excerpt == self._saved_state.get("excerpt"):
            self.excerpt = rendered.excerpt
        self._rendered_from = (self.body_source, self.body_format)

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._remember_saved_state()
        return article

    def _remember_saved_state(self) -> None:
        """What is stored, to notice changes without a query: a changed slug
        (old addresses redirect), source (render again) or excerpt (the writer's own)."""
        loaded = self.__dict__
        self._saved_state = {name: loaded[name] for name in ("slug", "excerpt") if name in loaded}
        if "body_source" in loaded and "body_format" in loaded:
            self._rendered_from = (self.body_source, self.body_format)

    def _remember_old_slug(self) -> None:
        """Links to the article's old address keep working after its slug changes."""
        saved = self._saved_state.get("slug")
        if saved and saved != self.slug:
            OldSlug.objects.update_or_create(slug=saved, defaults={"article": self})
            OldSlug.objects.filter(slug=self.slug).delete()

    def body_origin(self) -> BodyOrigin:
        """Imported and feed articles keep their outbound links marked when an editor saves them."""
        feeds = list(self.sources.values_list("feed_id", flat=True)) if self.pk else []
        if any(feed is not None for feed in feeds):
            return BodyOrigin.FEED
        return BodyOrigin.IMPORT if feeds else BodyOrigin.EDITOR

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
        """Store an uploaded head image (checked by ``content.image_files.check_upload``)
        and its list rendition; ``save()`` then points the URLs at them."""
        # The rendition first: storing the upload may move its temporary file away.
        rendition = image_files.thumbnail_rendition(upload)
        clean = image_files.reencoded_upload(upload)
        self.head_image_file.save(clean.name, clean, save=False)
        self.thumbnail_file.save(image_files.thumbnail_name(self.head_image_file.name), rendition, save=False)

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

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs", verbose_name="文章")
    slug = models.SlugField("网址别名", max_length=SLUG_MAX_LENGTH + 10, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = verbose_name_plural = "旧网址"

    def __str__(self):
        return self.slug


class ReadCount(models.Model):
    """Reads of an article in one hour: where 热门 counts without Redis (see ``reader.most_read``)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="read_counts")
    hour = models.DateTimeField()
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "阅读数"
        constraints = [models.UniqueConstraint(fields=["hour", "article"], name="read_count_unique_hour_article")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.reads}"


class ArticleSource(models.Model):
    """One imported file behind an article.

    ``key`` is the stable identity of a post across re-crawls (see
    ``ingest.hexo.source_key``); ``content_hash`` is the SHA-256 of
    the file's bytes, so an unchanged file is recognised without parsing it.
    An article re-published in several feeds has one source per file.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources", verbose_name="文章")
    # The feed an item came from; none for imported files.
    feed = models.ForeignKey(
        "Feed", null=True, blank=True, on_delete=models.SET_NULL, related_name="sources", verbose_name="订阅源"
    )
    key = models.CharField("来源标识", max_length=FILE_NAME_MAX_LENGTH, unique=True)
    file_name = models.CharField("文件名", max_length=FILE_NAME_MAX_LENGTH)
    content_hash = models.CharField("内容哈希", max_length=64, db_index=True)
    imported_at = models.DateTimeField("导入时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入来源"

    def __str__(self):
        return self.file_name


class Tag(TagBase):
    """A taggit tag; its slug keeps Chinese characters (``电动汽车``)."""

    class Meta:
        verbose_name = verbose_name_plural = "标签"

    def get_absolute_url(self):
        return address("articles:tag", self.slug)

    def slugify(self, tag, i=None):
        """As taggit's, but a name with nothing to slug (``¯``, ``!!``) still gets an address."""
        slug = super().slugify(tag) or "tag"
        return slug if i is None else f"{slug}_{i}"


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    # The article's publish date while it is marked published, else NULL: a tag
    # page reads its newest articles off one index (see content.listings).
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique")]
        indexes = [models.Index(fields=["tag", "-published_at", "-content_object"], name="tagged_article_newest")]


class CategoryListing(models.Model):
    """An article as category pages list it: one row for each category it is
    filed under and each ancestor of those, with the article's publish date
    while it is marked published (else NULL), so a category page, however big,
    reads its newest articles off one index. Kept right by ``content.listings``."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="listings")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="listings")
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ListingManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "article"], name="category_listing_unique")]
        indexes = [models.Index(fields=["category", "-published_at", "-article"], name="category_listing_newest")]

    def __str__(self):
        return f"{self.category_id}: {self.article_id}"


class FeedQuerySet(models.QuerySet):
    def due(self, now=None):
        """Active feeds whose next fetch time has come (a new feed is due at once)."""
        now = now or timezone.now()
        return self.filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now), is_active=True)


class Feed(models.Model):
    """An RSS or Atom feed whose items become articles (see ``ingest.feeds``).

    Its articles are filed under ``category`` (a group › source › channel
    path) and are by ``source``, an author of kind source. Both are relations,
    so renaming the category or the source in the admin keeps the feed's
    articles where they are.
    """

    class Status(models.TextChoices):
        NEW = "", "未抓取"
        OK = "ok", "正常"
        NOT_MODIFIED = "not_modified", "无更新"
        ERROR = "error", "失败"

    url = models.URLField("地址", max_length=URL_MAX_LENGTH, unique=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="feeds",
        verbose_name="分类",
        help_text="如 新媒体 › 高科技行业门户 › 新闻",
    )
    source = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="feeds", verbose_name="来源", help_text="文章的作者（来源）"
    )
    is_active = models.BooleanField("启用", default=True)
    download_images = models.BooleanField("下载图片", default=False, help_text="把文章里的图片复制到本站存储")
    interval_minutes = models.PositiveIntegerField("抓取间隔（分钟）", default=60)
    etag = models.CharField("ETag", max_length=500, blank=True, editable=False)
    last_modified = models.CharField("Last-Modified", max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField("上次抓取", null=True, blank=True, editable=False)
    next_fetch_at = models.DateTimeField("下次抓取", null=True, blank=True, db_index=True)
    last_status = models.CharField("状态", max_length=20, choices=Status.choices, blank=True, editable=False)
    last_error = models.TextField("上次错误", blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField("连续失败", default=0, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["category__path", "url"]
        verbose_name = verbose_name_plural = "订阅源"

    def __str__(self):
        return self.url
