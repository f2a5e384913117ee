"""Tokens, webhooks and webhook deliveries in the admin.

A token's secret is shown once, on the page right after it is made, and
never stored; tokens are revoked, not edited. Webhooks are configured here
(address, secret, events), and every delivery is listed with its status,
attempts and response time.
"""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from api import tasks
from api.models import ApiToken, Event, Webhook, WebhookDelivery
from newsroom.http import FetchError, public_addresses


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_queryset(self, request):
        # Those who do not manage users see (and revoke) only their own tokens.
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.has_perm("auth.change_user") else tokens.filter(user=request.user)

    def get_fields(self, request, obj=None):
        return ["name", "user"] if obj is None else ["name", "user", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        # A token acts as its user: only those who manage users may make one for someone else.
        if obj is not None or not request.user.has_perm("auth.change_user"):
            return [*self.readonly_fields, "user"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            if not obj.user_id:  # the field was read-only: a token for oneself
                obj.user = request.user
            obj.secret = obj.generate()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """The one page that shows the secret; never cached."""
        response = TemplateResponse(
            request,
            "admin/api/apitoken/created.html",
            {**self.admin_site.each_context(request), "token": obj, "secret": obj.secret},
        )
        add_never_cache_headers(response)
        return response

    @admin.action(description="吊销所选令牌（立即失效）")
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token.revoke()
        self.message_user(request, f"已吊销 {len(tokens)} 个令牌。", messages.SUCCESS)


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(label="事件", choices=Event.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Webhook
        fields = ["name", "url", "secret", "events", "is_active"]

    def clean_url(self):
        """Refuse at once an address deliveries would be refused (server-side request forgery)."""
        url = self.cleaned_data["url"]
        parts = urlsplit(url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            public_addresses(parts.hostname, port, settings.WEBHOOK_ALLOW_PRIVATE_HOSTS)
        except FetchError as exc:
            raise forms.ValidationError(f"无法使用这个地址：{exc}") from exc
        return url


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["name", "url", "is_active", "event_names", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]

    @admin.display(description="事件")
    def event_names(self, obj):
        labels = dict(Event.choices)
        return "，".join(labels.get(event, event) for event in obj.events)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "webhook",
        "event",
        "article_title",
        "status",
        "attempts",
        "response_status",
        "response_ms",
        "last_attempt_at",
        "next_attempt_at",
        "error",
    ]
    list_filter = ["status", "event", "webhook"]
    list_select_related = ["webhook"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="文章")
    def article_title(self, obj):
        return obj.payload.get("article", {}).get("title", "—")

    def has_resend_permission(self, request):
        return request.user.has_perm("api.change_webhook")

    @admin.action(description="重新发送所选记录", permissions=["resend"])
    def send_again(self, request, queryset):
        deliveries = list(queryset.exclude(status=WebhookDelivery.Status.SUCCEEDED))
        for delivery in deliveries:
            delivery.status, delivery.attempts = WebhookDelivery.Status.PENDING, 0
            delivery.save(update_fields=["status", "attempts"])
            tasks.deliver.enqueue(delivery.pk)
        self.message_user(request, f"已安排重新发送 {len(deliveries)} 条记录。", messages.SUCCESS)
