"""The article form editors use in the admin."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Version
from taggit.forms import TagField

from content import image_files
from content.models import Article, Category
from content.rendering import BodyRefused, check_body, paragraphs
from content.revisions import side_by_side
from content.sanitizer import clean_html
from content.text import TAG_SEPARATORS
from desk.widgets import RichTextEditor


class HeadImageField(forms.FileField):
    """An image upload checked by :func:`content.image_files.check_upload`."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/*"})

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is not None:
            image_files.check_upload(upload)
        return upload


def label_date_and_time(widget: forms.MultiWidget, what: str) -> None:
    """Name the date and time boxes of a split date-time widget for screen
    readers: the field's <label> points at the date box only."""
    for box, part in zip(getattr(widget, "widgets", ()), ("日期", "时间"), strict=False):
        box.attrs["aria-label"] = f"{what}{part}"


class TagNamesField(TagField):
    """Tag names separated by commas; Chinese commas count too."""

    def clean(self, value):
        return super().clean(TAG_SEPARATORS.sub(",", value or ""))


class ArticleForm(forms.ModelForm):
    """The change form. ``loaded_at`` is when the article the editor opened
    was last saved: a save over a newer one is refused (see ``clean``)."""

    head_image_file = HeadImageField(
        label="上传头图",
        required=False,
        help_text="上传后替代下面的头图网址，并生成列表缩略图。",
    )
    tags = TagNamesField(label="标签", required=False, help_text="用逗号分隔多个标签，例如：人工智能，电动汽车")
    loaded_at = forms.CharField(label="打开时的版本", widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "author",
            "categories",
            "tags",
            "body_format",
            "body_source",
            "excerpt",
            "head_image_file",
            "head_image_library",
            "head_image",
            "thumbnail",
            "status",
            "published_at",
            "pin_order",
            "pinned_until",
        ]
        widgets = {
            "body_source": RichTextEditor(attrs={"rows": 24, "class": "vLargeTextField body-source"}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "body_format": (
                "HTML 用所见即所得编辑器；Markdown 支持表格和 ``` 代码块，下方实时预览。"
                "保存时统一净化，脚本等不安全内容会被去掉。"
            ),
            "excerpt": "留空则从正文自动生成。",
            "published_at": "未来的时间 = 定时发布：到点前读者看不到，无需手动操作。",
            "head_image": "导入的文章保留原网址，直到上传一张图片。",
            "thumbnail": "留空则列表使用头图。",
            "head_image_library": "从图库挑一张作头图（按替代文字或图注搜索）；上传的头图优先。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "categories" in self.fields:
            # Each choice is shown as its full path (新媒体 › 来源 › 频道).
            self.fields["categories"].queryset = Category.objects.with_ancestry()
        if self.instance.pk:
            self.fields["loaded_at"].initial = self.instance.updated_at.isoformat()
        for name, what in (("published_at", "发布"), ("pinned_until", "头条截止")):
            if name in self.fields:
                label_date_and_time(self.fields[name].widget, what)

    def clean(self):
        cleaned = super().clean()
        self._refuse_stale_save(cleaned.get("loaded_at"))
        try:
            check_body(cleaned.get("body_source") or "", cleaned.get("body_format") or "")
        except BodyRefused as exc:
            self.add_error("body_source", f"正文无法渲染：{exc}")
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()  # published without a date: now
        return cleaned

    def _refuse_stale_save(self, loaded_at: str | None) -> None:
        """Someone saved the article after this editor opened it: saving now would
        silently overwrite their work, so say who and when, and show the difference."""
        if not (self.instance.pk and loaded_at):
            return
        stored = Article.objects.filter(pk=self.instance.pk).values("updated_at", "title", "body_source").first()
        if stored is None or stored["updated_at"].isoformat() == loaded_at:
            return
        raise forms.ValidationError(conflict_message(self.instance, stored, self.data), code="stale")


def conflict_message(article: Article, stored: dict, posted) -> str:
    """Who saved the article since it was opened, and how their text differs from the editor's."""
    latest = Version.objects.get_for_object(article).select_related("revision__user").first()
    who = latest.revision.user.get_username() if latest and latest.revision.user else "其他人"
    when = timezone.localtime(stored["updated_at"]).strftime("%H:%M:%S")
    rows = side_by_side(
        [stored["title"], *paragraphs(clean_html(stored["body_source"]))],
        [posted.get("title", ""), *paragraphs(clean_html(posted.get("body_source", "")))],
    )
    changed = [(theirs, yours) for theirs, yours in rows if theirs != yours]
    return format_html(
        "{} 在 {} 保存了这篇文章的新版本，你的修改没有保存（否则会覆盖它）。"
        '你的内容仍在下面：复制需要的部分后<a href="{}">重新打开文章</a>，或<a href="{}">查看历史</a>。'
        '<table class="conflict-diff"><thead><tr><th scope="col">已保存的版本</th><th scope="col">你的修改</th>'
        "</tr></thead><tbody>{}</tbody></table>",
        who,
        when,
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", changed[:20]),
    )
