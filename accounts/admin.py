"""Users in the admin, with the superuser's way back for a lost phone."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accounts.policy import forget_devices

User = get_user_model()


class StaffUserAdmin(UserAdmin):
    actions = ["reset_second_factor"]

    @admin.action(description="重置两步验证（手机丢失：下次登录时重新设置）", permissions=["change"])
    def reset_second_factor(self, request, queryset):
        forget_devices(queryset)
        self.message_user(request, f"已重置 {queryset.count()} 个账号的两步验证。", messages.SUCCESS)


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
